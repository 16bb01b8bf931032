/**
 * Messages thoth itself puts on the wire. They leak no paths, stack traces,
 * policy internals or argument values.
 *
 * @example
 * ```ts
 * const bytes = errorResponse(3, -32602, "Invalid params: tools/call needs a tool name");
 * ```
 */
import type { JsonRpcId } from "./jsonrpc_id.ts";
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
    ? `rule${facts.ruleIds.length > 1 ? "s" : ""} ${facts.ruleIds.map((r) => `"${r}"`).join(", ")}`
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
 * The rule thoth blocks a call under when it could not list the server's
 * tools to read the annotations its policy needs (`LISTING_FAILED` in
 * `policy/evaluate.ts`, which this pure module does not import).
 */
export const LISTING_FAILED_RULE = "thoth.listing_failed";

/**
 * Rules the policy does not write: thoth's own (`thoth.own_files`, a
 * decision too late), a failed enforcer, the audit log. A block under one of
 * them is no rule the admin who manages the policy can change.
 */
const NOT_THE_POLICYS = /^(?:thoth|enforcer|audit)\./;

/**
 * Whether a block comes from what the policy says (its rules, the session
 * intent, its detectors, its default), so that whoever manages the policy
 * could allow the call.
 */
function policyBlock(ruleIds: readonly string[]): boolean {
  return !ruleIds.some((id) => NOT_THE_POLICYS.test(id));
}

/**
 * The text of a BLOCK: names the rule, the reason and the decision id, tells
 * the model not to retry, echoes no argument values. A block by the policy
 * (its rules, the session intent, its detectors) tells the model to suggest
 * that the user ask whoever manages thoth's policy (their admin) if they
 * need the call. How to look the decision up is for the person, on thoth's
 * stderr (see `block_note.ts`), not for the model. A call refused because the
 * audit log cannot be written gets {@linkcode unrecordedText}, one blocked
 * only because thoth could not list the server's tools
 * {@linkcode listingFailedText}. The relay passes a flagged unlisted tool
 * name in `facts` in its hidden form (see `proxy/hidden_tool_name.ts`).
 *
 * @example
 * ```ts
 * blockedText({ server: "fs", tool: "write_file", ruleIds: ["no-writes"], reasons: ["writes are refused"], decisionId: "d-1" });
 * // 'thoth blocked this call to tool "write_file" on server "fs" by rule "no-writes" (writes are refused). Decision d-1. …'
 * ```
 */
export function blockedText(facts: RefusalFacts): string {
  if (facts.ruleIds.includes(AUDIT_UNWRITABLE_RULE)) return unrecordedText(facts);
  if (facts.ruleIds.length > 0 && facts.ruleIds.every((id) => id === LISTING_FAILED_RULE)) {
    return listingFailedText(facts);
  }
  return `thoth blocked this call to tool ${shownName(facts.tool)} on server ${
    shownName(facts.server)
  } by ` +
    `${ruleClause(facts)}. Decision ${facts.decisionId}. This is a governance decision, not a ` +
    "tool failure: do not retry this call or work around it; tell the user it was blocked" +
    (policyBlock(facts.ruleIds)
      ? " and, if they need it, to ask whoever manages thoth's policy (their admin)"
      : "") +
    "; thoth's message in the MCP client's log says how to review the decision.";
}

/**
 * The text of a call blocked because thoth could not list the server's
 * tools (`thoth.listing_failed`): a technical failure, neither the tool's
 * nor the policy's verdict on the call, and the next call lists again. The
 * server's own words stay out (they are on stderr and in the record).
 */
export function listingFailedText(
  facts: Pick<RefusalFacts, "server" | "tool" | "decisionId">,
): string {
  return `thoth did not run tool ${shownName(facts.tool)} on server ${
    shownName(facts.server)
  }: thoth could not list the server's tools, so it could not read what this tool declares ` +
    `of itself (rule "${LISTING_FAILED_RULE}"), and thoth runs no call it cannot judge. ` +
    `Decision ${facts.decisionId}. This is neither a tool failure nor a policy decision: do ` +
    "not retry this call right away; tell the user that thoth could not list the server's " +
    "tools and that thoth's messages in the MCP client's log say why.";
}

/**
 * The text of a call refused because thoth's audit log cannot be written: the
 * problem is thoth's, on this machine; its decision id may be recorded
 * nowhere, so no review of it is promised. The rule's code
 * (`audit.unwritable`) is for stderr and the audit record, not the model.
 */
export function unrecordedText(
  facts: Pick<RefusalFacts, "server" | "tool" | "decisionId">,
): string {
  return `thoth did not run tool ${shownName(facts.tool)} on server ${
    shownName(facts.server)
  }: thoth cannot record this call in its audit log on this machine (the log or its spool ` +
    "cannot be written), and thoth runs no call it cannot record. " +
    `Decision ${facts.decisionId} (it may not be recorded). This is not a tool failure: do not ` +
    "retry this call now; tell the user that thoth's audit log on this machine needs attention.";
}

/**
 * How the reason of an approval refused because the audit log cannot be
 * written begins (see `session_audit.ts`).
 */
export const UNWRITABLE_REFUSAL = `refused (${AUDIT_UNWRITABLE_RULE})`;

/**
 * Why a STEP_UP was not approved, as the approver reports it: `why` in words
 * for the model (see `ApprovalOutcome`); `kind`, what happened, and
 * `channel`, where the person was asked, pick the closing sentence.
 */
export interface NotApproved {
  why: string;
  kind?: "approved" | "denied" | "dismissed" | "timeout" | "cancelled" | "error" | undefined;
  channel?: string | undefined;
}

/**
 * What the model is told to do after each outcome. None hands it a command
 * or a request id: a model with a shell could approve its own call with
 * them, so how a person answers is on thoth's stderr, which the person
 * reads in the MCP client's log.
 */
const CLOSINGS: Readonly<Record<NonNullable<NotApproved["kind"]>, string>> = {
  denied: "Do not retry this call; tell the user it was denied.",
  dismissed: "Do not retry it automatically; tell the user the approval prompt was dismissed, " +
    "so the call did not run.",
  timeout: "Do not retry it automatically; tell the user no one approved it in time; they can " +
    "approve it when it is asked again.",
  cancelled: "Do not retry it automatically; tell the user it was withdrawn before it was " +
    "approved.",
  error: "Do not retry it automatically; tell the user it could not be approved here " +
    "(thoth's messages in the MCP client's log say why).",
  approved: "Do not retry it automatically; tell the user it did not run, and why.",
};

/** After a request in the approval queue timed out: a person answers those from a terminal. */
const QUEUE_TIMEOUT_CLOSING = "Do not retry it automatically; tell the user no one approved it " +
  "in time: they can approve it from a terminal when it is asked again (thoth's message in " +
  "the MCP client's log says how).";

/** The closing when the outcome's kind is not known (a reason given in words only). */
const CLOSING = "Do not retry it automatically; tell the user it did not run, and why.";

function closingFor(kind: NotApproved["kind"], channel: string | undefined): string {
  if (kind === undefined) return CLOSING;
  return kind === "timeout" && channel === "queue" ? QUEUE_TIMEOUT_CLOSING : CLOSINGS[kind];
}

/**
 * The text of a STEP_UP that no person approved (no channel, denied, timed
 * out, withdrawn): the rule, why not and what to do, chosen by the outcome's
 * `kind` when `why` is a {@linkcode NotApproved}. One refused because the
 * audit log cannot be written (`why` begins with
 * {@linkcode UNWRITABLE_REFUSAL}) gets {@linkcode unrecordedText}. A denial
 * keeps what the person wrote (`thoth approvals deny --reason`, which its
 * help says is passed on to the model): those are their words, for the model.
 *
 * @example
 * ```ts
 * notApprovedText(facts, { kind: "denied", why: "a person denied it" });
 * // '… requires a person\'s approval, and a person denied it. Decision d-1. Do not retry this call; …'
 * ```
 */
export function notApprovedText(facts: RefusalFacts, outcome: string | NotApproved): string {
  const { why, kind, channel } = typeof outcome === "string" ? { why: outcome } : outcome;
  if (why.startsWith(UNWRITABLE_REFUSAL)) return unrecordedText(facts);
  return `thoth did not run tool ${shownName(facts.tool)} on server ${shownName(facts.server)}: ${
    ruleClause(facts)
  } ` +
    `require${facts.ruleIds.length > 1 ? "" : "s"} a person's approval, and ${
      forTheModel(why)
    }. Decision ${facts.decisionId}. ` +
    closingFor(kind, channel);
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
