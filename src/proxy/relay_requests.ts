/**
 * What a `RelaySession` (`relay_session.ts`) reads in the params of a
 * request and in the answers it gets: the client's name, the answers a
 * stateless request carries to the server's requests, a retry's state, a
 * progress token, and which remembered request an answer's id answers.
 * Pure.
 *
 * @example
 * ```ts
 * clientNameOf({ clientInfo: { name: "claude-ai" } }); // "claude-ai"
 * clientNameOf({ clientInfo: { name: "AKIAQ3EGRBPSXLYH7TNU" } }); // "#k:(20)"
 * answeredRequest([0, "a"], "0"); // 0
 * ```
 */
import { redactedName } from "../audit/redact_recorded_names.ts";
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { foldKey } from "../protocol/key_case.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";

/**
 * Where in `requests` is the request an answer with `id` answers, or -1.
 * Besides equal ids, an answer counts for a numeric request id when its id
 * reads as that number: the TypeScript SDK matches answers with `Number(id)`,
 * so it takes `"0"`, `" 0"` and even `""` as the answer to request `0`.
 */
export function answeredRequest(requests: readonly JsonRpcId[], id: JsonRpcId): number {
  const key = idKey(id);
  const at = requests.findIndex((request) => request !== null && idKey(request) === key);
  if (at !== -1 || typeof id !== "string") return at;
  const number = Number(id);
  return requests.findIndex((request) => typeof request === "number" && request === number);
}

/**
 * The client's name from `initialize` params (`clientInfo.name`), when it
 * sent one, as records may keep it: the client chose it, so a name the
 * secret, PII or PHI detectors flag is its length alone (`#k:(20)`, see
 * `redact_recorded_names.ts`; the relay has no device key). An approval's
 * record names the approver with it (`ana via Claude Desktop`).
 */
export function clientNameOf(params: unknown): string | undefined {
  const info = isPlainObject(params) ? params["clientInfo"] : undefined;
  const name = isPlainObject(info) ? info["name"] : undefined;
  return typeof name === "string" && name !== "" ? redactedName(name, () => "") : undefined;
}

/**
 * The answers a client request's params carry to the server's own requests
 * (`inputResponses`, the stateless era's round trip), each of which may be a
 * sampling result that chose tools: every entry, read fail closed (a form's
 * answer chooses none), also under a key a lenient server reads as
 * `inputResponses` (see `key_case.ts`). Thoth's own approval answer is among
 * them only when the call is forwarded as the client sent it.
 */
export function sampledResponses(params: unknown): unknown[] {
  return inputResponseEntries(params).map((response) => response.entry);
}

/** One answer a client request carries: the `inputRequests` key it answers (none in an array). */
export interface InputResponse {
  key: string | undefined;
  entry: unknown;
}

/** {@linkcode sampledResponses}, each with the key it answers. */
export function inputResponseEntries(params: unknown): InputResponse[] {
  if (!isPlainObject(params)) return [];
  const entries: InputResponse[] = [];
  for (const key in params) {
    if (!Object.hasOwn(params, key)) continue;
    if (key !== "inputResponses" && foldKey(key) !== "inputresponses") continue;
    const responses = params[key];
    if (Array.isArray(responses)) {
      for (const entry of responses) entries.push({ key: undefined, entry });
    } else if (isPlainObject(responses)) {
      for (const [answered, entry] of Object.entries(responses)) {
        entries.push({ key: answered, entry });
      }
    }
  }
  return entries;
}

/** Whether `tools/call` params carry a `requestState` (a stateless retry). */
export function carriesRequestState(params: unknown): boolean {
  return isPlainObject(params) && typeof params["requestState"] === "string";
}

/**
 * The `_meta.progressToken` of a request's params; undefined when it has
 * none thoth can name exactly.
 */
export function readProgressToken(params: unknown): string | number | undefined {
  if (params === null || typeof params !== "object") return undefined;
  const meta = (params as Record<string, unknown>)["_meta"];
  if (meta === null || typeof meta !== "object") return undefined;
  const token = (meta as Record<string, unknown>)["progressToken"];
  if (typeof token === "string") return token;
  // An integer past 2^53 lost digits in parsing: thoth cannot name it exactly, so it
  // reports no progress of its own under it, and the server's goes out untouched.
  const exact = typeof token === "number" &&
    (Number.isSafeInteger(token) || !Number.isInteger(token));
  return exact ? token : undefined;
}
