/**
 * The shapes a `RelaySession` (`relay_session.ts`) is built with
 * and talks through: its ports, its options, the events it tells (the audit
 * hooks in there), and the approval seam (what a step-up channel is asked and
 * answers). Types only; `relay_session.ts` re-exports them.
 *
 * @example
 * ```ts
 * const events: RelayEvents = { decision: (call, verdict, id) => console.log(call.tool, id) };
 * ```
 */
import type { ApprovalRetryMark, Enforcer } from "../enforcer/enforcer.ts";
import type { CountTakeBack } from "../enforcer/progressive_take_back.ts";
import type { ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { PeerInfo } from "../protocol/mcp_shapes.ts";
import type { ClientRequestFacts } from "./client_request_records.ts";

/**
 * Which page a `tools/list` answer is: the first (asked for with no
 * `cursor`), one asked for with a `cursor` (undefined when it is not a
 * string), or thoth's own listing of several pages, merged.
 */
export type ListedPage =
  | { first: true }
  | { first: false; cursor: string | undefined }
  | "every page";

/** Where the session sends bytes. Writes are queued in call order per side. */
export interface RelayPorts {
  toServer(bytes: Uint8Array): void;
  toClient(bytes: Uint8Array): void;
  /** One line for stderr (without the `thoth:` prefix or newline). */
  note(message: string): void;
}

/** The answer of a step-up approval channel. */
export interface ApprovalOutcome {
  approved: boolean;
  /** Why not, in words for the model: "the person declined", "no one answered in 60 s". */
  why: string;
  /** The channel that answered: "elicitation", "dialog", "queue", "remote", "grant". */
  channel?: string;
  /** Who answered: an OS user, the client's name, a remote approver. */
  approver?: string;
  /** Milliseconds from the question to the answer. */
  latencyMs?: number;
  /**
   * What happened, for the audit: approved; denied (by a person, or thoth
   * refused the approval offered); the person dismissed the prompt; no one
   * answered in time; the client cancelled; no channel, or the channel failed.
   */
  kind?: "approved" | "denied" | "dismissed" | "timeout" | "cancelled" | "error";
  /** What an approval covers: this call, the session, or a session grant given earlier. */
  scope?: "once" | "session" | "grant";
  /** The decision of the call that asked, when the answer came with a later retry (stateless era). */
  askedDecisionId?: string;
}

/** How a request of thoth's own to the client may be withdrawn. */
export interface OwnRequestOptions {
  /**
   * When it aborts before the answer, the request is withdrawn: the client is
   * sent `notifications/cancelled` for it, and the promise rejects with the
   * signal's reason.
   */
  signal?: AbortSignal;
  /** Hears an answer that arrives after the request was withdrawn (a stale one). */
  late?: (response: Record<string, unknown>) => void;
}

/** What an approval channel may use of the client connection. */
export interface ClientChannel {
  /** Whether the client declared form-mode elicitation in `initialize` (`{}` or `form`). */
  readonly elicitation: boolean;
  /** The client's name from `initialize` (`clientInfo.name`), as it sent it; absent if none. */
  readonly name?: string | undefined;
  /**
   * Whether the client has closed its input to thoth: a request of thoth's
   * own can no longer be answered (see `RelaySession.clientInputClosed`).
   */
  readonly inputClosed?: boolean;
  /** Sends a request of thoth's own to the client; resolves with the whole response message. */
  request(
    method: string,
    params: unknown,
    options?: OwnRequestOptions,
  ): Promise<Record<string, unknown>>;
  /** Sends a notification to the client (progress while a call waits). */
  notify(method: string, params: unknown): void;
}

/** One STEP_UP waiting for a person. */
export interface ApprovalRequest {
  call: ToolCall;
  verdict: Verdict;
  /** The client's JSON-RPC id of the held `tools/call`. */
  requestId: JsonRpcId;
  /** The call's `_meta.progressToken`, when the client sent one. */
  progressToken: string | number | undefined;
  /** Aborted when the client cancels the call or the session ends. */
  signal: AbortSignal;
  client: ClientChannel;
  /**
   * Set when the call was refused before its approval could count (a
   * stateless retry the enforcer blocked): why. The approver then only
   * records the answer the retry carried, as not used.
   */
  discarded?: string;
  /**
   * Where the approver's decision stands, when the relay wants to know (see
   * {@linkcode ApprovalStage}). An approver that never tells it is taken as
   * asking a person from the start.
   */
  stage?: (stage: ApprovalStage) => void;
}

/**
 * Where an approver's decision stands. `"looking"`, told as it starts
 * (before it awaits anything): it looks for an answer already in hand (a
 * session grant) and has asked no one yet, so a client that leaves now only
 * aborts its signal, and its outcome answers the call (a grant still counts;
 * nobody is asked). `"asking"`, told just before it asks a person through a
 * channel: from then on a client that leaves withdraws the call at once.
 */
export type ApprovalStage = "looking" | "asking";

/**
 * One step of the stateless (2026-07-28) approval flow, where thoth answers
 * the call with an `input_required` result and the client retries it.
 */
export type StatelessApprovalStep =
  | { kind: "input_required"; result: Record<string, unknown> }
  | { kind: "decided"; outcome: ApprovalOutcome; forwardParams?: Record<string, unknown> }
  | { kind: "hold" }
  /** Nothing to decide or record: the call carries no answer of thoth's (with `discarded`). */
  | { kind: "none" };

/**
 * Asks a person about a STEP_UP verdict; absent means no channel exists. An
 * approver may also drive the stateless flow for calls of that era, and
 * recognise, before the enforcer decides, a retry that carries the answer to
 * a question it asked (see `ApprovalRetryMark`); `params` are the call's raw
 * `tools/call` params.
 */
export type Approver = ((request: ApprovalRequest) => Promise<ApprovalOutcome>) & {
  stateless?: (request: ApprovalRequest, params: unknown) => Promise<StatelessApprovalStep>;
  recogniseRetry?: (
    call: ToolCall,
    params: unknown,
  ) => ApprovalRetryMark | undefined | Promise<ApprovalRetryMark | undefined>;
};

/** Things worth recording as they happen (the audit hooks in here). */
export interface RelayEvents {
  decision?(call: ToolCall, verdict: Verdict, requestId: JsonRpcId): void;
  approval?(call: ToolCall, verdict: Verdict, outcome: ApprovalOutcome): void;
  /**
   * A governed call's answer. `result` is absent when it was too large to
   * parse; `raw` then holds the response line as it was read, with the count
   * of its bytes before the line terminator.
   */
  outcome?(
    requestId: JsonRpcId,
    tool: string,
    isError: boolean,
    durationMs: number,
    result?: unknown,
    raw?: RawResponse,
  ): void;
  /** A call ended before its answer: the client cancelled it, or the session ended (`reason`). */
  cancelled?(requestId: JsonRpcId, tool: string | undefined, reason?: string): void;
  /**
   * The server answered a governed call after the client had cancelled it
   * (see `cancelled`): the outcome of decision `decisionId` all the same.
   * `result` is the answer's result, or its error when `isError` says the
   * server refused it.
   */
  lateOutcome?(
    requestId: JsonRpcId,
    decisionId: string,
    tool: string,
    isError: boolean,
    durationMs: number,
    result: unknown,
  ): void;
  /**
   * A decision that came too late to be used: after its deadline, when
   * thoth had already blocked the call (`thoth.decision_timeout`), or once
   * the call had ended without reaching the server (the client cancelled
   * it, went away, or the session ended). It was not used, whatever its own
   * record says (forwarded, asked). `requestId` is the client's call, or the
   * message that carried the sampling answer that chose the tool; the client
   * may use that id for another request by now, so the record names the
   * decision by `verdict.decisionId`. `reason` says why it was not used.
   */
  lateDecision?(call: ToolCall, verdict: Verdict, requestId: JsonRpcId, reason: string): void;
  /** thoth answered a decided call itself (blocked, not approved, asked for input): it ends here. */
  answered?(requestId: JsonRpcId): void;
  /**
   * The call (or a tool a model chose) decided as `decisionId` did not
   * happen: the client had stopped reading thoth's output, so it was neither
   * sent to the server nor answered to anyone who reads. Progressive mode
   * takes back what it counted for it.
   */
  notCarriedOut?(decisionId: string): void;
  /**
   * What became of the progressive count of the call decided as
   * `decisionId` that was not carried out (see `notCarriedOut`): told by the
   * session's enforcer once its take-back is done, for the audit record.
   */
  countTakenBack?(decisionId: string, taken: CountTakeBack): void;
  /**
   * A tool a model chose in the client's answer to the server's request
   * `samplingRequestId` (a `sampling/createMessage`, or the `tasks/result`
   * of a task one created), just before it is decided.
   */
  toolUse?(call: ToolCall, samplingRequestId: JsonRpcId): void;
  /**
   * The answer that chose `call` (decided as `verdict`) went to the server
   * (`forwarded`), which runs the tool, or was refused, and nothing ran.
   */
  toolUseEnded?(
    call: ToolCall,
    verdict: Verdict,
    samplingRequestId: JsonRpcId,
    forwarded: boolean,
  ): void;
  /**
   * A `tools/list` page arrived: the merged annotations, this page's raw
   * definitions, and which page it is (undefined when thoth no longer knows).
   */
  toolsListed?(
    tools: ReadonlyMap<string, ToolAnnotations>,
    definitions: readonly unknown[],
    page: ListedPage | undefined,
  ): void;
  /** The client answered the server's `roots/list` request with this result. */
  rootsListed?(result: unknown): void;
  /** The server answered the client's `initialize`: who spoke, in which protocol version. */
  initialized?(handshake: Handshake): void;
  /**
   * A governed client request other than a decided `tools/call` (see
   * `method_variant.ts`) was forwarded or refused, or a request was refused
   * before it could be decided (see `client_request_records.ts`). False for
   * one told as forwarded whose record cannot be written (the audit log is
   * failing): the relay refuses it instead, as a `tools/call` is refused
   * without evidence, and never forwards it.
   */
  request?(facts: ClientRequestFacts): boolean | void;
}

/** An `initialize` exchange, as {@linkcode RelayEvents.initialized} hears of it. */
export interface Handshake {
  /** The client's `clientInfo`, when it gave one. */
  client: PeerInfo | undefined;
  /** The `protocolVersion` the client asked for. */
  requestedVersion: string | undefined;
  /** The server's `serverInfo`, when it gave one. */
  server: PeerInfo | undefined;
  /** The `protocolVersion` the server answered with. */
  protocolVersion: string | undefined;
  /** Whether the server answered with an error. */
  isError: boolean;
}

/** A response line as it was read, in pieces; `bytes` excludes its line terminator. */
export interface RawResponse {
  parts: readonly Uint8Array[];
  bytes: number;
}

/** Options of a {@linkcode RelaySession}. */
export interface RelaySessionOptions {
  /** The governed server's agent id. */
  server: string;
  /**
   * Told of each wait of the relay's own before a call can be decided (the
   * call held while thoth lists the server's tools), which ends once the call
   * was decided, and of each decision the enforcer gives later, which ends
   * once it came or its deadline passed: at the client's EOF such a call is
   * still one being decided.
   */
  holding?: (wait: Promise<unknown>) => void;
  /**
   * Counts the bytes of each client line held until it is decided (a tool
   * call waiting for its verdict, a person, or thoth's own listing of the
   * tools), so that its reader can stop reading while too much is held
   * (see `byte_budget.ts`): added when the line is held, removed once it
   * was written to the server or answered.
   */
  heldBytes?: { add(bytes: number): void; remove(bytes: number): void };
  enforcer: Enforcer;
  /**
   * How long a decision the enforcer gives later (a promise) may take, in
   * milliseconds; default `DEFAULT_DECISION_DEADLINE_MS` (`decision_timeout.ts`). Past it
   * the call is blocked (`thoth.decision_timeout`) and a decision that comes
   * after is not used. A person's approval is not part of it (the approver
   * has its own timeout); a decision given at once has no deadline to keep.
   */
  decisionDeadlineMs?: number;
  newDecisionId: () => string;
  /** A monotonic clock in milliseconds (for durations). */
  now?: () => number;
  /** The per-line byte cap, only quoted in messages here. */
  maxLineBytes?: number;
  approver?: Approver;
  events?: RelayEvents;
  /**
   * A random token for the ids of the requests thoth sends the client itself
   * (approval forms); default a fresh random one.
   */
  nonce?: string;
  /**
   * The token for the ids of thoth's own requests to the server; default a
   * fresh random one. Never derive it from `nonce`: the server sees these ids,
   * and must learn nothing from them of the ids the client is sent.
   */
  serverNonce?: string;
}
