/**
 * `thoth doctor [--json]`: checks the profile, environment, credentials,
 * policy, client configs, audit log, enforcer and approval channels, and says
 * what to fix. Exits 1 when any check fails. `--json` prints the document
 * `schemas/doctor.schema.json` describes (see `doctor_report_schema.ts`). A
 * profile that cannot be set up (THOTH_HOME is a file, or not writable) is
 * the `profile` check's failure:
 * the other checks still run. It uses the network for the enforcer check
 * only (with a tenant and an apex domain set); `--help` lists the checks.
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
import { missingParentProblem } from "./missing_profile_parent.ts";
import { denoDoctorContext } from "../doctor/deno_doctor_context.ts";
import type { DoctorContext, ProfileSetupProblem } from "../doctor/doctor_context.ts";
import type { DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { formatDoctorReport } from "../doctor/format_doctor_report.ts";
import { doctorReportDocument } from "../doctor/doctor_report_document.ts";
import { DoctorReportSchema } from "../doctor/doctor_report_schema.ts";
import { runDoctor } from "../doctor/run_doctor.ts";
import type { CliIo } from "./cli_io.ts";

/** How `doctor` and `health` get their context; tests pass stubs. */
export interface DoctorCommandOptions {
  /** The pluggable parts (policy validation, client discovery, audit health). */
  readonly plugins?: Partial<DoctorPlugins>;
  /** Builds the context; the default is this process's OS, clock and network. */
  readonly context?: (io: CliIo, plugins: Partial<DoctorPlugins>) => DoctorContext;
}

/** What `thoth doctor --help` says after the options: the checks, the network, examples. */
export const DOCTOR_HELP = `
Each check is pass (✓), warn (!) or fail (✗); the exit code is 1 when any check fails.

The checks, in order:
  runtime            this thoth, its target, the Deno it runs on
  sandbox            compiled or from source; its permissions match thoth's set;
                     the proxy core's sandbox starts (doctor starts thoth once)
  endpoint_identity  the endpoint id, and where it came from
  profile            THOTH_HOME (else ~/.thoth) is yours, its secrets private
  environment        each THOTH_* variable obeys its rule
  credentials        the credential thoth run would present
  policy             policy.jsonc is one thoth run accepts
  intent_map         intent_map.json is one thoth run can use
  client_configs     the MCP client configs: is each server governed?
  upstream_path      each server's command is on its client's PATH
  audit              the audit state's MAC verifies, the log's end matches it,
                     its newest records chain (not a full verify: that is
                     "thoth audit verify"); spool files and tallies waiting
  progressive_state  the progressive counters can be read; no counts lost
  enforcer           the tenant's enforcer resolves and answers as a healthy
                     server (5xx or 429 warns, a redirect elsewhere is named);
                     this build does not use it yet
  approval_channels  an OS approval dialog can be shown

--json prints {"schemaVersion": 1, "ok", "checks": [{"id", "status", "message",
"hint", "hints", "details"}]} (schemas/doctor.schema.json): every check has every
field, "hint" null when there is nothing to do, "hints" every hint ("hint" first;
one line each in the text), "details" [] when there is nothing more to list; "ok"
is false when a check failed.

Network: doctor uses the network for the enforcer check only, and only when
THOTH_TENANT_ID and THOTH_APEX_DOMAIN are set and valid: it looks up
enforce.<tenant>.<apex> in DNS and sends it one GET (3 seconds at most). The
environment, credentials and enforcer checks read this shell's environment, not
the "env" a client's entry sets. To tell whether a governed entry's command is
thoth, doctor may start it with --version; it starts none from a project's config.

Examples:
  # check this machine, in words
  thoth doctor

  # only what is not a pass, as JSON
  thoth doctor --json | jq '.checks[] | select(.status != "pass")'

  # the same checks with the environment an MCP client's entry sets
  THOTH_TENANT_ID=acme THOTH_USER_ID=ana@example.com thoth doctor`;

/** Builds the `doctor` subcommand. */
export function doctorCommand(io: CliIo, options: DoctorCommandOptions = {}) {
  return new Command("doctor")
    .description("check the thoth profile, environment and connections, and say what to fix")
    .option("--json", "print the checks as JSON")
    .addHelpText("after", DOCTOR_HELP)
    .action(async (flags) => {
      const profileSetupProblem = await bootstrapQuietly(io);
      const plugins = options.plugins ?? {};
      const context = {
        ...(options.context ?? defaultDoctorContext)(io, plugins),
        profileSetupProblem,
      };
      const checks = await runDoctor(context);
      const failed = checks.some((c) => c.status === "fail");
      if (flags.json === true) {
        // Checked against its contract (schemas/doctor.schema.json) before it is printed.
        const document = DoctorReportSchema.parse(doctorReportDocument(checks));
        io.out(JSON.stringify(document, null, 2) + "\n");
      } else {
        io.out(formatDoctorReport(checks));
      }
      if (failed) io.exitCode = 1;
    });
}

/**
 * The context `doctor` and `health` check this machine with when a test gives
 * none: the real host's, for `io`'s environment and profile.
 */
export function defaultDoctorContext(
  io: CliIo,
  plugins: Partial<DoctorPlugins>,
): DoctorContext {
  return denoDoctorContext({
    env: io.env,
    thothHome: io.thothHome,
    plugins,
    selfCommand: io.selfCommand,
  });
}

/**
 * Creates the profile if needed. A failure is returned for the profile check
 * (`doctor`) or the report's `profile` part (`health`) to report, with the
 * file it failed on as `bootstrapProfile` names it. Run as root on a profile
 * another user keeps, it creates nothing; an existing one is then only read.
 * A profile whose parent folder is missing is reported, never made with it
 * (see `missing_profile_parent.ts`).
 */
export async function bootstrapQuietly(io: CliIo): Promise<ProfileSetupProblem | undefined> {
  const missing = await missingParentProblem(io.thothHome);
  if (missing !== undefined) return missing;
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
