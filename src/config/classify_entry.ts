/**
 * Sorts one server entry into what thoth can govern and what it leaves alone.
 * Pure.
 *
 * - `stdio`: a local command (`command`, optional `args`, `env`, `type: "stdio"`)
 * - `remote`: `url`, `serverUrl` or `type` http/sse/streamable-http; thoth governs stdio only
 * - `disabled`: `"disabled": true`; left alone
 * - `invalid`: something thoth cannot safely rewrite, with the reason
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * classifyEntry(parseTree('{"url": "https://x.example/mcp"}')!).kind; // "remote"
 * classifyEntry(parseTree('{"command": "npx", "args": ["-y", "pkg"]}')!).kind; // "stdio"
 * ```
 */
import { findNodeAtLocation, type Node } from "jsonc-parser";

/** A stdio entry with the nodes thoth edits. */
export interface StdioEntry {
  kind: "stdio";
  command: Node;
  args?: Node;
  env?: Node;
  disabled: boolean;
  /** The property nodes of the entry, in order. */
  entry: Node;
}

/** What an entry is. */
export type EntryClass =
  | StdioEntry
  | { kind: "remote"; reason: string; disabled: boolean }
  | { kind: "invalid"; reason: string; disabled: boolean };

const REMOTE_TYPES = new Set(["http", "sse", "streamable-http", "streamableHttp", "ws"]);

/** Classifies an entry value node. */
export function classifyEntry(node: Node): EntryClass {
  if (node.type !== "object") {
    return { kind: "invalid", reason: "the entry is not an object", disabled: false };
  }
  const at = (key: string) => findNodeAtLocation(node, [key]);
  const disabled = at("disabled")?.value === true;
  const type = at("type");
  if (typeof type?.value === "string" && REMOTE_TYPES.has(type.value)) {
    return {
      kind: "remote",
      reason: `remote server (type "${type.value}"): not governed, thoth governs stdio servers`,
      disabled,
    };
  }
  for (const key of ["url", "serverUrl"]) {
    if (at(key) !== undefined) {
      return {
        kind: "remote",
        reason: `remote server ("${key}"): not governed, thoth governs stdio servers`,
        disabled,
      };
    }
  }
  if (type !== undefined && type.value !== "stdio") {
    return { kind: "invalid", reason: `unknown "type" ${jsonText(type)}`, disabled };
  }
  const command = at("command");
  if (command === undefined || command.type !== "string" || command.value === "") {
    return { kind: "invalid", reason: 'no "command" string', disabled };
  }
  const args = at("args");
  if (args !== undefined) {
    if (args.type !== "array" || (args.children ?? []).some((arg) => arg.type !== "string")) {
      return { kind: "invalid", reason: '"args" is not a list of strings', disabled };
    }
  }
  const env = at("env");
  if (env !== undefined) {
    const values = (env.children ?? []).map((property) => property.children?.[1]);
    if (env.type !== "object" || values.some((value) => value?.type !== "string")) {
      return { kind: "invalid", reason: '"env" is not an object of strings', disabled };
    }
  }
  const entry: StdioEntry = { kind: "stdio", command, disabled, entry: node };
  if (args !== undefined) entry.args = args;
  if (env !== undefined) entry.env = env;
  return entry;
}

function jsonText(node: Node): string {
  return node.value === undefined ? `(${node.type})` : JSON.stringify(node.value);
}
