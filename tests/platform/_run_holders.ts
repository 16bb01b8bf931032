/**
 * Runs a script of lock holders (`_lock_holders.ts`, `_lock_within_holders.ts`)
 * as a child process allowed to read and write `dir` only, and returns the
 * JSON array it prints: the order things happened in. A lock that blocked the
 * child's thread would never end, so a deadline kills it and the run fails.
 *
 * @example
 * ```ts
 * const seen = await runHolders(HOLDERS, dir, [dir, "queue"]);
 * ```
 */
import assert from "node:assert/strict";

/** Runs `script ARGS` with read and write access to `dir`; what the holders saw. */
export async function runHolders(
  script: string,
  dir: string,
  args: readonly string[],
): Promise<string[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", `--allow-read=${dir}`, `--allow-write=${dir}`, "--no-prompt", script, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const deadline = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(deadline);
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `the holders did not finish (a lock blocked their thread?): ${err}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}
