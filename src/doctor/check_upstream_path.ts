/**
 * Doctor check `upstream_path`: every command a client config starts (and,
 * for a governed server, the upstream command behind `thoth run --`) can be
 * found on the minimal `PATH` a desktop client gives its servers, or on the
 * `PATH` the server's `env` block sets.
 *
 * @example
 * ```ts
 * (await checkUpstreamPath(context, reports)).hint; // 'set "command" to an absolute path …'
 * ```
 */
import { findExecutable } from "../platform/find_executable.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";
import { guiClientPath } from "./gui_client_path.ts";

/** Resolves each server's commands on the GUI client's PATH. */
export async function checkUpstreamPath(
  context: DoctorContext,
  reports: readonly ClientConfigReport[] | null,
): Promise<DoctorCheck> {
  if (reports === null) {
    return {
      id: "upstream_path",
      status: "warn",
      message: "not checked: this build cannot discover MCP client configs yet",
      hint: null,
    };
  }
  const guiPath = guiClientPath(context.os, context.env);
  const missing: { server: string; command: string }[] = [];
  let checked = 0;
  for (const report of reports) {
    for (const server of report.servers) {
      const path = server.pathOverride ?? guiPath;
      const commands = [server.command];
      if (server.upstreamCommand !== null) commands.push(server.upstreamCommand);
      for (const command of commands) {
        checked++;
        const found = await findExecutable(command, path, context.os, context.host.isExecutable);
        if (found === null) missing.push({ server: server.name, command });
      }
    }
  }
  if (missing.length > 0) {
    const first = missing[0]!;
    return {
      id: "upstream_path",
      status: "fail",
      message: `not found on the desktop client's PATH (${guiPath}): ` +
        missing.map((m) => `"${m.command}" for server "${m.server}"`).join(", "),
      hint: `set "command" to an absolute path (find it with: command -v ${first.command}), ` +
        `or set PATH in the server's "env" block`,
    };
  }
  return {
    id: "upstream_path",
    status: "pass",
    message: `${checked} command${checked === 1 ? "" : "s"} found on the desktop client's PATH`,
    hint: null,
  };
}
