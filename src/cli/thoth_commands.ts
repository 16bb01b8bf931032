/**
 * Every `thoth` command but `run`, added to the command tree on demand so
 * that the long-lived sidecar never loads them.
 *
 * @example
 * ```ts
 * const { addToolCommands } = await import("./thoth_commands.ts");
 * addToolCommands(program, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { updateCommand } from "./update.ts";
import { doctorCommand } from "./doctor.ts";
import { healthCommand } from "./health.ts";
import { setApiKeyCommand } from "./set_api_key.ts";
import { authCommand } from "./auth.ts";
import { auditCommand, profileChecksFor } from "./audit.ts";
import { policyCommand } from "./policy.ts";
import { approvalsCommand } from "./approvals.ts";
import { wrapConfigCommand } from "./wrap_config.ts";
import { unwrapConfigCommand } from "./unwrap_config.ts";
import { statusCommand } from "./status.ts";
import { thothDoctorPlugins } from "./doctor_plugins.ts";
import { commandSummary } from "./help_layout.ts";
import { lowerCaseDescription } from "./thoth_program.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { refuseSharedProfile } from "../identity/refuse_shared_profile.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { REPORTS_INVALID_HOME } from "./invalid_home_problem.ts";

/** Top-level commands that must not create the profile. */
const READ_ONLY = new Set(["doctor", "health", "status"]);

/** Top-level commands that write nothing, so create no profile, with `--dry-run`. */
const READ_ONLY_DRY_RUN = new Set(["wrap-config", "unwrap-config"]);

/** Adds the tool commands and the profile bootstrap hook to `program`. */
export function addToolCommands(
  program: Command<[], { verbose?: true }>,
  io: CliIo,
): void {
  program.addCommand(wrapConfigCommand(io));
  program.addCommand(unwrapConfigCommand(io));
  program.addCommand(statusCommand(io));
  const plugins = thothDoctorPlugins(io);
  program.addCommand(doctorCommand(io, { plugins }));
  program.addCommand(healthCommand(io, { plugins }));
  program.addCommand(
    setApiKeyCommand(io).addHelpText(
      "after",
      `
Examples:
  # from a file only you may read, so the key is in no command line
  thoth set-api-key --api-key - < key.txt

  # then see which credential thoth uses
  thoth doctor`,
    ),
  );
  program.addCommand(authCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(policyCommand(io));
  program.addCommand(approvalsCommand(io));
  const update = updateCommand(io);
  // Its description is a paragraph; the list of commands shows one line.
  if (update.summary() === "") update.summary("install the latest verified thoth release");
  program.addCommand(update);
  // The list of commands reads in lower case, as the parser's own lines do
  // ("display help for command"), and so does each command's own help.
  const lowerCase = (command: Command<unknown[], Record<string, unknown>>): void => {
    lowerCaseDescription(command);
    const line = commandSummary(command.summary(), command.description());
    if (/^[A-Z][a-z]/.test(line)) command.summary(`${line[0]!.toLowerCase()}${line.slice(1)}`);
    for (const sub of command.commands) {
      lowerCase(sub as unknown as Command<unknown[], Record<string, unknown>>);
    }
  };
  for (const command of program.commands) {
    lowerCase(command as unknown as Command<unknown[], Record<string, unknown>>);
  }
  // Every command refuses a THOTH_HOME that is not an absolute path here
  // before it writes anything. The first run of a command bootstraps the
  // profile; `run` does both itself (a failure there is answered on the wire
  // instead of killing the pipe), and `doctor` and `health` report a profile
  // that cannot be set up as a finding, so they still check the rest.
  program.hook("preAction", async (_program, action) => {
    const top = action.parent === program;
    if (top && (action.name() === "run" || action.name() === "help")) return;
    // `audit verify` exits 3 on a refused profile; with --bundle it needs none.
    await profileChecksFor(action, async () => {
      const badHome = thothHomeError(io.env, Deno.build.os);
      // health reports it in its profile part (invalid_home_problem.ts).
      if (badHome !== null && !(top && REPORTS_INVALID_HOME.has(action.name()))) throw badHome;
      // Commands that only read (status, a config command's --dry-run) or report on the
      // profile (doctor, health) do not create it.
      if (!top || READ_ONLY.has(action.name())) return;
      if (READ_ONLY_DRY_RUN.has(action.name()) && action.opts()["dryRun"] === true) return;
      // A key saved to THOTH_API_KEY_FILE needs no profile (root with a user's HOME
      // may save one to a safe path: writeApiKeyFile judges that path).
      const setApiKey = action.name() === "set-api-key";
      if (setApiKey && (io.env.THOTH_API_KEY_FILE ?? "") !== "") return;
      // A profile that is a file is named as such (THOTH_HOME and its path), as the
      // subcommands that read it (policy, audit, approvals) name it.
      await requireProfileFolder(io.thothHome, io.env);
      // Nothing is set up for a key in a profile someone else can change.
      if (setApiKey) await refuseSharedProfile(io.thothHome, "the API key");
      const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
      for (const notice of notices) io.err(`thoth: ${notice}\n`);
    });
  });
}
