/**
 * `thoth run [flags] -- CMD [ARGS…]`: the stdio sidecar. Starts CMD as the
 * upstream MCP server and relays MCP both ways, stopping every `tools/call`
 * at the enforcer first. Everything after `--` reaches the server unchanged.
 *
 * This full parser sees `thoth run` only for help and for what the plain
 * reader (`run_flags.ts`) declines: a command line with no server command
 * after `--`, or one behind a global flag (`thoth --verbose run …`). Its
 * usage errors go to stderr alone. A refused command line with a server
 * command after `--` never reaches it: the session answers the client with
 * the refusal, and both say the same words.
 *
 * @example
 * ```sh
 * thoth run --agent-id gdrive --enforcement-mode block -- npx -y @modelcontextprotocol/server-gdrive
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import type { CliIo } from "./cli_io.ts";
import { checkApprovalTimeout, checkGraceMs, parseByteSize } from "../config/run_flag_numbers.ts";
import { checkAgentId, checkTenantId } from "./check_run_ids.ts";
import { AUDIT_SYNC_CHOICES, RUN_DEFAULTS, type RunOptions } from "./run_options.ts";
import { runSession } from "./run_session.ts";

/** What the command does with what it parsed (tests substitute a recorder). */
export type RunAction = (io: CliIo, command: string[], options: RunOptions) => Promise<void>;

/** Builds the `run` subcommand. */
export function runCommand(io: CliIo, action: RunAction = runSession) {
  return new Command("run")
    .description(
      "Start an MCP server as a child process and relay MCP over stdio, checking every\n" +
        "tools/call against the enforcer before it may reach the server.",
    )
    .usage("[options] -- <command> [args...]")
    .argument("<command...>", "the real MCP server command and its arguments (after --)")
    .passThroughOptions()
    .option(
      "--agent-id <id>",
      "name of the governed server in policy and audit (default: derived from the command)",
      checkAgentId,
    )
    .option(
      "--tenant-id <id>",
      "tenant for governance scope and derived endpoint URLs (a DNS label; default: " +
        "$THOTH_TENANT_ID); a tenant needs THOTH_USER_ID set in the server's environment: " +
        "without it thoth run refuses to start",
      checkTenantId,
    )
    .addOption(
      new Option("--enforcement-mode <mode>", "what a violation does")
        .choices(ENFORCEMENT_MODES)
        .default(RUN_DEFAULTS.enforcementMode),
    )
    .option(
      "--intent <name>",
      "session intent: only the tools this intent allows may run (default: the server's entry " +
        "in $THOTH_HOME/intent_map.json)",
    )
    .option("--policy <file>", "policy file (default: $THOTH_HOME/policy.jsonc)")
    .option("--api-key <key>", 'accepted for compatibility; prefer "thoth set-api-key"')
    .option(
      "--max-line-bytes <size>",
      "largest single message relayed in either direction",
      parseByteSize,
      RUN_DEFAULTS.maxLineBytes,
    )
    .option(
      "--shutdown-grace-ms <ms>",
      "wait at each shutdown step: stdin closed, then SIGTERM, then SIGKILL",
      checkGraceMs,
      RUN_DEFAULTS.shutdownGraceMs,
    )
    .addOption(
      new Option(
        "--audit-sync <when>",
        "fsync each decision record before the call is forwarded (always), or every 100 ms (default)",
      ).choices(AUDIT_SYNC_CHOICES).default(RUN_DEFAULTS.auditSync),
    )
    .option(
      "--approval-timeout <seconds>",
      "how long a call that needs approval waits for a person before it is denied",
      checkApprovalTimeout,
      RUN_DEFAULTS.approvalTimeout,
    )
    .option(
      "--enforcer-url <url>",
      "deprecated and ignored: the enforcer URL is derived from THOTH_TENANT_ID and " +
        "THOTH_APEX_DOMAIN, and this build decides every call with the local policy",
    )
    .addHelpText(
      "after",
      `
Everything after "--" is passed unchanged to the server. stdout carries MCP;
thoth's own messages go to stderr.

Exit status:
  N      the server's own exit code, when the server ends the session
  1      thoth would not govern the session (a policy, intent map or identity it
         cannot use) or failed itself; the client's first request says why
  2      a run flag thoth refuses (no server is started)
  126    the server's command cannot be run: not executable, a folder, or its
         #! interpreter is missing
  127    the server's command was not found
  128+N  thoth was stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP,
         131 SIGQUIT), and stopped the server

Examples:
  thoth run --agent-id gdrive -- npx -y @modelcontextprotocol/server-gdrive
  thoth run --agent-id fs --enforcement-mode observe -- /usr/local/bin/mcp-fs /data
  thoth run --max-line-bytes 128MiB -- node ./server.js`,
    )
    .action(async (command, options) => {
      await action(io, command, options);
    });
}
