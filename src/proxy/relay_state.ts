/**
 * What a `RelaySession` (`relay_session.ts`) keeps between messages: the
 * requests in flight each way, the calls held for a decision or a person,
 * what the client and server said in their handshake, thoth's own requests
 * and the counters of dropped lines, plus the shapes of those records. Every
 * `relay_*.ts` step reads and changes this one object; no I/O here.
 *
 * @example
 * ```ts
 * const state = new RelayState(ports, { server: "everything", enforcer, newDecisionId });
 * state.pending.size; // requests the server has not answered yet
 * ```
 */
import type { ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { PeerInfo } from "../protocol/mcp_shapes.ts";
import type { RefusalFacts } from "../protocol/responses.ts";
import { LooseIdIndex, LooseIndexedMap } from "../protocol/loose_id_index.ts";
import { newIdNonce, ownIdPrefix } from "../protocol/own_ids.ts";
import { CancelledCalls } from "./cancelled_calls.ts";
import { TaskCalls } from "./task_calls.ts";
import { InputOffers } from "./input_offers.ts";
import { LiveOffers } from "./live_offers.ts";
import type { SamplingAnswerPlan } from "./sampling_answer_gate.ts";
import { HandshakeWait } from "./handshake_wait.ts";
import type { OwnAnswer } from "./own_tools_listing.ts";
import { CallLine } from "./call_line.ts";
import { DecisionDeadlines } from "./decision_deadlines.ts";
import { DEFAULT_DECISION_DEADLINE_MS } from "../enforcer/decision_timeout.ts";
import type { ClientLeaving } from "./client_left_texts.ts";
import type { RelayPorts, RelaySessionOptions } from "./relay_types.ts";

/** A client line counted as held for the server until it is written or answered. */
export interface LineHold {
  size: number;
  /** Whether its bytes count now (not while its call waits for a person). */
  counted: boolean;
}

export interface Pending {
  id: JsonRpcId;
  method: string;
  tool: string | undefined;
  started: number;
  /** The call's progress token, when thoth reported progress on it while it waited. */
  progressKey?: string;
  /**
   * The task a `tasks/get` names (any task: its state may hold sampling
   * requests), or a `tasks/result` for the task of a call whose outcome is still to come.
   */
  taskId?: string;
  /**
   * A stateless-era request: the round trip it starts and the one it
   * continues, for the offers of the sampling requests its answer holds
   * (see `relay_task_states.ts`).
   */
  round?: PendingRound;
  /**
   * A stateless-era `tools/call` whose client declared the tasks extension:
   * the server may answer it with a task (`resultType: "task"`).
   */
  takesTask?: boolean;
  /** A `tools/call` that asked for a task (`params.task`): only its answer may create one. */
  task?: boolean;
  /** A `tools/call`'s decision (for the outcome of a late answer, once it was cancelled). */
  decisionId?: string;
}

/**
 * Which page a client's `tools/list` asked for: the first (no `cursor`), or
 * a later one (`cursor`; undefined when it is not a string thoth can follow).
 */
export type ToolsListAsk = { first: true } | { first: false; cursor: string | undefined };

/** The stateless-era round trips of a request (see `round_trips.ts`). */
export interface PendingRound {
  /** The scope of the round trip it starts (computed when needed: it reads all the params). */
  own: () => string;
  /** The scope of the round trip it continues (a retry), if any. */
  continues?: string;
}

/** A request of the server's to the client, as far as reading its answer needs. */
export interface ServerRequest {
  method: string;
  /** It asked the client for a task (`params.task`). */
  task: boolean;
  /** A `tasks/result` or `tasks/get`: the task of the client's it names. */
  taskId?: string;
  /**
   * A `sampling/createMessage`: the annotations of the tools it offered the
   * model (`DROPPED_OFFER` once forgotten: see `live_offers.ts`).
   */
  offered?: ReadonlyMap<string, ToolAnnotations>;
}

/** A task the client created for a request of the server's. */
export interface ClientTask {
  /** A `sampling/createMessage` (or thoth cannot tell): its result may choose tools. */
  sampling: boolean;
  /** The tools its sampling request offered. */
  offered?: ReadonlyMap<string, ToolAnnotations> | undefined;
}

/** How a client's answer is read for tools a model chose (see `toolUseReading`). */
export interface ToolUseReading {
  offered?: ReadonlyMap<string, ToolAnnotations> | undefined;
}

/** What the answer to a refused `tools/call` names, and whether the call asked for a task. */
export interface CallRefusal extends RefusalFacts {
  /** The call is task-augmented (`params.task`): it is refused with a JSON-RPC error. */
  task: boolean;
}

export interface Held {
  id: JsonRpcId;
  /** The called tool; undefined for a request other than `tools/call`. */
  tool: string | undefined;
  cancelled: boolean;
  abort?: AbortController;
  /** The decision of a call held for a person (see `not_carried_out.ts`). */
  decisionId?: string;
  /** The call's progress token, under which thoth may report while it waits. */
  progressKey?: string;
  /**
   * A stateless call whose approval step is being decided: the client's EOF
   * leaves it to that step, which may hold a person's answer to record.
   */
  stepping?: boolean;
  /**
   * Its approver looks for an answer in hand (a session grant) and has asked
   * no one yet (see `ApprovalStage`): the client's EOF aborts its signal and
   * leaves the call to the approver's outcome.
   */
  looking?: boolean;
}

/** The progress thoth reported under one token while a call waited (see `progressSent`). */
export interface OwnProgress {
  /** The last `progress` thoth sent. */
  sent: number;
  /** The key of the call the server now runs under the token, once released. */
  call?: string;
}

export type Forward = boolean | Promise<boolean>;

/** A sampling answer thoth refused (see `sampling_answer_gate.ts`). */
export type Refused = Extract<SamplingAnswerPlan, { pass: false }>;

/** A call resumed after thoth listed the server's tools for it (see `toolCall`). */
export interface ListedCall {
  /** Its arguments with their long integers' digits kept, when it had any. */
  arguments: unknown;
  /** Why the listing failed; undefined when it did not. */
  listingFailure: string | undefined;
}

/** A call thoth lets through, as `release` forwards it. */
export interface Release {
  call: ToolCall;
  /** The decision that let it through. */
  decisionId: string;
  id: JsonRpcId;
  key: string;
  held: Held | undefined;
  progressToken: string | number | undefined;
  task: boolean;
}

/** What a `RelaySession` keeps between messages: its routing state, shared by the `relay_*.ts` steps. */
export class RelayState {
  readonly ports: RelayPorts;
  readonly opts: RelaySessionOptions;
  readonly now: () => number;
  /**
   * The id keys of the requests the client waits on (forwarded or held),
   * counted by loose key once the client used a string id that reads as a
   * number (see `looseTwin`).
   */
  readonly waitingIds = new LooseIdIndex();
  readonly pending = new LooseIndexedMap<Pending>(this.waitingIds);
  /**
   * The last `progress` thoth itself reported under a client's progress token
   * while a call waited for a person, by token: the server's progress for the
   * same call then continues from above it (see `offsetProgress`). An entry
   * goes when its call ends, however it ends.
   */
  readonly progressSent = new Map<string, OwnProgress>();
  readonly held = new LooseIndexedMap<Held>(this.waitingIds);
  /** The client's `tools/list` requests the server has not answered, with the page each asked for. */
  readonly toolsListCalls = new Map<string, ToolsListAsk>();
  readonly ownRequests = new Map<string, (response: Record<string, unknown>) => void>();
  /** The held client lines counted in `heldBytes`, by the id of their request (see `holdLine`). */
  readonly lineHolds = new Map<string, LineHold>();
  /**
   * The client closed its input, or stopped reading thoth's output: thoth's
   * own requests to it can get no answer.
   */
  clientInputClosed = false;
  /** How the client went away first (see `clientInputClosed`, `clientOutputBroke`). */
  clientLeaving: ClientLeaving | undefined;
  /**
   * The client stopped reading thoth's output: a call decided from now on is
   * not sent to the server, where it would run with no one to read its result.
   */
  clientNotReading = false;
  /** The deadlines of the decisions the enforcer gives later (see `decision_deadlines.ts`). */
  readonly deadlines: DecisionDeadlines;
  /** Requests of thoth's own withdrawn before their answer, with who hears a late one. */
  readonly withdrawn = new Map<
    string,
    ((response: Record<string, unknown>) => void) | undefined
  >();
  /** Ids of the server's `roots/list` requests the client has not answered yet. */
  readonly rootsRequests: JsonRpcId[] = [];
  /** The server's requests the client has not answered yet, by id key (at most `MAX_SERVER_REQUESTS`). */
  readonly serverRequests = new Map<string, ServerRequest>();
  /**
   * The server's requests it cancelled itself before the client answered
   * them, by id key, oldest first: until the client answers them after all
   * (an answer that is dropped), their ids stay in use (see `relay_server_cancels.ts`).
   */
  readonly cancelledServerRequests = new Map<string, ServerRequest>();
  /**
   * A cancelled request of the server's whose answer may choose tools was
   * forgotten to make room (same file): every answer from the client is read
   * for tools a model chose from then on, whatever request it answers.
   */
  toolUseIdsForgotten = false;
  /** The client's answers dropped because the server had cancelled their requests (same file). */
  lateServerAnswers = 0;
  /** Tasks the client created for the server's requests, by task id, oldest first. */
  readonly clientTasks = new Map<string, ClientTask>();
  /** Forwarded requests the client cancelled, until the server answers them (see `cancelled_calls.ts`). */
  readonly cancelled = new CancelledCalls();
  /** Task-augmented calls whose outcome is still to come (see `task_calls.ts`). */
  readonly tasks = new TaskCalls();
  /** The tools the server's stateless-era sampling requests offered, until answered (see `input_offers.ts`). */
  readonly inputOffers = new InputOffers();
  /**
   * The count of the tools the server's live sampling requests offered, held
   * by `serverRequests` and `clientTasks`, bounded in all (see `live_offers.ts`).
   */
  readonly liveOffers = new LiveOffers();
  /** The annotations of the server's tools thoth knows, by name (see `tools_list_pages.ts`). */
  tools = new Map<string, ToolAnnotations>();
  /**
   * `tools` is current: a listing came, and no `notifications/tools/list_changed`
   * since; without it, thoth lists the tools itself before it decides a call.
   */
  toolsListSeen = false;
  /**
   * `tools` may not hold every tool: the listing did not run from the first
   * page to one without `nextCursor`, so thoth lists every page itself before
   * it decides a call to a tool `tools` does not hold.
   */
  toolsListPartial = false;
  /**
   * The `nextCursor` of the last page of the client's listing that started
   * on the first page: the page that continues it (see `tools_list_pages.ts`).
   */
  toolsListNext: string | undefined;
  /** Counts the server's `notifications/tools/list_changed`: a listing across one is stale. */
  toolsListVersion = 0;
  /** The server answered `initialize` without an error: an initialize-era session. */
  initializeAnswered = false;
  /** The client's `initialize` while the server has not answered it. */
  readonly handshake = new HandshakeWait();
  /**
   * thoth's own listing of the server's tools, for calls that come before
   * the client listed them, while it runs: it resolves with why it failed,
   * or undefined. One that failed is tried again by the next such call.
   */
  ownListing: Promise<string | undefined> | undefined;
  /** Allowed tool calls not yet written, in the order the client sent them (see `call_line.ts`). */
  readonly callLine = new CallLine();
  /** thoth's own requests to the server waiting for their answers, by id key. */
  readonly ownServerRequests = new Map<string, (answer: OwnAnswer) => void>();
  /** The server is gone (see {@linkcode upstreamGone}): thoth asks it nothing more. */
  serverGone = false;
  negotiatedVersion: string | undefined;
  clientElicitation = false;
  clientName: string | undefined;
  /** The client's last `initialize`: who it said it is, which version it asked for. */
  clientHello: { client: PeerInfo | undefined; requestedVersion: string | undefined } | undefined;
  /** How many requests thoth sent the client itself (approval forms). */
  clientCounter = 0;
  /** How many requests thoth sent the server itself (its own `tools/list`). */
  serverCounter = 0;
  /** The id prefix of thoth's own requests to the client: every answer under it is thoth's. */
  readonly clientPrefix: string;
  /** The id prefix of thoth's own requests to the server, with a nonce of its own. */
  readonly serverPrefix: string;
  droppedFromClient = 0;
  droppedFromServer = 0;
  /** Server lines dropped that answered nothing and showed no message keys (`noteLostLine`). */
  lostLines = 0;
  /** Server answers dropped that answered no waiting request (see `relay_server_answers.ts`). */
  unmatchedAnswers = 0;
  /** The server's requests refused under an id still in flight (`relay_server_request_ids.ts`). */
  reusedServerIds = 0;
  /** The server's requests refused while too many of its requests waited (same file). */
  crowdedServerRequests = 0;
  /**
   * While a client line that holds an integer too large for a double is
   * routed: its value as parsed, and again with those integers' digits kept
   * (see `exact_integers.ts`).
   */
  exactLine: { value: unknown; exact: unknown } | undefined;
  /**
   * While a client line is routed: its pieces as read, for the record of a
   * request refused before it could be decided (see `recordRefusal`).
   */
  routedParts: readonly Uint8Array[] | undefined;

  constructor(ports: RelayPorts, options: RelaySessionOptions) {
    this.ports = ports;
    this.opts = options;
    this.clientPrefix = ownIdPrefix(options.nonce ?? newIdNonce());
    this.serverPrefix = ownIdPrefix(options.serverNonce ?? newIdNonce());
    this.now = options.now ?? (() => performance.now());
    this.deadlines = new DecisionDeadlines(
      options.decisionDeadlineMs ?? DEFAULT_DECISION_DEADLINE_MS,
    );
  }
}
