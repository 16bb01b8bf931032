/**
 * `thoth run [flags] -- CMD [ARGS…]`: the stdio sidecar. Starts CMD as the
 * upstream MCP server and relays MCP both ways, stopping every `tools/call`
 * at the enforcer first. Everything after `--` reaches the server unchanged.
 *
 * @example
 * ```sh
 * thoth run --agent-id gdrive --enforcement-mode block -- npx -y @modelcontextprotocol/server-gdrive
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES, runProxy } from "../proxy/run_proxy.ts";
import { startSandboxedProxy } from "../proxy/start_sandboxed_proxy.ts";
import { cannotGovernText } from "../protocol/responses.ts";
import { upstreamEnvChanges } from "../config/upstream_env.ts";
import { type PreparedSession, prepareSession } from "./prepare_session.ts";
import { ENFORCER_URL_DEPRECATION } from "../identity/validate_thoth_env.ts";
import type { CliIo } from "./cli_io.ts";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../policy/enforcement_mode.ts";

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Parses "67108864", "64MiB", "512KiB", "1M" into bytes. */
export function parseByteSize(text: string): number {
  const match = /^(\d+)\s*(k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb)?$/i.exec(text.trim());
  if (!match) {
    throw new AppError("usage.bad_flag", `--max-line-bytes: "${text}" is not a size`, {
      hints: ['give bytes or a size with a unit, for example "67108864" or "64MiB"'],
    });
  }
  const unit = (match[2] ?? "").toLowerCase();
  const scale = unit.startsWith("k")
    ? 1024
    : unit.startsWith("m")
    ? 1024 ** 2
    : unit.startsWith("g")
    ? 1024 ** 3
    : 1;
  const bytes = Number(match[1]) * scale;
  if (bytes < 1024 || bytes > 2 ** 31) {
    throw new AppError("usage.bad_flag", `--max-line-bytes: "${text}" is out of range`, {
      hints: ["choose between 1KiB and 2GiB; the default is 64MiB"],
    });
  }
  return bytes;
}

function validated<T>(check: (value: string) => T): (value: string) => T {
  return check;
}

/** Builds the `run` subcommand. */
export function runCommand(io: CliIo) {
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
      validated((value) => {
        if (!AGENT_ID.test(value)) {
          throw new AppError("usage.bad_flag", `--agent-id: "${value}" is not a valid agent id`, {
            hints: [
              "use letters, digits, dot, dash or underscore, starting with a letter or digit",
            ],
          });
        }
        return value;
      }),
    )
    .option(
      "--tenant-id <id>",
      "tenant for governance scope and derived endpoint URLs (a DNS label)",
      validated((value) => {
        if (!DNS_LABEL.test(value)) {
          throw new AppError("usage.bad_flag", `--tenant-id: "${value}" is not a DNS label`, {
            hints: ['use lowercase letters, digits and dashes, for example "your-org"'],
          });
        }
        return value;
      }),
    )
    .addOption(
      new Option("--enforcement-mode <mode>", "what a violation does")
        .choices(ENFORCEMENT_MODES)
        .default("block" as EnforcementMode),
    )
    .option("--intent <name>", "session intent: only the tools this intent allows may run")
    .option("--policy <file>", "policy file (default: $THOTH_HOME/policy.jsonc)")
    .option("--api-key <key>", 'accepted for compatibility; prefer "thoth set-api-key"')
    .option(
      "--max-line-bytes <size>",
      "largest single message relayed in either direction",
      validated(parseByteSize),
      DEFAULT_MAX_LINE_BYTES,
    )
    .option(
      "--shutdown-grace-ms <ms>",
      "wait at each shutdown step: stdin closed, then SIGTERM, then SIGKILL",
      validated((value) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 600_000) {
          throw new AppError(
            "usage.bad_flag",
            `--shutdown-grace-ms: "${value}" is not a number of milliseconds`,
            {
              hints: ["give a whole number between 0 and 600000"],
            },
          );
        }
        return n;
      }),
      DEFAULT_GRACE_MS,
    )
    .addOption(
      new Option(
        "--audit-sync <when>",
        "fsync each decision record before the call is forwarded (always), or every 100 ms (default)",
      ).choices(["default", "always"] as const).default("default" as const),
    )
    .option(
      "--approval-timeout <seconds>",
      "how long a call that needs approval waits for a person before it is denied",
      validated((value) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 3600) {
          throw new AppError(
            "usage.bad_flag",
            `--approval-timeout: "${value}" is not a number of seconds`,
            {
              hints: ["give a whole number of seconds between 1 and 3600; the default is 60"],
            },
          );
        }
        return n;
      }),
      60,
    )
    .addOption(new Option("--enforcer-url <url>", "deprecated and ignored").hideHelp())
    .addHelpText(
      "after",
      `
Everything after "--" is passed unchanged to the server. stdout carries MCP;
thoth's own messages go to stderr.

Examples:
  thoth run --agent-id gdrive -- npx -y @modelcontextprotocol/server-gdrive
  thoth run --agent-id fs --enforcement-mode observe -- /usr/local/bin/mcp-fs /data
  thoth run --max-line-bytes 128MiB -- node ./server.js`,
    )
    .action(async (command, options) => {
      const [upstream, ...args] = command;
      if (upstream === undefined || upstream === "") {
        throw new AppError("usage.missing_command", 'no MCP server command given after "--"', {
          hints: ["thoth run --agent-id NAME -- <command> [args...]"],
        });
      }
      if (options.enforcerUrl !== undefined) {
        io.err(
          `thoth: warning: ${
            ENFORCER_URL_DEPRECATION.replace("THOTH_ENFORCER_URL", "--enforcer-url")
          }\n`,
        );
      }
      if (options.apiKey !== undefined) {
        io.err(
          "thoth: warning: --api-key puts a secret in the process list and the client config; " +
            'it is not used by the local enforcer. Store keys with "thoth set-api-key" instead\n',
        );
      }
      const server = options.agentId ?? deriveAgentId(upstream, args);
      const note = (message: string) => io.err(`thoth: ${message}\n`);
      let prepared: PreparedSession;
      try {
        prepared = await prepareSession(io, {
          server,
          mode: options.enforcementMode,
          tenantId: options.tenantId,
          intent: options.intent,
          policy: options.policy,
          auditSync: options.auditSync,
          approvalTimeoutSec: options.approvalTimeout,
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Fail closed, and say so to the client instead of leaving it with a dead pipe.
        const result = await runProxy({
          command: upstream,
          args,
          server,
          note,
          refusal: { error, wire: cannotGovernText(error.code) },
        });
        io.exitCode = result.exitCode;
        return;
      }
      // The server gets the environment it would have had without thoth.
      const changes = upstreamEnvChanges(io.env);
      for (const key of changes.remove) Deno.env.delete(key);
      for (const [key, value] of Object.entries(changes.set)) Deno.env.set(key, value);
      io.exitCode = await startSandboxedProxy({
        command: upstream,
        args,
        server,
        maxLineBytes: options.maxLineBytes,
        graceMs: options.shutdownGraceMs,
        enforcer: prepared.enforcer,
        thothHome: io.thothHome,
        cwd: io.cwd,
        pathValue: io.env["PATH"] ?? "",
        os: Deno.build.os,
        netHosts: prepared.netHosts,
        helpers: prepared.helpers,
        envKeys: Object.keys(Deno.env.toObject()),
        note,
      });
    });
}
