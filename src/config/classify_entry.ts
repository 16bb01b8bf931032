/**
 * Sorts one server entry into what thoth can govern and what it leaves alone.
 * Pure.
 *
 * - `stdio`: a local command (`command`, optional `args`, `env`, `type: "stdio"`)
 * - `unwrappable`: a local command the client would start but thoth cannot
 *   rewrite safely (an argument or `env` value that is not a string, an `env`
 *   that is not an object, both `command` and `url` without `"type": "stdio"`,
 *   an unknown `type`); with the reason and what to fix. It runs without
 *   thoth, so `status` counts it as ungoverned and `wrap-config` says so.
 * - `remote`: `url`, `serverUrl` or `type` http/sse/streamable-http; thoth governs stdio only
 * - every kind carries `disabled` (`"disabled": true`), which changes nothing
 *   else: Claude Code ignores it, and other clients enable a server with one
 *   toggle, so a disabled local command is wrapped and counted like any other
 * - `invalid`: no command to start (not an object, no `command` string), with the reason
 *
 * An explicit `"type": "stdio"` (in any case) wins over a stray `url`: the
 * client starts the command. `type` is read case-insensitively.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * classifyEntry(parseTree('{"url": "https://x.example/mcp"}')!).kind; // "remote"
 * classifyEntry(parseTree('{"command": "npx", "args": ["-y", "pkg"]}')!).kind; // "stdio"
 * classifyEntry(parseTree('{"command": "node", "args": ["s.js", "--port", 8080]}')!).kind;
 * // "unwrappable"
 * ```
 */
import type { Node } from "jsonc-parser";

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

/** A local command thoth cannot rewrite: it runs without thoth until the entry is fixed. */
export interface UnwrappableEntry {
  kind: "unwrappable";
  /** The command the client starts. */
  command: string;
  /** What thoth cannot rewrite, e.g. `"args" item 3 is not a string (8080)`. */
  reason: string;
  /** What to change in the entry so that `wrap-config` can govern it. */
  fix: string;
  disabled: boolean;
}

/** What an entry is. */
export type EntryClass =
  | StdioEntry
  | UnwrappableEntry
  | {
    kind: "remote";
    reason: string;
    disabled: boolean;
    /** The `url` (or `serverUrl`) as written, when it is a string; else undefined. */
    url?: string;
  }
  | { kind: "invalid"; reason: string; disabled: boolean };

const REMOTE_TYPES = new Set(["http", "sse", "streamable-http", "streamablehttp", "ws"]);

/** Classifies an entry value node. */
export function classifyEntry(node: Node): EntryClass {
  if (node.type !== "object") {
    return { kind: "invalid", reason: "the entry is not an object", disabled: false };
  }
  const props = properties(node);
  const at = (key: string) => props.get(key);
  const disabled = at("disabled")?.value === true;
  const type = at("type");
  const typeName = typeof type?.value === "string" ? type.value.toLowerCase() : undefined;
  const command = at("command");
  const commandText = command?.type === "string" && command.value !== ""
    ? command.value as string
    : undefined;
  const unwrappable = (reason: string, fix: string): UnwrappableEntry => ({
    kind: "unwrappable",
    command: commandText!,
    reason,
    fix,
    disabled,
  });
  if (typeName !== "stdio") {
    const urlKey = ["url", "serverUrl"].find((key) => at(key) !== undefined);
    const urlValue = urlKey === undefined ? undefined : at(urlKey)?.value;
    const url = typeof urlValue === "string" ? { url: urlValue } : {};
    if (typeName !== undefined && REMOTE_TYPES.has(typeName)) {
      return {
        kind: "remote",
        reason: `remote server (type "${type!.value}"): not governed, thoth governs stdio servers`,
        disabled,
        ...url,
      };
    }
    if (type === undefined && urlKey !== undefined && commandText !== undefined) {
      return unwrappable(
        `it has both "command" and "${urlKey}" and no "type"`,
        `add "type": "stdio" if the client should start the command, or remove "command"`,
      );
    }
    if (type === undefined && urlKey !== undefined) {
      return {
        kind: "remote",
        reason: `remote server ("${urlKey}"): not governed, thoth governs stdio servers`,
        disabled,
        ...url,
      };
    }
    if (type !== undefined && commandText !== undefined) {
      return unwrappable(
        `unknown "type" ${jsonText(type)}`,
        'set "type" to "stdio" for a local command',
      );
    }
    if (type !== undefined) {
      return { kind: "invalid", reason: `unknown "type" ${jsonText(type)}`, disabled };
    }
  }
  if (command === undefined || commandText === undefined) {
    return { kind: "invalid", reason: 'no "command" string', disabled };
  }
  const args = at("args");
  if (args !== undefined) {
    if (args.type !== "array") {
      return unwrappable(
        `"args" is ${jsonText(args)}, not a list`,
        'make "args" a list of strings, or remove it',
      );
    }
    const index = (args.children ?? []).findIndex((arg) => arg.type !== "string");
    if (index >= 0) {
      const item = args.children![index]!;
      return unwrappable(
        `"args" item ${index + 1} is not a string (${jsonText(item)})`,
        `write it as a string${
          item.value === undefined ? "" : ` (${JSON.stringify(String(item.value))})`
        }`,
      );
    }
  }
  const env = at("env");
  if (env !== undefined) {
    if (env.type !== "object") {
      return unwrappable(
        `"env" is ${jsonText(env)}, not an object`,
        'make "env" an object of strings, or remove it',
      );
    }
    for (const property of env.children ?? []) {
      const [key, value] = property.children ?? [];
      if (value?.type === "string") continue;
      const name = typeof key?.value === "string" ? key.value : "?";
      return unwrappable(
        `"env" value of ${JSON.stringify(name)} is not a string (${
          value === undefined ? "none" : jsonText(value)
        })`,
        `write it as a string${
          value?.value === undefined ? "" : ` (${JSON.stringify(String(value.value))})`
        }`,
      );
    }
  }
  const entry: StdioEntry = { kind: "stdio", command, disabled, entry: node };
  if (args !== undefined) entry.args = args;
  if (env !== undefined) entry.env = env;
  return entry;
}

/** The entry's properties by key; the first of a repeated key (the config reader refuses those). */
function properties(node: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === "string" && value !== undefined && !map.has(key.value)) {
      map.set(key.value, value);
    }
  }
  return map;
}

function jsonText(node: Node): string {
  if (node.type === "null") return "null";
  return node.value === undefined ? `(${node.type})` : JSON.stringify(node.value);
}
