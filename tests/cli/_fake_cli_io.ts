/** A CliIo for in-process CLI tests: captured output, a temp THOTH_HOME, no real terminal. */
import type { CliIo } from "../../src/cli/cli_io.ts";

/** A fake CliIo whose output accumulates in `stdout` and `stderr`; it works in `cwd`. */
export function fakeCliIo(
  thothHome: string,
  env: Record<string, string> = {},
  cwd: string = thothHome,
): CliIo & { stdout: string; stderr: string } {
  const io = {
    env,
    stdout: "",
    stderr: "",
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    stdoutIsTty: false,
    stdinIsTty: false,
    cwd,
    selfCommand: ["thoth"],
    thothHome,
    exitCode: 0,
  };
  return io;
}
