/**
 * Finds the MCP server entries in a parsed client config. Pure.
 *
 * Where each client keeps them:
 * - Claude Desktop, Cursor, Windsurf, Claude Code project scope (`.mcp.json`): `mcpServers`
 * - VS Code (`mcp.json`): `servers`; VS Code user settings: `mcp.servers`, nested
 *   (`"mcp": {"servers": …}`) or as one dotted key (`"mcp.servers": {…}`), since
 *   VS Code splits a settings key on its dots
 * - Claude Code user scope (`~/.claude.json`): `mcpServers` and `projects[path].mcpServers`
 *
 * Without a client every place is searched, so a file can be wrapped without
 * saying which client it belongs to.
 *
 * Where VS Code's servers cannot be told for sure, nothing is guessed: a file
 * with both `"mcp.servers"` and an `"mcp"` key (VS Code merges or overrides
 * them by key order), or with a key under `"mcp.servers."` (`"mcp.servers.fs"`
 * defines the server `fs`), is refused as not understood
 * (`config.invalid`, see {@linkcode ambiguousServersError}).
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
import { AppError } from "../errors.ts";

/** VS Code's settings key for its servers, as one dotted key. */
const DOTTED = "mcp.servers";

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

/**
 * Lists the server entries of the given client (or of every known client).
 * Throws `config.invalid` when VS Code's servers are ambiguous (see above);
 * `label` names the file in that error.
 */
export function serverEntries(
  root: Node,
  client?: ClientId,
  label = "this file",
): ServerEntry[] {
  // `from`: the node the path is looked up in, when not the root (a project's own node, found
  // once: looking each project up from the root again would cost the square of their count).
  const scopes: { path: JSONPath; project?: string; from?: Node | undefined; rest?: JSONPath }[] =
    [];
  const wants = (...clients: ClientId[]) => client === undefined || clients.includes(client);
  if (wants("claude-desktop", "cursor", "windsurf", "claude-code")) {
    scopes.push({ path: ["mcpServers"] });
  }
  if (wants("vscode")) {
    refuseAmbiguousSettings(root, label);
    scopes.push({ path: ["servers"] }, { path: ["mcp", "servers"] }, { path: [DOTTED] });
  }
  if (wants("claude-code")) {
    const projects = findNodeAtLocation(root, ["projects"]);
    if (projects?.type === "object") {
      // The first property of a key, as a lookup by path finds it.
      const first = new Map<string, Node | undefined>();
      for (const property of projects.children ?? []) {
        const [key, value] = property.children ?? [];
        if (typeof key?.value !== "string") continue;
        if (!first.has(key.value)) first.set(key.value, value);
        scopes.push({
          path: ["projects", key.value, "mcpServers"],
          project: key.value,
          from: first.get(key.value),
          rest: ["mcpServers"],
        });
      }
    }
  }
  const entries: ServerEntry[] = [];
  for (const scope of scopes) {
    const servers = scope.rest === undefined
      ? findNodeAtLocation(root, scope.path)
      : scope.from && findNodeAtLocation(scope.from, scope.rest);
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

/**
 * Refuses a file whose VS Code servers cannot be told for sure: VS Code reads
 * `"mcp.servers"` as `"mcp": {"servers": …}`, so beside an `"mcp"` key which
 * servers run depends on how it merges the two; and a top-level key under
 * `"mcp.servers."` defines a server by itself.
 */
function refuseAmbiguousSettings(root: Node, label: string): void {
  if (root.type !== "object") return;
  const keys = (root.children ?? []).flatMap((property) => {
    const key = property.children?.[0]?.value;
    return typeof key === "string" ? [key] : [];
  });
  const nested = keys.includes("mcp");
  const dotted = keys.includes(DOTTED);
  const deeper = keys.find((key) => key.startsWith(`${DOTTED}.`));
  if (deeper !== undefined) {
    throw ambiguousServersError(
      label,
      `the key ${JSON.stringify(deeper)}, which VS Code reads as a server inside "mcp.servers"`,
    );
  }
  if (nested && dotted) {
    throw ambiguousServersError(
      label,
      'both "mcp.servers" and "mcp", which VS Code merges into one setting (which servers win ' +
        "depends on their order and shape)",
    );
  }
}

/**
 * The refusal of a settings file whose VS Code servers thoth cannot tell for
 * sure (`config.invalid`): wrapping, unwrapping or judging a guess could
 * leave a server running without thoth. `label` names the file (its path).
 * The file is read; what it says is ambiguous, and the message says so.
 */
export function ambiguousServersError(label: string, what: string): AppError {
  return new AppError(
    "config.invalid",
    `cannot tell which MCP servers VS Code runs from ${label}: the file can be read, but ` +
      `which servers it defines is ambiguous, as it has ${what}`,
    {
      hints: [
        'keep the servers in one place: move every server into "mcp": {"servers": {…}} (or ' +
        'into one "mcp.servers": {…}) by hand, then run the command again; thoth changed nothing',
      ],
    },
  );
}
