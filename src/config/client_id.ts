/**
 * The MCP clients whose config files thoth knows how to read and wrap.
 *
 * @example
 * ```ts
 * CLIENT_IDS.includes("cursor"); // true
 * const client: ClientId = "vscode";
 * ```
 */

/** Every client id `--client` accepts. */
export const CLIENT_IDS = [
  "claude-desktop",
  "cursor",
  "vscode",
  "claude-code",
  "windsurf",
] as const;

/** One MCP client. */
export type ClientId = typeof CLIENT_IDS[number];
