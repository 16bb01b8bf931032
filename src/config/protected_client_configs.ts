/**
 * The MCP clients' own config files that a governed server must not reach:
 * each client's user config (`claude_desktop_config.json`, `~/.claude.json`,
 * Cursor's and Windsurf's `mcp.json`, VS Code's `mcp.json` and
 * `settings.json`), and the other files those clients read servers or
 * commands from (see {@linkcode OTHER_PLACES}). `wrap-config` puts thoth in
 * the first ones; a server that edits one could take itself out of governance
 * at its next start (or have the client run a command of its choosing), and
 * one that reads one sees the other servers' credentials. Project configs
 * (`.mcp.json` in a repository) are in no fixed place: they are protected by
 * name, in any folder (`src/policy/project_configs.ts`). A folder in the
 * list is protected with everything in it. Pure.
 *
 * @example
 * ```ts
 * protectedClientConfigs({ os: "linux", env: { HOME: "/home/ana" } });
 * // ["/home/ana/.config/Claude/claude_desktop_config.json", "/home/ana/.cursor/mcp.json", …]
 * ```
 */
import { CLIENT_IDS } from "./client_id.ts";
import { clientConfigPlaces, type PlatformFacts } from "./default_config_path.ts";

/**
 * Files and folders the clients read servers or commands from besides the
 * configs `wrap-config` edits, each as segments under the home folder
 * (`home`) or under the per-user config folder (`config`: `~/Library/Application
 * Support` on macOS, `%APPDATA%` on Windows, `$XDG_CONFIG_HOME` elsewhere).
 */
const OTHER_PLACES: readonly { under: "home" | "config"; segments: readonly string[] }[] = [
  // Claude Code's user settings: its hooks run commands, and it reads servers from them.
  { under: "home", segments: [".claude", "settings.json"] },
  // Claude Code's local user settings, read and merged like the file above.
  { under: "home", segments: [".claude", "settings.local.json"] },
  // VS Code's profiles, each with its own `mcp.json` and `settings.json` (a folder per profile).
  { under: "config", segments: ["Code", "User", "profiles"] },
  // VS Code Insiders' user MCP config.
  { under: "config", segments: ["Code - Insiders", "User", "mcp.json"] },
  // VS Code Insiders' user settings (`mcp.servers`, as in VS Code).
  { under: "config", segments: ["Code - Insiders", "User", "settings.json"] },
  // VS Code Insiders' profiles.
  { under: "config", segments: ["Code - Insiders", "User", "profiles"] },
  // VSCodium's user MCP config.
  { under: "config", segments: ["VSCodium", "User", "mcp.json"] },
  // VSCodium's user settings.
  { under: "config", segments: ["VSCodium", "User", "settings.json"] },
  // VSCodium's profiles.
  { under: "config", segments: ["VSCodium", "User", "profiles"] },
];

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
  // The home and per-user config folders, as the clients' own places name them (Claude
  // Code's `~/.claude.json`, VS Code's `Code/User/mcp.json`): one source for both.
  const sep = facts.os === "windows" ? "\\" : "/";
  const folderOf = (tail: readonly string[]) => {
    const place = files.find((file) => file.endsWith(sep + tail.join(sep)));
    return place?.slice(0, place.length - tail.join(sep).length - 1);
  };
  const home = folderOf([".claude.json"]);
  const config = folderOf(["Code", "User", "mcp.json"]);
  for (const { under, segments } of OTHER_PLACES) {
    const folder = under === "home" ? home : config;
    if (folder !== undefined) files.push([folder, ...segments].join(sep));
  }
  return [...new Set(files)];
}
