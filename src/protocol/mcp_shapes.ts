/**
 * The few MCP shapes the relay reads: `tools/call` params, `tools/list`
 * results, the protocol era of a request. Hand-checked rather than run
 * through a schema library because they sit on the hot path of every call.
 *
 * @example
 * ```ts
 * const p = readToolCallParams({ name: "echo", arguments: { message: "hi" } });
 * if (p.ok) console.log(p.name);
 * ```
 */
import type { ProtocolEra, ToolAnnotations } from "../policy/tool_call.ts";

/** The `_meta` key a 2026-07-28 request carries its protocol version under. */
export const STATELESS_VERSION_META = "io.modelcontextprotocol/protocolVersion";
/** The `_meta` key under which a stateless-era (2026-07-28) request declares its client's capabilities. */
export const STATELESS_CAPABILITIES_META = "io.modelcontextprotocol/clientCapabilities";

/** The longest tool name thoth inspects (MCP recommends at most 128). */
export const MAX_TOOL_NAME = 256;

/** The parsed `tools/call` params, or why they cannot be inspected. */
export type ToolCallParams =
  | { ok: true; name: string; arguments: Record<string, unknown> | undefined }
  | { ok: false; problem: string };

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads `tools/call` params; anything uninspectable is reported, never guessed. */
export function readToolCallParams(params: unknown): ToolCallParams {
  if (!isPlainObject(params)) return { ok: false, problem: "params must be an object" };
  const name = params["name"];
  if (typeof name !== "string" || name === "") {
    return { ok: false, problem: "params.name must be a non-empty string" };
  }
  if (name.length > MAX_TOOL_NAME) {
    // Names are matched against policy globs; MCP asks for 128 characters at most.
    return { ok: false, problem: `params.name is longer than ${MAX_TOOL_NAME} characters` };
  }
  const args = params["arguments"];
  if (args === undefined || args === null) return { ok: true, name, arguments: undefined };
  if (!isPlainObject(args)) return { ok: false, problem: "params.arguments must be an object" };
  return { ok: true, name, arguments: args };
}

/** A request's protocol era and version, given the version negotiated by `initialize`. */
export function requestEra(
  params: unknown,
  negotiated: string | undefined,
): { era: ProtocolEra; protocolVersion: string | undefined } {
  if (isPlainObject(params)) {
    const meta = params["_meta"];
    if (isPlainObject(meta)) {
      const version = meta[STATELESS_VERSION_META];
      if (typeof version === "string") return { era: "stateless", protocolVersion: version };
    }
  }
  return { era: "initialize", protocolVersion: negotiated };
}

const ANNOTATION_FLAGS = [
  "readOnlyHint",
  "destructiveHint",
  "idempotentHint",
  "openWorldHint",
] as const;

/** Tool names and annotations from a `tools/list` result; tools without a name are skipped. */
export function readToolsListResult(result: unknown): Map<string, ToolAnnotations> {
  const tools = new Map<string, ToolAnnotations>();
  if (!isPlainObject(result) || !Array.isArray(result["tools"])) return tools;
  for (const tool of result["tools"]) {
    if (!isPlainObject(tool) || typeof tool["name"] !== "string") continue;
    const annotations: ToolAnnotations = {};
    const raw = tool["annotations"];
    if (isPlainObject(raw)) {
      for (const flag of ANNOTATION_FLAGS) {
        const value = raw[flag];
        if (typeof value === "boolean") annotations[flag] = value;
      }
      if (typeof raw["title"] === "string") annotations.title = raw["title"];
    }
    tools.set(tool["name"], annotations);
  }
  return tools;
}

/** Whether a `tools/list` request asked for a later page (so the tool map is extended, not replaced). */
export function hasCursor(params: unknown): boolean {
  return isPlainObject(params) && typeof params["cursor"] === "string";
}

/** The `requestId` of a `notifications/cancelled`, if well formed. */
export function cancelledRequestId(params: unknown): string | number | undefined {
  if (!isPlainObject(params)) return undefined;
  const id = params["requestId"];
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

/**
 * Whether an `initialize` request declared form-mode elicitation, the only
 * mode thoth asks in. Since MCP 2025-11-25 a client names its modes
 * (`{ "form": {}, "url": {} }`) and may be sent only those; an empty
 * `elicitation: {}` still means form mode, as it did before modes existed. So
 * a client that names only `url` (or names a mode as anything but an object)
 * is not asked with a form.
 */
export function declaresElicitation(params: unknown): boolean {
  if (!isPlainObject(params)) return false;
  const caps = params["capabilities"];
  if (!isPlainObject(caps)) return false;
  const elicitation = caps["elicitation"];
  if (!isPlainObject(elicitation)) return false;
  return Object.keys(elicitation).length === 0 || isPlainObject(elicitation["form"]);
}

/** The longest name or version of a peer kept from `initialize` (longer ones are cut). */
export const PEER_INFO_MAX = 256;

/** A peer's name and version as it gave them in `initialize` (`clientInfo`, `serverInfo`). */
export interface PeerInfo {
  name?: string;
  version?: string;
}

/**
 * The `clientInfo` (of an `initialize` request's params) or `serverInfo` (of
 * its result) that `value` holds under `key`: its `name` and `version` when
 * they are strings, each cut to {@linkcode PEER_INFO_MAX} characters (the
 * peer writes them, and the audit log keeps them); undefined when neither is.
 *
 * @example
 * ```ts
 * peerInfoOf({ clientInfo: { name: "claude-ai", version: "0.1.0" } }, "clientInfo");
 * // { name: "claude-ai", version: "0.1.0" }
 * ```
 */
export function peerInfoOf(
  value: unknown,
  key: "clientInfo" | "serverInfo",
): PeerInfo | undefined {
  const info = isPlainObject(value) ? value[key] : undefined;
  if (!isPlainObject(info)) return undefined;
  const text = (field: unknown) => {
    if (typeof field !== "string" || field === "") return undefined;
    if (field.length <= PEER_INFO_MAX) return field;
    // Never half a surrogate pair: the cut keeps whole characters.
    const cut = field.slice(0, PEER_INFO_MAX);
    return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  };
  const name = text(info["name"]);
  const version = text(info["version"]);
  if (name === undefined && version === undefined) return undefined;
  return { ...(name === undefined ? {} : { name }), ...(version === undefined ? {} : { version }) };
}

/** The `protocolVersion` string of an `initialize` request params or result. */
export function protocolVersionOf(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const version = value["protocolVersion"];
  return typeof version === "string" ? version : undefined;
}

/**
 * Whether `tools/call` params ask for a task (`params.task`, MCP 2025-11-25):
 * the client then expects a `CreateTaskResult`, not a tool result.
 */
export function isTaskAugmented(params: unknown): boolean {
  return isPlainObject(params) && params["task"] !== undefined && params["task"] !== null;
}
