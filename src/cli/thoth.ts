/**
 * The `thoth` command: the stdio sidecar and its user-facing tools.
 *
 * @example
 * ```sh
 * deno task thoth run --agent-id everything -- npx -y @modelcontextprotocol/server-everything
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import { type CliIo, denoCliIo, selfCommandFor } from "./cli_io.ts";
import { runProgram } from "./program.ts";
import { runCommand } from "./run.ts";
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
import { versionLine } from "../version.ts";
import { resolveThothHome } from "../platform/thoth_home.ts";

/** Builds the `thoth` command tree for one invocation. */
export function buildThothProgram(io: CliIo): Command<[], { verbose?: true }> {
  const program = new Command("thoth")
    .description(
      "Govern MCP servers with zero code changes: a stdio sidecar that checks every tools/call\n" +
        "against policy before it reaches the server, and keeps tamper-evident evidence.",
    )
    .version(
      versionLine("thoth", Deno.build.target),
      "-V, --version",
      "print version, target and commit",
    )
    .addOption(new Option("--verbose", "show stack traces and causes on internal errors"))
    .helpCommand(true)
    .enablePositionalOptions()
    .addHelpText(
      "after",
      `
Examples:
  thoth run --agent-id gdrive -- npx -y @modelcontextprotocol/server-gdrive
  thoth run --help

Profile: ${io.thothHome} (set THOTH_HOME to relocate it)`,
    );
  program.addCommand(runCommand(io));
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
  return program;
}

/** Runs `thoth` with the given arguments; returns the exit code. */
export async function thothMain(args: readonly string[], io: CliIo): Promise<number> {
  return await runProgram("thoth", buildThothProgram(io), args, io);
}

if (import.meta.main) {
  let home: string;
  try {
    home = resolveThothHome(Deno.env.toObject(), Deno.build.os);
  } catch {
    home = ".thoth";
  }
  const config = new URL("../../deno.json", import.meta.url);
  const configPath = config.protocol === "file:"
    ? decodeURIComponent(config.pathname)
    : "deno.json";
  const io = denoCliIo(home, selfCommandFor(Deno.execPath(), Deno.mainModule, configPath));
  Deno.exit(await thothMain(Deno.args, io));
}
