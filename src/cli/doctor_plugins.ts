/**
 * The doctor and health plug-ins of this build: each area that can answer a
 * check does it here, so `src/doctor` stays free of the other areas.
 *
 * @example
 * ```ts
 * program.addCommand(doctorCommand(io, { plugins: thothDoctorPlugins(io) }));
 * ```
 */
import type {
  ClientConfigReport,
  ClientDiscovery,
  DoctorPlugins,
  PluginContext,
} from "../doctor/doctor_plugins.ts";
import { AppError } from "../errors.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { compilePolicy } from "../policy/compile_policy.ts";
import { summarizePolicy } from "../policy/summarize_policy.ts";
import { discoverClientPlaces, type DiscoveredConfig } from "../config/discover_client_configs.ts";
import { verifyThothLaunch } from "../doctor/verify_thoth_launch.ts";
import type { CliIo } from "./cli_io.ts";
import { thothRunReaders } from "./run_readers.ts";

import { readAuditHealth } from "./read_audit_health.ts";
/** The plug-ins wired to this build's modules. */
export function thothDoctorPlugins(
  io: CliIo,
  /** The uid the thoth check takes doctor to run as (tests of the probe run as root). */
  uid: number | null = Deno.build.os === "windows" ? null : Deno.uid(),
): Partial<DoctorPlugins> {
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
    discoverClients: async (context) => (await discoverPlaces(io, context)).reports,
    discoverClientPlaces: (context) => discoverPlaces(io, context),
    verifyThoth: async (launch, path, context, configPath, scope) =>
      verifyThothLaunch(launch, path, {
        scope,
        self: io.selfCommand,
        os: context.os,
        uid,
        configOwner: (await Deno.stat(configPath).catch(() => null))?.uid ?? null,
        env: context.env,
      }),
  };
}

/**
 * The client configs with their servers, and where discovery looked. Every
 * local (stdio) server is listed, disabled or not: Claude Code ignores
 * `disabled`, and other clients start such a server again with one switch.
 * Remote servers and entries with nothing to start are listed apart.
 */
async function discoverPlaces(io: CliIo, context: PluginContext): Promise<ClientDiscovery> {
  const found = await discoverClientPlaces({
    env: context.env,
    os: context.os,
    thothCommand: io.selfCommand,
    run: thothRunReaders(context.thothHome),
  });
  return {
    reports: found.configs.map(clientReport),
    places: found.places,
    notChecked: found.notChecked,
  };
}

function clientReport(config: DiscoveredConfig): ClientConfigReport {
  const rows = config.servers.map((server, index) => ({
    server,
    launch: config.thothLaunches[index] ?? null,
    envPath: config.envPaths[index] ?? [],
  }));
  return {
    client: config.client,
    configPath: config.path,
    scope: config.scope,
    problem: config.error,
    problemHint: config.hint,
    servers: rows
      .filter(({ server }) => server.transport === "stdio")
      .map(({ server, launch, envPath }) => ({
        // Claude Code keeps one name in several scopes of one file: say which, as status does.
        name: server.project === null ? server.name : `${server.name} (${server.project})`,
        governed: server.governed,
        command: server.command ?? "",
        upstreamCommand: server.governed ? server.upstreamCommand : null,
        notUnderstood: server.state === "not_understood" ? server.note : null,
        refusals: server.refusals,
        warnings: server.warnings,
        disabled: server.disabled,
        thothLaunch: server.governed ? launch : null,
        enforcementMode: server.governed ? server.enforcementMode : null,
        envPath,
      })),
    otherServers: rows
      .filter(({ server }) => server.transport !== "stdio")
      .map(({ server }) => ({
        name: server.name,
        kind: server.transport === "remote" ? "remote" as const : "invalid" as const,
        note: server.transport === "remote"
          ? "remote server: thoth governs stdio servers only"
          : (server.note ?? "no command to start").replace(/^disabled$/, "no command to start"),
        disabled: server.disabled,
      })),
  };
}
