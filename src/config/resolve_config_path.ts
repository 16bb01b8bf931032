/**
 * Picks the config file a command works on: INPUT (relative to the working
 * directory) when given, else the chosen client's default file, Claude Desktop
 * when no client is chosen. Pure.
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
import { defaultConfigPath, type PlatformFacts } from "./default_config_path.ts";
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
