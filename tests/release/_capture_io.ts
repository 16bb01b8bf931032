/**
 * A CliIo for the update command's tests that keeps what it writes, line by
 * line, and has no profile.
 */
import type { CliIo } from "../../src/cli/cli_io.ts";

/** A CliIo whose output and errors are kept in `stdout` and `stderr`. */
export function captureIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env: {},
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    stdoutIsTty: false,
    stdinIsTty: false,
    cwd: "/",
    selfCommand: ["thoth"],
    thothHome: "/nonexistent",
    exitCode: 0,
    stdout,
    stderr,
  };
}
