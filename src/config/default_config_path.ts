/**
 * Where each client keeps its MCP config by default, per OS. Pure: the OS and
 * environment are passed in.
 *
 * | client | macOS | Windows | Linux |
 * | --- | --- | --- | --- |
 * | claude-desktop | `~/Library/Application Support/Claude/claude_desktop_config.json` | `%APPDATA%\Claude\claude_desktop_config.json` | `$XDG_CONFIG_HOME/Claude/claude_desktop_config.json` |
 * | vscode (user) | `~/Library/Application Support/Code/User/mcp.json` | `%APPDATA%\Code\User\mcp.json` | `$XDG_CONFIG_HOME/Code/User/mcp.json` |
 * | cursor | `~/.cursor/mcp.json` | same under `%USERPROFILE%` | same |
 * | windsurf | `~/.codeium/windsurf/mcp_config.json` | same under `%USERPROFILE%` | same |
 * | claude-code (user) | `~/.claude.json` | same under `%USERPROFILE%` | same |
 *
 * `$XDG_CONFIG_HOME` defaults to `~/.config`. Project scopes (`.mcp.json`,
 * `.vscode/mcp.json`, `.cursor/mcp.json`) are passed as INPUT.
 *
 * VS Code also reads servers from its user `settings.json` (`mcp.servers`),
 * beside `mcp.json`: {@linkcode clientConfigPlaces} lists both, for the
 * commands that look at every place a client reads (`doctor`, `health`).
 *
 * @example
 * ```ts
 * defaultConfigPath("claude-desktop", { os: "linux", env: { HOME: "/home/ana" } });
 * // "/home/ana/.config/Claude/claude_desktop_config.json"
 * defaultConfigPath("cursor", { os: "darwin", env: { HOME: "/Users/ana" } });
 * // "/Users/ana/.cursor/mcp.json"
 * ```
 */
import type { ClientId } from "./client_id.ts";
import { AppError } from "../errors.ts";
import type { ConfigCommand } from "./config_command.ts";

/** The OS (`Deno.build.os` values) and environment to resolve against. */
export interface PlatformFacts {
  os: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The default config file of a client; throws `config.no_home` without a
 * home folder, with a hint that says how `command` takes a file instead
 * (default: as INPUT).
 */
export function defaultConfigPath(
  client: ClientId,
  facts: PlatformFacts,
  command?: ConfigCommand,
): string {
  return placeOf(client, facts, command);
}

/**
 * Every user-level file `client` reads its MCP servers from, its default
 * config first: for VS Code, `mcp.json` and then `settings.json`
 * (`mcp.servers`); one file for the others. Throws like
 * {@linkcode defaultConfigPath}.
 *
 * @example
 * ```ts
 * clientConfigPlaces("vscode", { os: "linux", env: { HOME: "/home/ana" } });
 * // ["/home/ana/.config/Code/User/mcp.json", "/home/ana/.config/Code/User/settings.json"]
 * ```
 */
export function clientConfigPlaces(client: ClientId, facts: PlatformFacts): string[] {
  const first = placeOf(client, facts);
  return client === "vscode" ? [first, placeOf("vscode-settings", facts)] : [first];
}

function placeOf(
  client: ClientId | "vscode-settings",
  facts: PlatformFacts,
  command?: ConfigCommand,
): string {
  const windows = facts.os === "windows";
  const sep = windows ? "\\" : "/";
  const join = (...parts: string[]) =>
    parts.map((part, i) => i === 0 ? part.replace(/[\\/]+$/, "") : part).join(sep);
  const set = (name: string) => {
    const value = facts.env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const home = (windows ? set("USERPROFILE") : undefined) ?? set("HOME");
  if (home === undefined) {
    throw new AppError(
      "config.no_home",
      `cannot find the ${client} config: ${windows ? "USERPROFILE" : "HOME"} is not set`,
      {
        hints: [
          command?.takes === "--config FILE"
            ? "pass the config file with --config FILE"
            : "pass the config file as INPUT",
        ],
      },
    );
  }
  const appData = set("APPDATA") ?? join(home, "AppData", "Roaming");
  const xdg = set("XDG_CONFIG_HOME") ?? join(home, ".config");
  const userConfig = facts.os === "darwin"
    ? join(home, "Library", "Application Support")
    : windows
    ? appData
    : xdg;
  switch (client) {
    case "claude-desktop":
      return join(userConfig, "Claude", "claude_desktop_config.json");
    case "vscode":
      return join(userConfig, "Code", "User", "mcp.json");
    case "vscode-settings":
      return join(userConfig, "Code", "User", "settings.json");
    case "cursor":
      return join(home, ".cursor", "mcp.json");
    case "windsurf":
      return join(home, ".codeium", "windsurf", "mcp_config.json");
    case "claude-code":
      return join(home, ".claude.json");
  }
}
