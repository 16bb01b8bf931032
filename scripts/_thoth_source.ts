/**
 * How the scripts start thoth from this source tree: `deno` arguments that
 * run the CLI with the manifest's `thoth` permission set, no remote imports
 * and thoth's V8 flags, as `deno task thoth` does; the thoth command and its
 * arguments follow.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: [...thothSourceArgs(root), "run", "--", "node", "s.js"] });
 * ```
 */
import { THOTH_V8_FLAGS } from "../src/platform/v8_flags.ts";

/** The `deno` arguments before thoth's own, for the source tree at `root`. */
export function thothSourceArgs(root: string): string[] {
  return [
    "run",
    "-P=thoth",
    "--no-remote",
    THOTH_V8_FLAGS,
    "--quiet",
    `--config=${root}/deno.json`,
    `${root}/src/cli/thoth.ts`,
  ];
}
