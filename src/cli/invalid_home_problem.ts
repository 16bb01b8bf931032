/**
 * A `THOTH_HOME` that is not an absolute path (`rel`, or `~/.thoth` that no
 * shell expanded), as `thoth health` reports it: a finding in `profile`
 * (the variable, its value and the fix, in the words every other command
 * refuses it with), not a failure of the command. Nothing is set up at such
 * a path: it would land in whatever folder thoth was started in.
 *
 * @example
 * ```ts
 * const problem = invalidHomeProblem(io) ?? await bootstrapQuietly(io);
 * ```
 */
import type { ProfileSetupProblem } from "../doctor/doctor_context.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";
import type { CliIo } from "./cli_io.ts";

/** The problem for `io`'s `THOTH_HOME` when it is set but not absolute; undefined otherwise. */
export function invalidHomeProblem(
  io: Pick<CliIo, "env">,
  os: string = Deno.build.os,
): ProfileSetupProblem | undefined {
  const error = thothHomeError(io.env, os);
  return error === null ? undefined : { message: error.message, hint: error.hints[0] ?? null };
}

/** Top-level commands that report an invalid `THOTH_HOME` themselves instead of refusing to run. */
export const REPORTS_INVALID_HOME: ReadonlySet<string> = new Set(["health"]);
