/**
 * The real thoth run from source under the Deno permission flags a test
 * chooses (to see what thoth says when it runs with less, or more, than its
 * permission set), in a fresh temporary home with a clean environment.
 *
 * @example
 * ```ts
 * const run = await thothWithFlags("thoth-doctor-", () => ["-P=thoth"], ["doctor"]);
 * ```
 */
import { CLEAN_ENV } from "./_thoth_process.ts";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

/**
 * Runs thoth (or `entry`: `"thothctl"`) from source with the permission
 * flags `flags(home)` and `args` in a fresh home (named from `prefix`), which
 * is also its working folder.
 */
export async function thothWithFlags(
  prefix: string,
  flags: (home: string) => readonly string[],
  args: readonly string[],
  entry: "thoth" | "thothctl" = "thoth",
): Promise<{ home: string; code: number; out: string; err: string }> {
  const home = await tempFolder(prefix);
  const output = await new Deno.Command(DENO, {
    args: [
      "run",
      ...flags(home),
      "--no-prompt",
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/${entry}.ts`,
      ...args,
    ],
    cwd: home,
    clearEnv: true,
    env: { ...CLEAN_ENV, HOME: home, THOTH_HOME: `${home}/.thoth` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    home,
    code: output.code,
    out: dec.decode(output.stdout),
    err: dec.decode(output.stderr),
  };
}
