/**
 * The doctor and health plug-ins of this build: each area that can answer a
 * check does it here, so `src/doctor` stays free of the other areas.
 *
 * @example
 * ```ts
 * program.addCommand(doctorCommand(io, { plugins: thothDoctorPlugins(io) }));
 * ```
 */
import type { AuditHealth, ClientConfigReport, DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { AppError } from "../errors.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { compilePolicy } from "../policy/compile_policy.ts";
import { summarizePolicy } from "../policy/summarize_policy.ts";
import { parseLogState } from "../audit/log_state.ts";
import { discoverClientConfigs } from "../config/discover_client_configs.ts";
import type { CliIo } from "./cli_io.ts";

/** The plug-ins wired to this build's modules. */
export function thothDoctorPlugins(io: CliIo): Partial<DoctorPlugins> {
  return {
    validatePolicy: (text, path) => {
      try {
        const summary = summarizePolicy(compilePolicy(parsePolicy(text, path)));
        return {
          ok: true,
          message: `${summary.rules.length} rule(s), ${summary.intents.length} intent(s), ` +
            `default ${summary.default}`,
          intents: summary.intents.map((intent) => intent.name),
        };
      } catch (error) {
        return {
          ok: false,
          message: error instanceof Error ? error.message : String(error),
          hint: error instanceof AppError && error.hints[0] !== undefined
            ? error.hints[0]
            : 'fix the file, then run "thoth policy check"',
        };
      }
    },
    auditHealth: (context) => readAuditHealth(context.thothHome),
    discoverClients: async (context) => {
      const found = await discoverClientConfigs({
        env: context.env,
        os: context.os,
        thothCommand: io.selfCommand,
      });
      return found.map((config): ClientConfigReport => ({
        client: config.client,
        configPath: config.path,
        servers: config.servers
          .filter((server) => server.transport === "stdio" && !server.disabled)
          .map((server) => ({
            name: server.name,
            governed: server.governed,
            command: server.command ?? "",
            upstreamCommand: server.governed ? server.upstreamCommand : null,
            notUnderstood: server.state === "not_understood" ? server.note : null,
          })),
      }));
    },
  };
}

/**
 * The audit log's state from its state file: fast enough for `thoth health`
 * (no chain verification; `thoth audit verify` does that).
 */
async function readAuditHealth(thothHome: string): Promise<AuditHealth> {
  const paths = auditPaths(thothHome);
  let text: string;
  try {
    text = await Deno.readTextFile(paths.state);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        status: "missing",
        lastSequence: null,
        lastCheckpointAt: null,
        verified: null,
        message: "no audit log yet: it starts with the first governed session",
      };
    }
    return {
      status: "degraded",
      lastSequence: null,
      lastCheckpointAt: null,
      verified: null,
      message: `cannot read the audit state "${paths.state}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      hint: 'check the permissions of THOTH_HOME/audit, then run "thoth audit verify"',
    };
  }
  const state = parseLogState(text);
  if (state === undefined) {
    return {
      status: "degraded",
      lastSequence: null,
      lastCheckpointAt: null,
      verified: null,
      message: "the audit state file is damaged; the next write rebuilds it from the log",
      hint: 'run "thoth audit verify" to check the log itself',
    };
  }
  return {
    status: "ok",
    lastSequence: state.size === 0 ? null : state.size - 1,
    lastCheckpointAt: state.checkpointAt > 0 ? new Date(state.checkpointAt).toISOString() : null,
    verified: null,
    message: `${state.size} record(s); last checkpoint covers ${state.checkpointSize}`,
    hint: 'run "thoth audit verify" for a full check',
  };
}
