/**
 * A config another program saves while thoth works on it, for the tests of
 * wrap-config and unwrap-config reading it again: the in-process `thoth` of
 * `_config_cli.ts` with the test hook that runs just before the write's
 * checks, and what thoth says when the config changed at every try.
 *
 * @example
 * ```ts
 * const { run, commits } = await whileChanging(dir, "unwrap-config", first, (n) => next(n));
 * assertGaveUp(run, `${dir}/c.json`);
 * ```
 */
import assert from "node:assert/strict";
import { type Run, thoth } from "./_config_cli.ts";
import { CONFIG_TRIES } from "../../src/cli/retry_changed_config.ts";

/**
 * Writes `first` to `DIR/c.json` and runs `thoth COMMAND DIR/c.json`; before
 * the write's checks of try `n` (from 1), the config is saved anew with
 * `change(n)` unless that is `undefined`. The run, the config's path and how
 * many tries came to the write.
 */
export async function whileChanging(
  dir: string,
  command: "wrap-config" | "unwrap-config",
  first: string,
  change: (commit: number) => string | undefined,
): Promise<{ run: Run; path: string; commits: number }> {
  const path = `${dir}/c.json`;
  await Deno.writeTextFile(path, first);
  let commits = 0;
  const run = await thoth([command, path], {
    cwd: dir,
    deps: {
      beforeCommit: async () => {
        const text = change(++commits);
        if (text !== undefined) await Deno.writeTextFile(path, text);
      },
    },
  });
  return { run, path, commits };
}

/**
 * Asserts that `run` gave up on the config at `path` after every try: a note
 * per try read again, the error, the hints naming the tries and the remedy,
 * nothing written.
 */
export function assertGaveUp(run: Run, path: string): void {
  assert.equal(run.code, 1, run.out + run.err);
  assert.equal(run.err.match(/^thoth: note: .* reading it again/gm)?.length, CONFIG_TRIES - 1);
  assert.match(
    run.err,
    new RegExp(
      `^thoth: error: config "${path}" changed on disk while thoth was working; nothing was ` +
        "written$",
      "m",
    ),
  );
  assert.match(run.err, new RegExp(`^thoth: hint: thoth tried ${CONFIG_TRIES} times, `, "m"));
  assert.match(
    run.err,
    /^thoth: hint: quit the client that edits it, then run the command again$/m,
  );
  assert.doesNotMatch(run.out, /Wrote /);
}
