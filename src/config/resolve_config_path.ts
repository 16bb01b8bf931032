/**
 * Picks the config file a command works on: INPUT (relative to the working
 * directory) when given, else the chosen client's default file, Claude Desktop
 * when no client is chosen. {@linkcode resolveConfigPlaces} lists every file
 * a client reads servers from: VS Code reads them from its user
 * `settings.json` (`mcp.servers`) as well as from `mcp.json`. Pure.
 *
 * @example
 * ```ts
 * resolveConfigPath({ input: "mcp.json", cwd: "/home/ana/project", os: "linux", env: {} });
 * // "/home/ana/project/mcp.json"
 * resolveConfigPath({ cwd: "/", os: "darwin", env: { HOME: "/Users/ana" }, client: "cursor" });
 * // "/Users/ana/.cursor/mcp.json"
 * ```
 */
import type { ClientId } from "./client_id.ts";
import {
  clientConfigPlaces,
  defaultConfigPath,
  type PlatformFacts,
} from "./default_config_path.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import type { ConfigCommand } from "./config_command.ts";

/** What the choice depends on. */
export interface ConfigPathChoice extends PlatformFacts {
  input?: string | undefined;
  client?: ClientId | undefined;
  cwd: string;
  /** How the command takes a config file, for the hint when HOME is not set. */
  command?: ConfigCommand | undefined;
}

/** Returns an absolute path. */
export function resolveConfigPath(choice: ConfigPathChoice): string {
  if (choice.input === undefined) {
    return defaultConfigPath(choice.client ?? "claude-desktop", choice, choice.command);
  }
  if (isAbsolutePath(choice.input)) return choice.input;
  const sep = choice.os === "windows" ? "\\" : "/";
  const base = choice.cwd.replace(/[\\/]+$/, "");
  return `${base}${sep}${choice.input.replace(/^\.[\\/]/, "")}`;
}

/** A file a command works on, from {@linkcode resolveConfigPlaces}. */
export interface ConfigPlace {
  /** Absolute path. */
  path: string;
  /**
   * A file the client also reads servers from (VS Code's user
   * `settings.json`): it is no error when it is missing or names no MCP
   * servers, and one that does not parse is an error only when it mentions
   * MCP (see {@linkcode mayNameMcpServers}).
   */
  optional: boolean;
}

/**
 * Every file a command works on: INPUT alone when given (or Claude Desktop's
 * config when no client is chosen), else every user-level file the chosen
 * client reads its servers from, its default config first. For VS Code that
 * is `mcp.json` and then `settings.json` (optional): a server in either runs.
 * (The commands take their files from `findConfigPlaces`, which adds what
 * must be found on disk: VS Code Insiders', VSCodium's and every profile's.)
 * Throws `config.no_home` like {@linkcode resolveConfigPath}.
 *
 * @example
 * ```ts
 * resolveConfigPlaces({ cwd: "/", os: "linux", env: { HOME: "/home/ana" }, client: "vscode" });
 * // [{ path: "/home/ana/.config/Code/User/mcp.json", optional: false },
 * //  { path: "/home/ana/.config/Code/User/settings.json", optional: true }]
 * ```
 */
export function resolveConfigPlaces(choice: ConfigPathChoice): ConfigPlace[] {
  const first = resolveConfigPath(choice);
  if (choice.input !== undefined || choice.client === undefined) {
    return [{ path: first, optional: false }];
  }
  return clientConfigPlaces(choice.client, choice).map((path, index) => ({
    path,
    optional: index > 0,
  }));
}

/**
 * Whether the text of an optional place (a settings file, or an `mcp.json`
 * of VS Code Insiders, VSCodium or a profile) may name MCP servers: a file
 * that does not parse is that config's problem only then, else it is no MCP
 * config at all, as `thoth doctor` judges it. It may when it mentions `mcp`
 * or `servers` anywhere (in any case), or holds a `\u` escape, which can
 * spell either in a key (VS Code's reader makes what it can of a broken
 * file, so its servers may still run).
 *
 * @example
 * ```ts
 * mayNameMcpServers('{"editor.fontSize": 14,'); // false
 * mayNameMcpServers('{"servers": {"x": {"command": "node"}'); // true
 * ```
 */
export function mayNameMcpServers(text: string): boolean {
  return /mcp|servers|\\u/i.test(text);
}
