/**
 * How the scripts start thoth from this source tree: the `deno` arguments a
 * client entry written from source holds (the manifest's `thoth` permission
 * set, no remote imports, npm packages only from Deno's cache and the lock,
 * thoth's V8 flags); the thoth command and its arguments follow.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: [...thothSourceArgs(root), "run", "--", "node", "s.js"] });
 * ```
 */
import { sourceLaunchWords } from "../src/platform/source_launch_flags.ts";

/** The `deno` arguments before thoth's own, for the source tree at `root`. */
export function thothSourceArgs(root: string): string[] {
  return [...sourceLaunchWords(`${root}/deno.json`), `${root}/src/cli/thoth.ts`];
}
