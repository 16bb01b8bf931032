/**
 * The real thoth run from this checkout's source with the command line it
 * starts itself with (`SELF`, as a client config entry written from source
 * holds it), for CLI tests about those entries.
 *
 * @example
 * ```ts
 * const status = JSON.parse(await sourceThoth(home, ["status", "--json"]));
 * ```
 */
import assert from "node:assert/strict";
import { selfCommandOnPath } from "../../src/cli/cli_io.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * How thoth from source starts itself: deno (as this PATH names it, when a
 * PATH entry leads to it), its launch flags, then thoth's script.
 */
export const SELF: string[] = selfCommandOnPath(
  new URL("../../src/cli/thoth.ts", import.meta.url).href,
  `${ROOT}/deno.json`,
  Deno.env.toObject(),
);

/** Runs `SELF args` with `THOTH_HOME` set to `home`; fails the test unless it exits 0; returns stdout. */
export async function sourceThoth(home: string, args: string[]): Promise<string> {
  const [command, ...rest] = SELF;
  const out = await new Deno.Command(command!, {
    args: [...rest, ...args],
    env: { ...Deno.env.toObject(), THOTH_HOME: home },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.code === 0, `${args.join(" ")}: ${text}${new TextDecoder().decode(out.stderr)}`);
  return text;
}
