/**
 * The doctor and health plug-ins of this build: each area that can answer a
 * check does it here, so `src/doctor` stays free of the other areas.
 *
 * @example
 * ```ts
 * program.addCommand(doctorCommand(io, { plugins: thothDoctorPlugins(io) }));
 * ```
 */
import type { ClientConfigReport, DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { discoverClientConfigs } from "../config/discover_client_configs.ts";
import type { CliIo } from "./cli_io.ts";

/** The plug-ins wired to this build's modules. */
export function thothDoctorPlugins(io: CliIo): Partial<DoctorPlugins> {
  return {
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
          })),
      }));
    },
  };
}
