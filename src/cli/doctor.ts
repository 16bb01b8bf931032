/**
 * `thoth doctor [--json]`: checks the profile, environment, credentials,
 * policy, client configs, audit log, enforcer and approval channels, and says
 * what to fix. Exits 1 when any check fails. A profile that cannot be set up
 * (THOTH_HOME is a file, or not writable) is the `profile` check's failure:
 * the other checks still run.
 *
 * @example
 * ```sh
 * thoth doctor
 * thoth doctor --json | jq '.checks[] | select(.status != "pass")'
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { bootstrapForReading } from "../identity/bootstrap_profile.ts";
import { denoDoctorContext } from "../doctor/deno_doctor_context.ts";
import type { DoctorContext, ProfileSetupProblem } from "../doctor/doctor_context.ts";
import type { DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { formatDoctorReport } from "../doctor/format_doctor_report.ts";
import { runDoctor } from "../doctor/run_doctor.ts";
import type { CliIo } from "./cli_io.ts";

/** How `doctor` and `health` get their context; tests pass stubs. */
export interface DoctorCommandOptions {
  /** The pluggable parts (policy validation, client discovery, audit health). */
  readonly plugins?: Partial<DoctorPlugins>;
  /** Builds the context; the default is this process's OS, clock and network. */
  readonly context?: (io: CliIo, plugins: Partial<DoctorPlugins>) => DoctorContext;
}

/** Builds the `doctor` subcommand. */
export function doctorCommand(io: CliIo, options: DoctorCommandOptions = {}) {
  return new Command("doctor")
    .description("check the thoth profile, environment and connections, and say what to fix")
    .option("--json", "print the checks as JSON")
    .addHelpText(
      "after",
      "\nEach check is pass (✓), warn (!) or fail (✗); the exit code is 1 when any check fails.",
    )
    .action(async (flags) => {
      const profileSetupProblem = await bootstrapQuietly(io);
      const plugins = options.plugins ?? {};
      const context = { ...(options.context ?? defaultContext)(io, plugins), profileSetupProblem };
      const checks = await runDoctor(context);
      const failed = checks.some((c) => c.status === "fail");
      if (flags.json === true) {
        io.out(JSON.stringify({ ok: !failed, checks }, null, 2) + "\n");
      } else {
        io.out(formatDoctorReport(checks));
      }
      if (failed) io.exitCode = 1;
    });
}

function defaultContext(io: CliIo, plugins: Partial<DoctorPlugins>): DoctorContext {
  return denoDoctorContext({ env: io.env, thothHome: io.thothHome, plugins });
}

/**
 * Creates the profile if needed. A failure is returned for the profile check
 * (`doctor`) or the report's `profile` part (`health`) to report, with the
 * file it failed on as `bootstrapProfile` names it. Run as root on a profile
 * another user keeps, it creates nothing; an existing one is then only read.
 */
export async function bootstrapQuietly(io: CliIo): Promise<ProfileSetupProblem | undefined> {
  try {
    // Root reading a profile another user keeps changes nothing in it; an
    // existing profile is judged as it is (the profile check), not failed.
    const { notices } = await bootstrapForReading(io.thothHome, Deno.build.os);
    for (const notice of notices) io.err(`thoth: ${notice}\n`);
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { message: error.message, hint: error.hints[0] ?? null };
  }
}
