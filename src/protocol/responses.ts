/**
 * Messages thoth itself puts on the wire. They leak no paths, stack traces,
 * policy internals or argument values.
 *
 * @example
 * ```ts
 * const bytes = errorResponse(3, -32602, "Invalid params: tools/call needs a tool name");
 * ```
 */
import type { JsonRpcId } from "./jsonrpc_message.ts";
import { shownName } from "../approval/shown_name.ts";

const encoder = new TextEncoder();

/** JSON-RPC error codes thoth uses. */
/** JSON-RPC "Parse error": the line is not JSON. */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_INVALID_PARAMS = -32602;
/** A server-side failure (the upstream could not be started or went away). */
export const RPC_SERVER_ERROR = -32000;

/** Encodes one message as an NDJSON line. */
export function encodeLine(message: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(message) + "\n");
}

/** A JSON-RPC error response line. */
export function errorResponse(id: JsonRpcId | null, code: number, message: string): Uint8Array {
  return encodeLine({ jsonrpc: "2.0", id, error: { code, message } });
}

/** A `tools/call` result line that tells the model the call did not run. */
export function toolErrorResult(id: JsonRpcId, text: string): Uint8Array {
  return encodeLine({
    jsonrpc: "2.0",
    id,
    result: { content: [{ type: "text", text }], isError: true },
  });
}

/**
 * The answer to a `tools/call` thoth refuses (blocked, not approved): a tool
 * result with `isError` and `text`; for a task-augmented call (`params.task`,
 * MCP 2025-11-25) a JSON-RPC error with the same text instead, since its
 * client expects a `CreateTaskResult`, and a tool result is none (the SDK
 * rejects it, and the reason would never reach the model).
 *
 * @example
 * ```ts
 * refusedCallAnswer(7, "thoth blocked this call …", true); // {"jsonrpc":"2.0","id":7,"error":{…}}
 * ```
 */
export function refusedCallAnswer(id: JsonRpcId, text: string, task: boolean): Uint8Array {
  return task ? errorResponse(id, RPC_SERVER_ERROR, text) : toolErrorResult(id, text);
}

/** What a refusal names: the rule(s), the reason(s) and the decision id. */
export interface RefusalFacts {
  server: string;
  tool: string;
  ruleIds: readonly string[];
  reasons: readonly string[];
  decisionId: string;
}

/** The rule thoth refuses a call under when its audit log cannot be written. */
export const AUDIT_UNWRITABLE_RULE = "audit.unwritable";

/**
 * What the model is told of thoth's own rules, in place of their reasons:
 * those name this machine's paths and the remedy for the person at it (the
 * audit record and stderr keep them), which the model does not need.
 */
const SHORT_REASONS: Readonly<Record<string, string>> = {
  "thoth.own_files":
    "its arguments reach thoth's own files, which are never forwarded, in any mode",
  "thoth.client_config":
    "its arguments reach an MCP client's configuration, which is never forwarded, in any mode",
  [AUDIT_UNWRITABLE_RULE]: "thoth cannot record this call in its audit log on this machine",
};

function ruleClause(facts: RefusalFacts): string {
  const rules = facts.ruleIds.length > 0
    ? `rule ${facts.ruleIds.map((r) => `"${r}"`).join(", ")}`
    : "policy";
  const short = facts.ruleIds.length === 1 ? SHORT_REASONS[facts.ruleIds[0]!] : undefined;
  // A reason that repeats its rule id ('rule "x": …') is shown without it: the id is named once.
  const plain = short !== undefined
    ? [short]
    : facts.reasons.map((reason) => reason.replace(/^rule "[^"]*":\s*/, ""));
  const reasons = plain.length > 0 ? ` (${plain.join("; ")})` : "";
  return `${rules}${reasons}`;
}

/**
 * The text of a BLOCK: names the rule, the reason and the decision id, tells
 * the model not to retry, echoes no argument values. A call refused because
 * the audit log cannot be written gets {@linkcode unrecordedText}.
 *
 * @example
 * ```ts
 * blockedText({ server: "fs", tool: "write_file", ruleIds: ["no-writes"], reasons: ["writes are refused"], decisionId: "d-1" });
 * // 'thoth blocked this call to tool "write_file" on server "fs" by rule "no-writes" (writes are refused). Decision d-1. …'
 * ```
 */
export function blockedText(facts: RefusalFacts): string {
  if (facts.ruleIds.includes(AUDIT_UNWRITABLE_RULE)) return unrecordedText(facts);
  return `thoth blocked this call to tool ${shownName(facts.tool)} on server ${
    shownName(facts.server)
  } by ` +
    `${ruleClause(facts)}. Decision ${facts.decisionId}. This is a governance decision, not a ` +
    "tool failure: do not retry this call or work around it; tell the user it was blocked and " +
    "that an administrator can review the decision id.";
}

/**
 * The text of a call refused because thoth's audit log cannot be written: the
 * problem is thoth's, on this machine; its decision id may be recorded
 * nowhere, so no review of it is promised.
 */
export function unrecordedText(
  facts: Pick<RefusalFacts, "server" | "tool" | "decisionId">,
): string {
  return `thoth did not run tool ${shownName(facts.tool)} on server ${
    shownName(facts.server)
  }: thoth cannot record this call in its audit log on this machine (the log or its spool ` +
    `cannot be written: ${AUDIT_UNWRITABLE_RULE}), and thoth runs no call it cannot record. ` +
    `Decision ${facts.decisionId} (it may not be recorded). This is not a tool failure: do not ` +
    "retry this call now; tell the user that thoth's audit log on this machine needs attention.";
}

/**
 * How the reason of an approval refused because the audit log cannot be
 * written begins (see `session_audit.ts`).
 */
export const UNWRITABLE_REFUSAL = `refused (${AUDIT_UNWRITABLE_RULE})`;

/**
 * The text of a STEP_UP that no person approved (no channel, denied or timed
 * out); one refused because the audit log cannot be written (`why` begins
 * with {@linkcode UNWRITABLE_REFUSAL}) gets {@linkcode unrecordedText}.
 */
export function notApprovedText(facts: RefusalFacts, why: string): string {
  if (why.startsWith(UNWRITABLE_REFUSAL)) return unrecordedText(facts);
  return `thoth did not run tool ${shownName(facts.tool)} on server ${shownName(facts.server)}: ${
    ruleClause(facts)
  } ` +
    `requires a person's approval, and ${forTheModel(why)}. Decision ${facts.decisionId}. ` +
    "Do not retry automatically; tell the user the call needs approval.";
}

/** A double-quoted span that holds a path separator: a file or folder of this machine. */
const QUOTED_PATH = /"[^"\n]*[\\/][^"\n]*"/g;

/**
 * Why a call was not approved, as the model is told it: what went wrong
 * stays (a malformed or hard-linked answer file, a queue folder that is a
 * file), but the paths of this machine's files are for thoth's stderr and
 * the audit record, not for the model.
 */
function forTheModel(why: string): string {
  return why.replace(QUOTED_PATH, '"…"');
}

/**
 * The error message a server gets instead of a client's answer to its
 * `sampling/createMessage` request when thoth refused a tool the model chose
 * in it (a `tool_use` block): names the tool, the rule, the reason and the
 * decision id; `why` says why a STEP_UP was not approved (absent for a
 * BLOCK). Echoes no argument values.
 */
export function toolUseRefusedText(facts: RefusalFacts, why?: string): string {
  const refused = why === undefined
    ? `which thoth blocked by ${ruleClause(facts)}`
    : `which by ${ruleClause(facts)} requires a person's approval, and ${why}`;
  return `thoth refused the client's answer to this sampling request: the model chose tool ` +
    `${shownName(facts.tool)} on server ${
      shownName(facts.server)
    }, ${refused}. Decision ${facts.decisionId}. ` +
    "The answer was not passed on; do not run the tool.";
}

/**
 * The error message a server gets instead of a client's answer to its
 * sampling request whose `tool_use` blocks thoth could not read.
 */
export function toolUseUnreadText(problem: string): string {
  return `thoth refused the client's answer to this sampling request: ${problem}, so the ` +
    "tools the model chose could not be decided. The answer was not passed on.";
}

/**
 * What the client is told when thoth cannot govern at all (a broken policy,
 * a policy or intent map another user can change, a bad environment): names
 * the area, never a path, a uid or a value.
 */
export function cannotGovernText(errorCode: string): string {
  const area = errorCode.split(".")[0];
  const reason = errorCode === "policy.unknown_intent"
    ? "its session intent is not one the policy defines"
    : errorCode === "policy.untrusted" || errorCode === "intent_map.untrusted"
    ? `its ${area === "policy" ? "policy" : "intent map"} is a file another user of this ` +
      "machine can change, so thoth does not use it"
    : area === "policy"
    ? "its policy cannot be read"
    : errorCode === "intent_map.inexact"
    ? "its intent map does not name it by its exact agent id"
    : area === "intent_map"
    ? "the intent map cannot be read"
    : errorCode === "io.packages_not_cached"
    ? "thoth runs from source and its npm packages are not in Deno's cache on this machine"
    : area === "identity" || area === "credentials"
    ? "its identity or credentials are not set up correctly"
    : "it is not set up correctly on this machine";
  return `thoth cannot govern this server: ${reason}. ` +
    "See thoth's stderr in the client's MCP log, or run \"thoth doctor\"";
}
