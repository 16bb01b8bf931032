/**
 * `thothctl`: the admin CLI shipped beside `thoth`, built from the same
 * source. It holds the commands an administrator runs: sign-in, policy
 * checks, approvals, audit evidence. It never relays MCP traffic.
 *
 * @example
 * ```sh
 * thothctl auth login --tenant-id acme --admin-email ana@acme.example
 * ```
 */
import { type CliIo, processCliIoOrProblem, reportProfileProblem } from "./cli_io.ts";
import { AppError } from "../errors.ts";
import { errorJsonFor, reportLoadFailure } from "./report_error.ts";

/** Runs `thothctl` with the given arguments; returns the exit code. */
export async function thothctlMain(args: readonly string[], io: CliIo): Promise<number> {
  let program: typeof import("./thothctl_program.ts");
  try {
    program = await import("./thothctl_program.ts");
  } catch (error) {
    return reportLoadFailure("thothctl", args, io, error);
  }
  return await program.runThothctlProgram(args, io);
}

if (import.meta.main) {
  const io = processCliIoOrProblem(import.meta.url);
  if (io instanceof AppError) {
    // A command given --json prints its one {"ok":false,…} line even so.
    reportProfileProblem("thothctl", io, errorJsonFor(Deno.args, io));
    Deno.exit(io.exitCode);
  }
  Deno.exit(await thothctlMain(Deno.args, io));
}
