/**
 * Finds the MCP server entries in a parsed client config. Pure.
 *
 * Where each client keeps them:
 * - Claude Desktop, Cursor, Windsurf, Claude Code project scope (`.mcp.json`): `mcpServers`
 * - VS Code (`mcp.json`): `servers`; VS Code user settings: `mcp.servers`
 * - Claude Code user scope (`~/.claude.json`): `mcpServers` and `projects[path].mcpServers`
 *
 * Without a client every place is searched, so a file can be wrapped without
 * saying which client it belongs to.
 *
 * @example
 * ```ts
 * import { parseConfig } from "./parse_config.ts";
 * const root = parseConfig('{"mcpServers": {"fs": {"command": "npx"}}}', "c.json");
 * serverEntries(root).map((e) => e.name); // ["fs"]
 * ```
 */
import { findNodeAtLocation, type JSONPath, type Node } from "jsonc-parser";
import type { ClientId } from "./client_id.ts";

/** One server entry and where it sits. */
export interface ServerEntry {
  /** The server's key, which is also its agent id. */
  name: string;
  /** Path of the servers object, e.g. `["projects", "/home/ana/app", "mcpServers"]`. */
  scopePath: JSONPath;
  /** The project path for Claude Code project entries, else undefined. */
  project?: string;
  /** The entry's value node (an object for a usable entry). */
  node: Node;
}

/** Lists the server entries of the given client (or of every known client). */
export function serverEntries(root: Node, client?: ClientId): ServerEntry[] {
  const scopes: { path: JSONPath; project?: string }[] = [];
  const wants = (...clients: ClientId[]) => client === undefined || clients.includes(client);
  if (wants("claude-desktop", "cursor", "windsurf", "claude-code")) {
    scopes.push({ path: ["mcpServers"] });
  }
  if (wants("vscode")) {
    scopes.push({ path: ["servers"] }, { path: ["mcp", "servers"] });
  }
  if (wants("claude-code")) {
    const projects = findNodeAtLocation(root, ["projects"]);
    if (projects?.type === "object") {
      for (const property of projects.children ?? []) {
        const key = property.children?.[0]?.value;
        if (typeof key === "string") {
          scopes.push({ path: ["projects", key, "mcpServers"], project: key });
        }
      }
    }
  }
  const entries: ServerEntry[] = [];
  for (const scope of scopes) {
    const servers = findNodeAtLocation(root, scope.path);
    if (servers?.type !== "object") continue;
    for (const property of servers.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key === undefined || value === undefined || typeof key.value !== "string") continue;
      const entry: ServerEntry = { name: key.value, scopePath: scope.path, node: value };
      if (scope.project !== undefined) entry.project = scope.project;
      entries.push(entry);
    }
  }
  return entries;
}
