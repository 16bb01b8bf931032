/**
 * Doctor check `client_configs`: which MCP client configs were found and how
 * many of their servers run through thoth. An ungoverned server is a warning
 * with the command that wraps it.
 *
 * @example
 * ```ts
 * checkClientConfigs(reports).message; // "2 client configs, 5 of 6 servers governed; not governed: slack"
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";

/** Summarizes discovered configs; `null` means discovery is not available. */
export function checkClientConfigs(reports: readonly ClientConfigReport[] | null): DoctorCheck {
  if (reports === null) {
    return {
      id: "client_configs",
      status: "warn",
      message: "not checked: this build cannot discover MCP client configs yet",
      hint: null,
    };
  }
  if (reports.length === 0) {
    return {
      id: "client_configs",
      status: "warn",
      message: "no MCP client configs found",
      hint: 'install Claude Desktop and add an MCP server, then run "thoth wrap-config"',
    };
  }
  const servers = reports.flatMap((r) =>
    r.servers.map((s) => ({ ...s, configPath: r.configPath }))
  );
  const ungoverned = servers.filter((s) => !s.governed);
  const governed = servers.length - ungoverned.length;
  const base = `${reports.length} client config${reports.length === 1 ? "" : "s"}, ` +
    `${governed} of ${servers.length} servers governed`;
  if (ungoverned.length > 0) {
    const first = ungoverned[0]!;
    return {
      id: "client_configs",
      status: "warn",
      message: `${base}; not governed: ${ungoverned.map((s) => s.name).join(", ")}`,
      hint:
        `wrap them with: thoth wrap-config --output "${first.configPath}" "${first.configPath}"`,
    };
  }
  return { id: "client_configs", status: "pass", message: base, hint: null };
}
