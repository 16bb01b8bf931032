/**
 * The MCP clients' own config files that a governed server must not reach:
 * each client's user config (`claude_desktop_config.json`, `~/.claude.json`,
 * Cursor's and Windsurf's `mcp.json`, VS Code's `mcp.json` and
 * `settings.json`). `wrap-config` puts thoth in them; a server that edits one
 * could take itself out of governance at its next start, and one that reads
 * one sees the other servers' credentials. Project configs (`.mcp.json` in a
 * repository) are a project's own files and are not listed. Pure.
 *
 * @example
 * ```ts
 * protectedClientConfigs({ os: "linux", env: { HOME: "/home/ana" } });
 * // ["/home/ana/.config/Claude/claude_desktop_config.json", "/home/ana/.cursor/mcp.json", …]
 * ```
 */
import { CLIENT_IDS } from "./client_id.ts";
import { clientConfigPlaces, type PlatformFacts } from "./default_config_path.ts";

/** Every client's user config file on `facts`; none without a home folder. */
export function protectedClientConfigs(facts: PlatformFacts): string[] {
  const files: string[] = [];
  for (const client of CLIENT_IDS) {
    try {
      files.push(...clientConfigPlaces(client, facts));
    } catch {
      // No home folder: the client has no config this could name.
    }
  }
  return [...new Set(files)];
}
