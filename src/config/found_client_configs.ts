/**
 * The clients whose config is on this machine, for the hint of a command
 * run without `--client` or a file when Claude Desktop's config (the
 * default) is missing: someone with only Claude Code, say, is told
 * `thoth status --client claude-code` rather than left to guess. A client
 * counts as found when the file `--client` makes the command read first is
 * a file (for VS Code its `mcp.json`, the one it requires).
 *
 * @example
 * ```ts
 * const found = foundClientConfigs({ os: "linux", env: { HOME: "/home/ana" }, cwd: "/" }, isFile);
 * foundClientHints(found, { name: "status", takes: "--config FILE" });
 * // ['found Claude Code\'s config "/home/ana/.claude.json": run "thoth status --client claude-code"']
 * ```
 */
import { CLIENT_IDS, type ClientId } from "./client_id.ts";
import type { ConfigCommand } from "./config_command.ts";
import type { PlatformFacts } from "./default_config_path.ts";
import { resolveConfigPlaces } from "./resolve_config_path.ts";
import { AppError, isAppError } from "../errors.ts";

/** A client's config found on disk. */
export interface FoundClientConfig {
  readonly client: ClientId;
  readonly path: string;
}

/** Each client as people name it. */
const CLIENT_NAMES: Readonly<Record<ClientId, string>> = {
  "claude-desktop": "Claude Desktop",
  cursor: "Cursor",
  vscode: "VS Code",
  "claude-code": "Claude Code",
  windsurf: "Windsurf",
};

/**
 * The clients, in `--client`'s order, whose first config file `isFile`
 * finds. A client whose place cannot be told (no home folder) is skipped.
 */
export function foundClientConfigs(
  facts: PlatformFacts & { readonly cwd: string },
  isFile: (path: string) => boolean,
): FoundClientConfig[] {
  const found: FoundClientConfig[] = [];
  for (const client of CLIENT_IDS) {
    let path: string;
    try {
      path = resolveConfigPlaces({ ...facts, client })[0]!.path;
    } catch (error) {
      if (isAppError(error)) continue;
      throw error;
    }
    if (isFile(path)) found.push({ client, path });
  }
  return found;
}

/** One hint per found client: where its config is, and the command that reads it. Pure. */
export function foundClientHints(
  found: readonly FoundClientConfig[],
  command: ConfigCommand,
): string[] {
  return found.map(({ client, path }) =>
    `found ${
      CLIENT_NAMES[client]
    }'s config "${path}": run "thoth ${command.name} --client ${client}"`
  );
}

/**
 * `error` with the found clients' hints first, when it is the missing
 * default config (`config.not_found` naming `missing`) of a command run
 * without `--client` or a file; else `error` as it is.
 */
export function withFoundClients(
  error: unknown,
  missing: string,
  found: () => readonly FoundClientConfig[],
  command: ConfigCommand,
): unknown {
  if (!isAppError(error, "config.not_found") || !error.message.includes(`"${missing}"`)) {
    return error;
  }
  const hints = foundClientHints(found().filter((each) => each.path !== missing), command);
  if (hints.length === 0) return error;
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [...hints, ...error.hints],
    exitCode: error.exitCode,
  });
}
