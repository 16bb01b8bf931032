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
import { auditCommand } from "./audit.ts";
import { policyCommand } from "./policy.ts";
import { approvalsCommand } from "./approvals.ts";
import { wrapConfigCommand } from "./wrap_config.ts";
import { unwrapConfigCommand } from "./unwrap_config.ts";
import { statusCommand } from "./status.ts";
import { thothDoctorPlugins } from "./doctor_plugins.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";

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
  program.addCommand(setApiKeyCommand(io));
  program.addCommand(authCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(policyCommand(io));
  program.addCommand(approvalsCommand(io));
  program.addCommand(updateCommand(io));
  // First run of any command bootstraps the profile (`run` does it itself, so
  // that a failure there is answered on the wire instead of killing the pipe).
  program.hook("preAction", async (_program, action) => {
    if (action.name() === "run" || action.parent !== program) return;
    const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
    for (const notice of notices) io.err(`thoth: ${notice}\n`);
  });
}
