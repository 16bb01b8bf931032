/**
 * The agent ids `wrap-config` gives the servers of every file one run
 * wraps ({@linkcode reserveAgentIds}, {@linkcode reserveIds}): the ids the
 * wrapped servers keep first, then the names that are valid ids, so that no
 * two servers get one id. Pure.
 *
 * @example
 * ```ts
 * const agentIds = reserveAgentIds(
 *   [{ text: '{"mcpServers": {"fs": {"command": "npx"}}}', label: "c.json" }],
 *   { thothCommand: ["/opt/thoth/bin/thoth"] },
 * );
 * agentIds.has("fs"); // true
 * ```
 */
import { parseConfig } from "./parse_config.ts";
import { serverEntries, type ServerEntry } from "./server_entries.ts";
import { classifyEntry, type EntryClass, type StdioEntry } from "./classify_entry.ts";
import { invocationContext, wrappedAgentId } from "./wrap_entry.ts";
import { readThothInvocation } from "./thoth_invocation.ts";
import type { ClientId } from "./client_id.ts";
import { agentIdFor, AgentIds, type ServerScope } from "./agent_id_for.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";

/**
 * The agent ids of every file one run wraps, for `WrapOptions.agentIds` (see `plan_wrap.ts`):
 * the ids the wrapped servers of all the files keep first, then the names
 * that are valid ids, across all the files, so that no server in one file
 * gets an id a server in another already has (two servers of one id are
 * what `thoth status` reports as drift). Each text is parsed as
 * `planWrap` parses it (throws `config.invalid` like it).
 *
 * @example
 * ```ts
 * const files = [
 *   { text: '{"servers": {"notes café": {"command": "notes"}}}', label: "mcp.json" },
 *   { text: '{"mcp": {"servers": {"notes-cafe": {"command": "notes"}}}}', label: "settings.json" },
 * ];
 * const options = { thothCommand: ["/opt/thoth/bin/thoth"], client: "vscode" as const };
 * const agentIds = reserveAgentIds(files, options);
 * files.map((f) => planWrap(f.text, { ...options, label: f.label, agentIds }));
 * // "notes café" gets "notes-cafe-2": "notes-cafe" is the other file's server's own name
 * ```
 */
export function reserveAgentIds(
  files: readonly { text: string; label: string }[],
  options: { thothCommand: readonly string[]; client?: ClientId },
): AgentIds {
  const agentIds = new AgentIds(flaggedAsKey);
  reserveIds(
    agentIds,
    files.map(({ text, label }) => {
      const entries = serverEntries(parseConfig(text, label), options.client, label);
      return { entries, kinds: entries.map((entry) => classifyEntry(entry.node)) };
    }),
    options.thothCommand,
  );
  return agentIds;
}

/**
 * The ids wrapped servers keep, then the names that are ids, over every file
 * given (see AgentIds). A server is its name and the command it starts: one
 * name starting two commands (in two Claude Code projects, or in two files)
 * is two servers, and gets two ids.
 */
export function reserveIds(
  agentIds: AgentIds,
  files: readonly { entries: readonly ServerEntry[]; kinds: readonly EntryClass[] }[],
  thothCommand: readonly string[],
): void {
  const unwrapped: { name: string; scope: ServerScope }[] = [];
  for (const { entries, kinds } of files) {
    entries.forEach((entry, i) => {
      const kind = kinds[i]!;
      if (kind.kind !== "stdio") return;
      const id = wrappedAgentId(kind, thothCommand);
      const scope = serverScope(kind, entry, thothCommand);
      if (id === undefined) unwrapped.push({ name: entry.name, scope });
      // An id thoth run refuses as a key is not kept: wrap-config gives the server another.
      else if (id !== null && !flaggedAsKey(id)) agentIds.keep(entry.name, id, scope.upstream);
    });
  }
  for (const { name, scope } of unwrapped) {
    if (agentIdFor(name, undefined, flaggedAsKey) === name && !agentIds.has(name)) {
      agentIds.for(name, scope);
    }
  }
}

/** What an entry starts (behind thoth once wrapped) and where it is defined. */
function serverScope(
  kind: StdioEntry,
  entry: ServerEntry,
  thothCommand: readonly string[],
): ServerScope {
  const args = (kind.args?.children ?? []).map((node) => node.value as string);
  const command = kind.command.value as string;
  const found = readThothInvocation(command, args, thothCommand, invocationContext(kind.env));
  const upstream = found?.kind === "wrapped" ? found.upstream : [command, ...args];
  return { upstream, ...projectOf(entry) };
}

/** The Claude Code project an entry belongs to, as a spreadable field (none when it has none). */
export function projectOf(entry: ServerEntry): { project?: string } {
  return entry.project === undefined ? {} : { project: entry.project };
}
