/**
 * Doctor check `upstream_path`: every command a client config starts (and,
 * for a governed server, the upstream command behind `thoth run --`) can be
 * found on the `PATH` that client gives its servers (the minimal `PATH` of a
 * desktop app; the user's own for Claude Code, a terminal program), or on the
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
import { clientPath } from "./gui_client_path.ts";

/** Resolves each server's commands on its client's PATH. */
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
  const missing: { server: string; command: string; client: string; path: string }[] = [];
  const clients = new Set<string>();
  let checked = 0;
  for (const report of reports) {
    const reportPath = clientPath(report.client, context.os, context.env);
    for (const server of report.servers) {
      const path = server.pathOverride ?? reportPath;
      const commands = [server.command];
      if (server.upstreamCommand !== null) commands.push(server.upstreamCommand);
      for (const command of commands) {
        checked++;
        clients.add(report.client);
        const found = await findExecutable(command, path, context.os, context.host.isExecutable);
        if (found === null) {
          missing.push({ server: server.name, command, client: report.client, path });
        }
      }
    }
  }
  const where = (m: (typeof missing)[number]) =>
    m.client === "claude-code"
      ? `Claude Code's PATH (yours: ${m.path})`
      : `the desktop client's PATH (${m.path})`;
  if (missing.length > 0) {
    const first = missing[0]!;
    const byPath = new Map<string, typeof missing>();
    for (const m of missing) {
      const key = where(m);
      byPath.set(key, [...(byPath.get(key) ?? []), m]);
    }
    return {
      id: "upstream_path",
      status: "fail",
      message: [...byPath].map(([where, found]) =>
        `not found on ${where}: ` +
        found.map((m) => `"${m.command}" for server "${m.server}"`).join(", ")
      ).join("; "),
      hint: `set "command" to an absolute path (find it with: command -v ${first.command}), ` +
        `or set PATH in the server's "env" block`,
    };
  }
  const onlyCode = clients.size > 0 && [...clients].every((client) => client === "claude-code");
  const someCode = clients.has("claude-code");
  return {
    id: "upstream_path",
    status: "pass",
    message: `${checked} command${checked === 1 ? "" : "s"} found on ` +
      (onlyCode
        ? "Claude Code's PATH (your PATH)"
        : someCode
        ? "each client's PATH (a desktop app's minimal PATH; your PATH for Claude Code)"
        : "the desktop client's PATH"),
    hint: null,
  };
}
