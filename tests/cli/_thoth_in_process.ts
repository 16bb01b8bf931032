/**
 * `thoth ARGS` run in this process through its real entry (`thothMain`) with
 * a captured CliIo, for the tests whose subject is what a command decides,
 * not its process: dozens of cases cost milliseconds each instead of a
 * process start. Such a test keeps one real process (`runThoth` in
 * `_thoth_process.ts`) as the smoke that the command run as users run it says the same.
 *
 * @example
 * ```ts
 * const run = await thothInProcess(["policy", "explain", "--server", "s", "--tool", "t"], {
 *   env: { HOME: dir, THOTH_HOME: `${dir}/profile` },
 *   cwd: dir,
 * });
 * ```
 */
import { thothMain } from "../../src/cli/thoth.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

/**
 * Runs `thoth ARGS` in-process with only `env` as its environment, working in
 * `cwd`, its profile `THOTH_HOME` (else `HOME/.thoth`); returns what `runThoth` does.
 */
export async function thothInProcess(
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<{ code: number; out: string; err: string }> {
  const home = options.env["THOTH_HOME"] ?? `${options.env["HOME"]}/.thoth`;
  const io = fakeCliIo(home, options.env, options.cwd);
  const code = await thothMain(args, io);
  return { code, out: io.stdout, err: io.stderr };
}
