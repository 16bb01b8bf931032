/**
 * The routing brain of one `thoth run`: lines from the client and from the
 * server go in, lines to either side and stderr notes come out through
 * {@linkcode RelayPorts}. Every message is forwarded as the exact bytes it
 * arrived as, except `tools/call` requests, which first pass the
 * {@linkcode Enforcer}. No process or stream handling here: `run_proxy.ts`
 * owns those.
 *
 * A response JSON-RPC does not allow (both `result` and `error`, even
 * `"error": null`; a `method` beside them, `""` too, which Go's SDK reads as
 * a response; no id, or one that is not a string or a number; an `error`
 * that is not an object; no `jsonrpc` "2.0"; see `jsonrpc_message.ts`) is
 * never forwarded, from either side, as readers differ on it; nor is a
 * message with an id, or an empty method, and neither a method name, a
 * result nor an error. The client's goes nowhere: the server's request it
 * names gets an error, and a result in it is still decided for the tools a
 * model chose, for the record. The server's is dropped: the request it
 * answers gets an error, and a tool call's outcome is recorded as that
 * error. An error without an id (JSON-RPC's answer to a request it could not
 * read) goes on as it came: no side can take it for an answer.
 *
 * @example
 * ```ts
 * const session = new RelaySession(ports, { server: "everything", enforcer, newDecisionId });
 * session.fromClient(lineBytes);
 * ```
 */
import {
  type Enforcer,
  enforcerFailedNote,
  enforcerFailedVerdict,
  markApprovalRetry,
} from "../enforcer/enforcer.ts";
import type { ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import {
  classifyMessage,
  exactId,
  type FragmentFacts,
  idKey,
  idText,
  isId,
  type JsonRpcId,
  type Message,
  type OtherMessage,
  readFragmentsWithText,
  type RequestMessage,
  type ResponseMessage,
  spelledId,
} from "../protocol/jsonrpc_message.ts";
import { idTextOf } from "../protocol/id_text.ts";
import { OVERSIZE_WINDOW, type OversizeLine } from "../protocol/line_decoder.ts";
import { lineDefect } from "../protocol/line_defect.ts";
import { repeatedEnvelopeKey } from "../protocol/repeated_envelope_key.ts";
import { mayHoldLongInteger } from "../protocol/exact_integers.ts";
import { buildToolCall } from "../protocol/build_tool_call.ts";
import { jsonTextDefect } from "../protocol/json_text_defect.ts";
import { CALL_PARAMS_KEYS, caseVariantKey, ENVELOPE_KEYS } from "../protocol/key_case.ts";
import {
  firstBytes,
  joinParts,
  lastBytes,
  partsLength,
  terminatorLength,
} from "../protocol/byte_parts.ts";
import {
  cancelledRequestId,
  declaresElicitation,
  hasCursor,
  isPlainObject,
  isTaskAugmented,
  type PeerInfo,
  peerInfoOf,
  protocolVersionOf,
  readToolCallParams,
  readToolsListResult,
  requestEra,
  STATELESS_VERSION_META,
} from "../protocol/mcp_shapes.ts";
import {
  blockedText,
  encodeLine,
  errorResponse,
  notApprovedText,
  type RefusalFacts,
  refusedCallAnswer,
  RPC_INVALID_PARAMS,
  RPC_INVALID_REQUEST,
  RPC_PARSE_ERROR,
  RPC_SERVER_ERROR,
} from "../protocol/responses.ts";
import { idOfKey, idSpellings, looseKeyOf } from "../protocol/id_spellings.ts";
import { LooseIdIndex, LooseIndexedMap } from "../protocol/loose_id_index.ts";
import { newIdNonce, ownIdPrefix, underOwnPrefix } from "../protocol/own_ids.ts";
import { keyMentions } from "../protocol/id_key_mentions.ts";
import { topLevelKeys } from "../protocol/top_level_keys.ts";
import { createdTaskId, endedWithoutResult, requestedTaskId } from "../protocol/task_shapes.ts";
import { CancelledCalls } from "./cancelled_calls.ts";
import { TaskCalls } from "./task_calls.ts";
import {
  gateInputResponse,
  gateSamplingAnswer,
  type SamplingAnswerContext,
  type SamplingAnswerPlan,
} from "./sampling_answer_gate.ts";
import { NO_PERSON_WHY } from "./tool_use_gate.ts";
import type { ResourceRefusal } from "../enforcer/resource_guard.ts";
import {
  GUARD_FAILED_RULE,
  INVALID_REQUEST_RULE,
  METHOD_VARIANT_RULE,
  resourceRefusedNote,
  resourceRefusedReason,
  resourceRefusedWire,
  shownMethod,
  variantNote,
  variantReason,
  variantWire,
} from "./request_refusal_texts.ts";
import { GOVERNED_METHODS, governedVariant } from "../protocol/method_variant.ts";
import { unrecordedRequestNote, unrecordedRequestWire } from "./unrecorded_request_texts.ts";
import { HandshakeWait } from "./handshake_wait.ts";
import { listServerTools, type OwnAnswer } from "./own_tools_listing.ts";
import { CallLine, type CallPlace } from "./call_line.ts";
import { DecisionDeadlines, EXPIRED } from "./decision_deadlines.ts";
import {
  decisionTimedOutVerdict,
  DEFAULT_DECISION_DEADLINE_MS,
  isDecisionTimeout,
} from "../enforcer/decision_timeout.ts";
import {
  decisionTimeoutNote,
  decisionTimeoutText,
  lateDecisionReason,
  lateToolUseReason,
} from "./decision_timeout_texts.ts";
import {
  type ClientLeaving,
  type ClientLeftTexts,
  clientLeftTexts,
  UNSENT_CLIENT_NOT_READING,
} from "./client_left_texts.ts";
import {
  arrayItemSpans,
  bomKeeping,
  decodeLine,
  decodeParts,
  encoder,
  exactLine,
  formatBytes,
  fragmentsOf,
  fragmentsOfOversize,
  itemTexts,
  lossy,
  parseText,
  shiftedProgressText,
  shownText,
  showsMessageKeys,
  valueSpan,
} from "./relay_line_text.ts";
import {
  envelopeVariant,
  foldedEnvelopes,
  governedNamed,
  isToolCall,
  keptItems,
  messageValue,
  methodOf,
  namesMethod,
  neitherAnswer,
  relayableEnvelope,
  usableId,
} from "./relay_envelopes.ts";
import {
  answeredRequest,
  carriesRequestState,
  clientNameOf,
  namesNextPage,
  readProgressToken,
  sampledResponses,
} from "./relay_requests.ts";
import { clientGoneAnswer, withdrawalReason, withdrawnReason } from "./relay_withdrawals.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  ApprovalStage,
  Approver,
  ClientChannel,
  OwnRequestOptions,
  RelayPorts,
  RelaySessionOptions,
  StatelessApprovalStep,
} from "./relay_types.ts";

// The shapes the session is built with and talks through live in `relay_types.ts`.
export type {
  ApprovalOutcome,
  ApprovalRequest,
  ApprovalStage,
  Approver,
  ClientChannel,
  Handshake,
  OwnRequestOptions,
  RawResponse,
  RelayEvents,
  RelayPorts,
  RelaySessionOptions,
  StatelessApprovalStep,
} from "./relay_types.ts";

// Sizes in words, as the session's notes write them (see `relay_line_text.ts`).
export { formatBytes } from "./relay_line_text.ts";

/** A client line counted as held for the server until it is written or answered. */
interface LineHold {
  size: number;
  /** Whether its bytes count now (not while its call waits for a person). */
  counted: boolean;
}

interface Pending {
  id: JsonRpcId;
  method: string;
  tool: string | undefined;
  started: number;
  /** The call's progress token, when thoth reported progress on it while it waited. */
  progressKey?: string;
  /** A `tasks/result` or `tasks/get` for the task of a call whose outcome is still to come. */
  taskId?: string;
  /** A `tools/call` that asked for a task (`params.task`): only its answer may create one. */
  task?: boolean;
  /** A `tools/call`'s decision (for the outcome of a late answer, once it was cancelled). */
  decisionId?: string;
}

/** A request of the server's to the client, as far as reading its answer needs. */
interface ServerRequest {
  method: string;
  /** It asked the client for a task (`params.task`). */
  task: boolean;
  /** A `tasks/result` or `tasks/get`: the task of the client's it names. */
  taskId?: string;
  /** A `sampling/createMessage`: the annotations of the tools it offered the model. */
  offered?: ReadonlyMap<string, ToolAnnotations>;
}

/** A task the client created for a request of the server's. */
interface ClientTask {
  /** A `sampling/createMessage` (or thoth cannot tell): its result may choose tools. */
  sampling: boolean;
  /** The tools its sampling request offered. */
  offered?: ReadonlyMap<string, ToolAnnotations> | undefined;
}

/** How a client's answer is read for tools a model chose (see `#toolUseReading`). */
interface ToolUseReading {
  offered?: ReadonlyMap<string, ToolAnnotations> | undefined;
}

/** What the answer to a refused `tools/call` names, and whether the call asked for a task. */
interface CallRefusal extends RefusalFacts {
  /** The call is task-augmented (`params.task`): it is refused with a JSON-RPC error. */
  task: boolean;
}

interface Held {
  id: JsonRpcId;
  /** The called tool; undefined for a request other than `tools/call`. */
  tool: string | undefined;
  cancelled: boolean;
  abort?: AbortController;
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

/** The progress thoth reported under one token while a call waited (see `#progressSent`). */
interface OwnProgress {
  /** The last `progress` thoth sent. */
  sent: number;
  /** The key of the call the server now runs under the token, once released. */
  call?: string;
}

type Forward = boolean | Promise<boolean>;

/** A sampling answer thoth refused (see `sampling_answer_gate.ts`). */
type Refused = Extract<SamplingAnswerPlan, { pass: false }>;

/** A call resumed after thoth listed the server's tools for it (see `#toolCall`). */
interface ListedCall {
  /** Its arguments with their long integers' digits kept, when it had any. */
  arguments: unknown;
  /** Why the listing failed; undefined when it did not. */
  listingFailure: string | undefined;
}

/** A call thoth lets through, as `#release` forwards it. */
interface Release {
  call: ToolCall;
  /** The decision that let it through. */
  decisionId: string;
  id: JsonRpcId;
  key: string;
  held: Held | undefined;
  progressToken: string | number | undefined;
  task: boolean;
}

/** Why a request under an id thoth cannot tell apart from another is refused. */
const ID_IN_USE = "its answer could be taken for another's";

/** Server lines are checked for a carriage return inside, not for a byte order mark. */
const SERVER_LINE_CHECK = { bom: false };
/** The server's unanswered `roots/list` requests remembered; older ones are forgotten. */
const MAX_ROOTS_REQUESTS = 16;
/** The server's unanswered requests remembered (for answers lost on the way); older ones are forgotten. */
const MAX_SERVER_REQUESTS = 1024;
/** The client's tasks for the server's requests remembered; older ones are forgotten (then read). */
const MAX_CLIENT_TASKS = 256;

/** How long thoth waits for the server's answer to a request of its own. */
const OWN_REQUEST_TIMEOUT_MS = 5_000;
/** The most pages of `tools/list` thoth asks for on its own. */
const MAX_OWN_LIST_PAGES = 32;
/** Withdrawn requests of thoth's own remembered (for late answers); older ones are forgotten. */
const MAX_WITHDRAWN = 256;
/** Progress tokens thoth reported on remembered (see `#progressSent`); older ones are forgotten. */
const MAX_PROGRESS_TOKENS = 256;

/** Why a request of thoth's own to the server got no answer when the server ended. */
const SERVER_ENDED = "the server ended before it answered";

/** Why a call still held (waiting for a decision or a person) ended with the session. */
const SESSION_ENDED = "the session ended while the call waited for its decision";

/** What the server is told when thoth refuses a sampling answer the client can no longer follow. */
const UNREAD_SAMPLING_ANSWER = "thoth refused the client's answer to this request: the client " +
  "stopped reading thoth's output while the tools the model chose in the answer were decided, " +
  "so they would run with no one to see what they do";

/** The reason recorded with a decision that came once its call had ended (see `#toldLate`). */
const ENDED_FIRST = "this decision came after the call had ended without reaching the server " +
  "(the client cancelled it or went away, or the session ended); it was not used, and the " +
  "call was not sent to the server";

/** How many dropped server lines that answered nothing are noted one by one. */
export const LOST_LINES_NOTED = 5;

/** Server lines above this size take the envelope-only path (see `#largeServerResponse`). */
export const LARGE_LINE_BYTES = 256 * 1024;

/** The routing state of one relay session. */
export class RelaySession {
  readonly #ports: RelayPorts;
  readonly #opts: RelaySessionOptions;
  readonly #now: () => number;
  /**
   * The id keys of the requests the client waits on (forwarded or held),
   * counted by loose key once the client used a string id that reads as a
   * number (see `#looseTwin`).
   */
  readonly #waitingIds = new LooseIdIndex();
  readonly #pending = new LooseIndexedMap<Pending>(this.#waitingIds);
  /**
   * The last `progress` thoth itself reported under a client's progress token
   * while a call waited for a person, by token: the server's progress for the
   * same call then continues from above it (see `#offsetProgress`). An entry
   * goes when its call ends, however it ends.
   */
  readonly #progressSent = new Map<string, OwnProgress>();
  readonly #held = new LooseIndexedMap<Held>(this.#waitingIds);
  readonly #toolsListCalls = new Map<string, boolean>();
  readonly #ownRequests = new Map<string, (response: Record<string, unknown>) => void>();
  /** The held client lines counted in `heldBytes`, by the id of their request (see `#holdLine`). */
  readonly #lineHolds = new Map<string, LineHold>();
  /**
   * The client closed its input, or stopped reading thoth's output: thoth's
   * own requests to it can get no answer.
   */
  #clientInputClosed = false;
  /** How the client went away first (see `clientInputClosed`, `clientOutputBroke`). */
  #clientLeaving: ClientLeaving | undefined;
  /**
   * The client stopped reading thoth's output: a call decided from now on is
   * not sent to the server, where it would run with no one to read its result.
   */
  #clientNotReading = false;
  /** The deadlines of the decisions the enforcer gives later (see `decision_deadlines.ts`). */
  readonly #deadlines: DecisionDeadlines;
  /** Requests of thoth's own withdrawn before their answer, with who hears a late one. */
  readonly #withdrawn = new Map<
    string,
    ((response: Record<string, unknown>) => void) | undefined
  >();
  /** Ids of the server's `roots/list` requests the client has not answered yet. */
  readonly #rootsRequests: JsonRpcId[] = [];
  /** The server's requests the client has not answered yet, by id key, oldest first. */
  readonly #serverRequests = new Map<string, ServerRequest>();
  /** Tasks the client created for the server's requests, by task id, oldest first. */
  readonly #clientTasks = new Map<string, ClientTask>();
  /** Forwarded requests the client cancelled, until the server answers them (see `cancelled_calls.ts`). */
  readonly #cancelled = new CancelledCalls();
  /** Task-augmented calls whose outcome is still to come (see `task_calls.ts`). */
  readonly #tasks = new TaskCalls();
  #tools = new Map<string, ToolAnnotations>();
  #toolsListSeen = false;
  /**
   * The client's last `tools/list` page named a next page it has not fetched
   * (`nextCursor`): a tool it does not list may be on a later page, so thoth
   * lists every page itself before it decides a call to such a tool.
   */
  #toolsListPartial = false;
  /** The server answered `initialize` without an error: an initialize-era session. */
  #initializeAnswered = false;
  /** The client's `initialize` while the server has not answered it. */
  readonly #handshake = new HandshakeWait();
  /**
   * thoth's own listing of the server's tools, for calls that come before
   * the client listed them, while it runs: it resolves with why it failed,
   * or undefined. One that failed is tried again by the next such call.
   */
  #ownListing: Promise<string | undefined> | undefined;
  /** Allowed tool calls not yet written, in the order the client sent them (see `call_line.ts`). */
  readonly #callLine = new CallLine();
  /** thoth's own requests to the server waiting for their answers, by id key. */
  readonly #ownServerRequests = new Map<string, (answer: OwnAnswer) => void>();
  /** The server is gone (see {@linkcode upstreamGone}): thoth asks it nothing more. */
  #serverGone = false;
  #negotiatedVersion: string | undefined;
  #clientElicitation = false;
  #clientName: string | undefined;
  /** The client's last `initialize`: who it said it is, which version it asked for. */
  #clientHello: { client: PeerInfo | undefined; requestedVersion: string | undefined } | undefined;
  /** How many requests thoth sent the client itself (approval forms). */
  #clientCounter = 0;
  /** How many requests thoth sent the server itself (its own `tools/list`). */
  #serverCounter = 0;
  /** The id prefix of thoth's own requests to the client: every answer under it is thoth's. */
  readonly #clientPrefix: string;
  /** The id prefix of thoth's own requests to the server, with a nonce of its own. */
  readonly #serverPrefix: string;
  #droppedFromClient = 0;
  #droppedFromServer = 0;
  /** Server lines dropped that answered nothing and showed no message keys (`#noteLostLine`). */
  #lostLines = 0;
  /**
   * While a client line that holds an integer too large for a double is
   * routed: its value as parsed, and again with those integers' digits kept
   * (see `exact_integers.ts`).
   */
  #exactLine: { value: unknown; exact: unknown } | undefined;
  /**
   * While a client line is routed: its pieces as read, for the record of a
   * request refused before it could be decided (see `#recordRefusal`).
   */
  #routedParts: readonly Uint8Array[] | undefined;

  constructor(ports: RelayPorts, options: RelaySessionOptions) {
    this.#ports = ports;
    this.#opts = options;
    this.#clientPrefix = ownIdPrefix(options.nonce ?? newIdNonce());
    this.#serverPrefix = ownIdPrefix(options.serverNonce ?? newIdNonce());
    this.#now = options.now ?? (() => performance.now());
    this.#deadlines = new DecisionDeadlines(
      options.decisionDeadlineMs ?? DEFAULT_DECISION_DEADLINE_MS,
    );
  }

  /** Whether the client declared form-mode elicitation in `initialize`. */
  get clientSupportsElicitation(): boolean {
    return this.#clientElicitation;
  }

  /** Requests forwarded to the server and not yet answered, plus held calls. */
  get inFlight(): number {
    return this.#pending.size + this.#held.size;
  }

  /** Counts of non-JSON lines dropped, per direction. */
  get dropped(): { fromClient: number; fromServer: number } {
    return { fromClient: this.#droppedFromClient, fromServer: this.#droppedFromServer };
  }

  // ── client → server ──────────────────────────────────────────────────────

  /** One complete line from the client. */
  fromClient(line: Uint8Array): void {
    const bytes = [line];
    this.#clientLine(decodeLine(line), line.length, bytes, lineDefect(bytes));
  }

  /**
   * One complete line from the client, as the chunks it arrived in (a large
   * request): parsed without first copying it into one array, and forwarded,
   * when it may be, as those same chunks.
   */
  fromClientParts(parts: readonly Uint8Array[]): void {
    this.#clientLine(decodeParts(parts), partsLength(parts), parts, lineDefect(parts));
  }

  #clientLine(
    text: string | undefined,
    size: number,
    bytes: readonly Uint8Array[],
    byteDefect: string | undefined,
  ): void {
    const value = text === undefined ? undefined : parseText(text);
    const defect = byteDefect ?? (value === undefined ? undefined : jsonTextDefect(text!));
    if (value !== undefined && defect !== undefined) {
      this.#routedParts = bytes;
      try {
        this.#refuseLine(value, defect, text!);
      } finally {
        this.#routedParts = undefined;
      }
      return;
    }
    if (value === undefined) {
      this.#droppedFromClient++;
      const facts = fragmentsOf(bytes);
      this.#droppedUnread(
        `dropped a line from the client that is not JSON (${size} bytes); ` +
          "MCP over stdio needs one JSON-RPC message per line",
        facts.kind === "unknown" && !facts.mentionsMethod ? { ...facts, id: undefined } : facts,
        RPC_PARSE_ERROR,
        "Parse error: thoth could not read the request as JSON, so it was not forwarded",
        "thoth could not read the client's answer as JSON, so it was not forwarded",
      );
      return;
    }
    const send = () => {
      for (const part of bytes) this.#ports.toServer(part);
    };
    this.#exactLine = mayHoldLongInteger(text!) ? exactLine(value, text!) : undefined;
    const message = this.#exactIds(classifyMessage(value), text!);
    this.#routedParts = bytes;
    try {
      if (message.kind === "batch") {
        this.#clientBatch(send, message.items, size, text!);
        return;
      }
      const forward = this.#routeFromClient(message);
      if (forward === true) {
        // An allowed call goes behind the calls the client sent before it (see `call_line.ts`).
        if (this.#callLine.size === 0 || !isToolCall(message)) send();
        else this.#queueCall(message, send, size);
      } else if (forward !== false) {
        const release = this.#holdLine(message, size);
        const place = isToolCall(message) && !this.#waitsForPerson(message)
          ? this.#callLine.join(idKey(message.id))
          : undefined;
        void forward.then((ok) => {
          if (place === undefined) {
            try {
              if (ok) send();
            } finally {
              release();
            }
            return;
          }
          this.#callLine.settle(place, ok ? () => sendThen(send, release) : undefined, release);
          if (!ok) release();
        }, (error) => {
          if (place !== undefined) this.#callLine.settle(place, undefined);
          release();
          throw error;
        });
      }
    } finally {
      this.#exactLine = undefined;
      this.#routedParts = undefined;
    }
  }

  /**
   * A tool call allowed at once while calls sent before it are still on
   * their way (see `call_line.ts`): it is written in its turn, and counts
   * as held for the server until then.
   */
  #queueCall(message: RequestMessage, send: () => void, size: number): void {
    const release = this.#holdLine(message, size);
    const place = this.#callLine.join(idKey(message.id));
    this.#callLine.settle(place, () => sendThen(send, release), release);
  }

  /** Whether the held call `message` waits for a person (it takes no place in the call line). */
  #waitsForPerson(message: RequestMessage): boolean {
    return this.#held.get(idKey(message.id))?.abort !== undefined;
  }

  /**
   * `message` (parsed from `text`) with each request's numeric id as the
   * client wrote it, when `String(id)` would write it otherwise: an integer
   * past 2^53, or a number spelled its own way (`2.0`, see `spelledId`).
   * The server's answer must carry that spelling, and thoth's own answers do.
   */
  #exactIds(message: Message, text: string): Message {
    let spans: [number, number][] | undefined | null = null;
    const itemText = (index: number | undefined): string | undefined => {
      if (index === undefined) return text;
      if (spans === null) spans = arrayItemSpans(text);
      const span = spans?.[index];
      return span === undefined ? undefined : text.slice(span[0], span[1]);
    };
    const withId = (item: Message, index?: number): Message => {
      if (item.kind !== "request") return item;
      let id = item.id;
      if (this.#exactLine !== undefined) {
        const exact = this.#exactOf(item.value, index);
        id = exactId(id, isPlainObject(exact) ? exact["id"] : undefined);
      }
      if (typeof id === "number") {
        const written = itemText(index);
        id = spelledId(id, written === undefined ? undefined : idTextOf(written));
      }
      return id === item.id ? item : { ...item, id };
    };
    return message.kind === "batch"
      ? { ...message, items: message.items.map((item, index) => withId(item, index)) }
      : withId(message);
  }

  /**
   * The message `value` of the client line being routed, with the digits of
   * its long integers kept; undefined when the line has none.
   */
  #exactOf(value: unknown, index?: number): unknown {
    const line = this.#exactLine;
    if (line === undefined) return undefined;
    if (line.value === value) return line.exact;
    if (!Array.isArray(line.value) || !Array.isArray(line.exact)) return undefined;
    // Elements that are equal numbers are told apart by their place, never by value.
    const at = index ?? line.value.indexOf(value);
    return at === -1 || line.value[at] !== value ? undefined : line.exact[at];
  }

  /** A client line over the cap: answered with an error when its id can be found. */
  fromClientOversize(info: OversizeLine): void {
    this.#droppedUnread(
      `dropped a ${info.size}-byte message from the client: over the ${this.#capText()} line cap`,
      fragmentsOfOversize(info),
      RPC_INVALID_PARAMS,
      `Request too large: ${info.size} bytes is over thoth's line cap of ${this.#capText()}`,
      `The client's answer (${info.size} bytes) is over thoth's line cap of ${this.#capText()}`,
    );
  }

  /**
   * A client line dropped unread: a note, and an error for whoever waits for
   * it when its id was found. A request's sender is the client itself; an
   * answer's is the server, whose request it answered.
   */
  #droppedUnread(
    note: string,
    facts: FragmentFacts,
    code: number,
    toClient: string,
    toServer: string,
  ): void {
    const { id, kind } = facts;
    if (id === undefined) {
      this.#ports.note(note);
    } else if (kind !== "response") {
      this.#ports.note(`${note} (request id ${JSON.stringify(id)}, answered with an error)`);
      this.#ports.toClient(errorResponse(id, code, toClient));
    } else if (this.#failServerRequest(id, toServer)) {
      this.#ports.note(
        `${note} (the answer to the server's request ${
          JSON.stringify(id)
        }; the server was sent an error instead)`,
      );
    } else {
      this.#ports.note(note);
    }
  }

  /**
   * The client's answer to the server's request `id` will not reach the
   * server: when the server waits for it, it is sent an error instead
   * (`message`), and true is returned.
   */
  #failServerRequest(id: JsonRpcId, message: string): boolean {
    if (!this.#serverRequests.delete(idKey(id))) return false;
    const roots = answeredRequest(this.#rootsRequests, id);
    if (roots !== -1) this.#rootsRequests.splice(roots, 1);
    this.#ports.toServer(errorResponse(id, RPC_SERVER_ERROR, message));
    return true;
  }

  #routeFromClient(message: Message): Forward {
    if (message.kind !== "batch" && isPlainObject(message.value)) {
      const variant = caseVariantKey(message.value, ENVELOPE_KEYS);
      if (variant !== undefined) {
        return this.#refuseInvalid(`a message with the key ${JSON.stringify(variant)}`, message);
      }
    }
    switch (message.kind) {
      case "request":
        return this.#clientRequest(message);
      case "notification":
        if (message.method === "notifications/cancelled") {
          return this.#clientCancelled(message.params);
        }
        if (message.method === "tools/call") {
          // A tool call the enforcer cannot answer must not run unanswered either.
          this.#ports.note(
            "dropped a tools/call sent without an id (as a notification): " +
              "thoth governs tool calls only as requests it can answer",
          );
          this.#recordRefusal(message.value, undefined, "a tools/call sent without an id");
          return false;
        }
        {
          const governed = governedVariant(message.method);
          if (governed !== undefined) {
            return this.#refuseVariant(message.method, undefined, governed, message.params);
          }
        }
        if (sampledResponses(message.params).length > 0) {
          // Answers that may choose tools, which the server would run, with no request to
          // answer if they are refused: never relayed.
          this.#ports.note(
            `dropped a ${
              shownText(message.method)
            } notification that carries inputResponses: thoth decides the tools such answers ` +
              "choose only in a request it can answer",
          );
          return false;
        }
        return true;
      case "response": {
        // An answer under thoth's own ids is thoth's, never the server's: the server may ask
        // nothing under them (see `#refuseOwnIdRequest`), so it is read for thoth first.
        if (typeof message.id === "string" && this.#ownId(message.id)) {
          this.#ownAnswer(message.id, message.value);
          return false;
        }
        if (message.defect !== undefined) return this.#refuseMalformedAnswer(message);
        const key = message.id === null ? undefined : idKey(message.id);
        const asked = key === undefined ? undefined : this.#serverRequests.get(key);
        if (asked !== undefined) this.#serverRequests.delete(key!);
        if (this.#rootsRequests.length > 0 && message.id !== null) {
          const at = answeredRequest(this.#rootsRequests, message.id);
          if (at !== -1) {
            this.#rootsRequests.splice(at, 1);
            if (!message.isError) this.#opts.events?.rootsListed?.(message.value["result"]);
          }
        }
        // A sampling answer may carry tools the model chose, which the server will run; an
        // answer to a request thoth does not remember is read as one too (fail closed). An
        // answer with a result has no error here (one with both is refused above).
        if (message.id !== null && "result" in message.value) {
          const reading = this.#toolUseReading(asked, message.value["result"]);
          if (reading !== undefined) {
            return this.#samplingAnswer(message.id, message.value, reading);
          }
        }
        return true;
      }
      case "batch":
        // JSON-RPC has no batch inside a batch; a lenient server must not get one past the enforcer.
        return this.#refuseInvalid("a batch inside a batch", message);
      default: {
        const called = methodOf(message.value);
        if (called === "tools/call") {
          return this.#refuseInvalid(
            "a tools/call whose id is not a string or a number",
            message,
          );
        }
        if (isPlainObject(message.value) && !namesMethod(message.value)) {
          // No method name (none, `""`, or not a string) and neither result nor error: Go's
          // SDK reads `"method": ""` as a response, so no message of this shape is forwarded.
          const id = message.value["id"];
          const method = "method" in message.value;
          if (isId(id) && this.#serverRequests.has(idKey(id))) {
            // An answer with neither result nor error: the server's request gets an error.
            return this.#refuseMalformedAnswer(neitherAnswer(id, message.value));
          }
          if ("id" in message.value || method) {
            return this.#refuseInvalid(
              method
                ? "a message whose method is empty or not a string"
                : "a message with an id and neither method, result nor error",
              message,
            );
          }
        }
        if (
          isPlainObject(message.value) && sampledResponses(message.value["params"]).length > 0
        ) {
          return this.#refuseInvalid(
            "a request that carries inputResponses under an id that is not a string or a number",
          );
        }
        if (
          typeof called === "string" &&
          (GOVERNED_METHODS.has(called) || governedVariant(called) !== undefined)
        ) {
          // A lenient server reads some such ids as ids (pydantic takes `false` for 0).
          return this.#refuseInvalid(
            `a request with the method ${shownMethod(called)} whose id is not a string or a number`,
            message,
          );
        }
        return true;
      }
    }
  }

  /**
   * A line the server might read as something other than what thoth parsed:
   * nothing of it is forwarded, and each request in it gets an error.
   */
  #refuseLine(value: unknown, defect: string, text: string): void {
    this.#ports.note(
      `refused a line from the client with ${defect}: a server might read it as other messages ` +
        "than thoth did, so none of it was forwarded",
    );
    // Answered under the ids as the client wrote them, long integers too.
    this.#exactLine = mayHoldLongInteger(text) ? exactLine(value, text) : undefined;
    let message: Message;
    try {
      message = this.#exactIds(classifyMessage(value), text);
    } finally {
      this.#exactLine = undefined;
    }
    const items = message.kind === "batch" ? message.items : [message];
    for (const item of items) {
      // An answer to a request of the server's: the server gets an error instead of waiting.
      if (item.kind === "response") {
        const refused = `thoth refused the client's answer: its line had ${defect}`;
        if (item.id !== null && this.#failServerRequest(item.id, refused)) {
          this.#ports.note(
            `the refused line answered the server's request ${
              JSON.stringify(item.id)
            }; the server was sent an error instead`,
          );
        }
        continue;
      }
      // A request, or one whose id is no JSON-RPC id (answered with a null id, as JSON-RPC says).
      const id = item.kind === "request"
        ? item.id
        : item.kind === "other" && methodOf(item.value) !== undefined
        ? null
        : undefined;
      if (id === undefined) continue;
      this.#ports.toClient(
        errorResponse(
          id,
          RPC_INVALID_REQUEST,
          `Invalid Request: thoth refused a line with ${defect}`,
        ),
      );
      this.#recordRefusal(messageValue(item), id ?? undefined, `a line with ${defect}`);
    }
  }

  /**
   * A message that is not valid JSON-RPC and may hide a tool call, or a
   * request whose id would be confused with another's (`why`): answered,
   * never forwarded.
   */
  #refuseInvalid(what: string, message?: Message, why = "not valid JSON-RPC"): false {
    this.#ports.note(`refused ${what} (${why}); it was not forwarded`);
    const id = message?.kind === "request" ? message.id : usableId(message);
    if (message?.kind !== "notification" && message?.kind !== "response") {
      this.#ports.toClient(
        errorResponse(id, RPC_INVALID_REQUEST, `Invalid Request: thoth refused ${what}`),
      );
    }
    if (message !== undefined && message.kind !== "response") {
      this.#recordRefusal(messageValue(message), id ?? undefined, `${what} (${why})`);
    }
    return false;
  }

  /**
   * Records a client request refused before it could be decided, when it
   * names a governed method (see `method_variant.ts`), under `method` or a
   * key that differs from it only by case (for a batch, its first element
   * that does): with the digest of its line's bytes while the line is
   * routed, else of its params. Nothing else is recorded: only such a
   * request could have run ungoverned.
   */
  #recordRefusal(value: unknown, id: JsonRpcId | undefined, reason: string): void {
    const record = this.#opts.events?.request;
    if (record === undefined) return;
    const named = governedNamed(value);
    if (named === undefined) return;
    const parts = this.#routedParts;
    record({
      method: named.method,
      requestId: id,
      forwarded: false,
      refusal: { ruleId: INVALID_REQUEST_RULE, reason: `thoth refused ${reason}` },
      ...(parts === undefined
        ? { params: named.params }
        : { line: { parts, bytes: partsLength(parts) - terminatorLength(parts) } }),
    });
  }

  /**
   * A client request (`id`) or notification (`id` undefined) whose method
   * differs from the governed method `governed` only by case, white space
   * or characters drawn as nothing: a server that reads it as `governed`
   * would run it ungoverned, so it is refused, and recorded.
   */
  #refuseVariant(
    method: string,
    id: JsonRpcId | undefined,
    governed: string,
    params: unknown,
  ): false {
    this.#ports.note(variantNote(method, id, governed));
    if (id !== undefined) {
      this.#ports.toClient(errorResponse(id, RPC_INVALID_REQUEST, variantWire(method, governed)));
    }
    this.#opts.events?.request?.({
      method,
      requestId: id,
      params,
      forwarded: false,
      refusal: { ruleId: METHOD_VARIANT_RULE, reason: variantReason(method, governed) },
    });
    return false;
  }

  /**
   * Whether thoth refuses the client's `resources/read`,
   * `resources/subscribe` or `prompts/get` request `message`: its params (a
   * prompt's arguments among them, which a server may read a file by) reach
   * files thoth protects in every mode (see `resource_guard.ts`), or they
   * could not be checked (fail closed). It is answered with an error, said
   * on stderr and recorded; it never reaches the server.
   */
  #refusedResource(message: RequestMessage): boolean {
    const { method, id } = message;
    const guarded = method === "resources/read" || method === "resources/subscribe" ||
      method === "prompts/get";
    if (!guarded) return false;
    const guard = this.#opts.enforcer.guardResource;
    if (guard === undefined) return false;
    let refusal: ResourceRefusal | undefined;
    try {
      refusal = guard(message.params);
    } catch (error) {
      refusal = {
        ruleId: GUARD_FAILED_RULE,
        reaches: `thoth could not check which files its params reach: ${errorMessage(error)}`,
      };
    }
    if (refusal === undefined) return false;
    this.#ports.note(resourceRefusedNote(method, id, refusal));
    this.#ports.toClient(
      errorResponse(id, RPC_SERVER_ERROR, resourceRefusedWire(method, refusal.ruleId)),
    );
    this.#opts.events?.request?.({
      method,
      requestId: id,
      params: message.params,
      forwarded: false,
      refusal: { ruleId: refusal.ruleId, reason: resourceRefusedReason(refusal) },
    });
    return true;
  }

  /**
   * A client answer JSON-RPC does not allow (`message.defect`: both `result`
   * and `error`, neither (under the id of a request the server waits for),
   * a `method` beside them, no id or one that is not a string or a number,
   * an `error` that is not an object, no `jsonrpc` "2.0"): servers
   * read such a message differently (pydantic takes `{"result":…,"error":null}`
   * for a result, and `"id": false` for the id 0), so it never reaches the
   * server. When its id names a request the server waits for, the server gets
   * an error instead. A result it carries under such an id is still read for
   * tools a model chose, and each is decided, for the record; none can run,
   * as the answer goes nowhere.
   */
  #refuseMalformedAnswer(message: ResponseMessage): false {
    const id = message.id;
    const what = `it is not a response JSON-RPC allows: ${message.defect}`;
    if (id === null) {
      this.#ports.note(
        `refused an answer from the client: ${what}; a server might read it as the answer to ` +
          "one of its requests, so it was not forwarded",
      );
      return false;
    }
    const asked = this.#serverRequests.get(idKey(id));
    const failed = this.#failServerRequest(
      id,
      `thoth refused the client's answer to this request: ${what} ` +
        "(servers read such an answer differently)",
    );
    this.#ports.note(
      `refused the client's answer to the server's request ${JSON.stringify(id)}: ${what}; ` +
        (failed
          ? "the server was sent an error instead"
          : "no request of the server's waits for it, so nothing was sent"),
    );
    const reading = "result" in message.value
      ? this.#toolUseReading(asked, message.value["result"], false)
      : undefined;
    if (reading !== undefined) {
      const decided: { call: ToolCall; verdict: Verdict }[] = [];
      const ended = () => {
        for (const { call, verdict } of decided) {
          this.#opts.events?.toolUseEnded?.(call, verdict, id, false);
        }
      };
      const exact = this.#exactOf(message.value);
      const plan = gateSamplingAnswer(
        id,
        message.value["result"],
        isPlainObject(exact) ? exact["result"] : undefined,
        this.#samplingContext(id, reading.offered, decided),
      );
      if (plan instanceof Promise) void plan.then(ended, ended);
      else ended();
    }
    return false;
  }

  /**
   * Whether the client's answer to the server's request `asked` may hold
   * tools a model chose: an answer to `sampling/createMessage`; to a
   * `tasks/result` or `tasks/get` for a task such a request created (a
   * task-augmented sampling request is answered with its task, and the
   * message comes with the task's result); and, failing closed, to a
   * request or a task thoth does not know. Undefined when it cannot; else
   * the tools the sampling request offered. Remembers the tasks the answer
   * creates, unless `remember` is false (an answer that goes nowhere).
   */
  #toolUseReading(
    asked: ServerRequest | undefined,
    result: unknown,
    remember = true,
  ): ToolUseReading | undefined {
    if (asked === undefined) return {};
    switch (asked.method) {
      case "sampling/createMessage": {
        const taskId = remember ? createdTaskId(result) : undefined;
        if (taskId !== undefined) {
          this.#rememberClientTask(taskId, { sampling: true, offered: asked.offered });
        }
        return { offered: asked.offered };
      }
      case "tasks/result":
      case "tasks/get": {
        const task = asked.taskId === undefined ? undefined : this.#clientTasks.get(asked.taskId);
        return task?.sampling === false ? undefined : { offered: task?.offered };
      }
      default: {
        // A task of another request's (an elicitation's): its result chooses no tools.
        const taskId = asked.task && remember ? createdTaskId(result) : undefined;
        if (taskId !== undefined && !this.#clientTasks.has(taskId)) {
          this.#rememberClientTask(taskId, { sampling: false });
        }
        return undefined;
      }
    }
  }

  /** Remembers a task of the client's (bounded: the oldest goes, and is then read as unknown). */
  #rememberClientTask(taskId: string, task: ClientTask): void {
    const tasks = this.#clientTasks;
    tasks.delete(taskId);
    if (tasks.size >= MAX_CLIENT_TASKS) tasks.delete(tasks.keys().next().value!);
    tasks.set(taskId, task);
  }

  /**
   * A client's answer to the server's `sampling/createMessage` request (or to
   * a `tasks/result` of such a request's task): each tool the model chose in
   * it is decided (see `sampling_answer_gate.ts`); when one is refused, the
   * server gets an error instead of the answer.
   */
  #samplingAnswer(id: JsonRpcId, value: Record<string, unknown>, reading: ToolUseReading): Forward {
    const exact = this.#exactOf(value);
    const events = this.#opts.events;
    const decided: { call: ToolCall; verdict: Verdict }[] = [];
    const plan = gateSamplingAnswer(
      id,
      value["result"],
      isPlainObject(exact) ? exact["result"] : undefined,
      this.#samplingContext(id, reading.offered, decided),
    );
    const apply = (next: SamplingAnswerPlan): boolean => {
      // Not sent once the client stopped reading: the tools it chose would run unseen
      // (as a call is not sent then: see `#forwardCall`).
      const unread = next.pass && decided.length > 0 && this.#clientNotReading;
      for (const { call, verdict } of decided) {
        events?.toolUseEnded?.(call, verdict, id, next.pass && !unread);
      }
      if (unread) {
        this.#ports.note(
          `refused the client's answer to the server's sampling request ${JSON.stringify(id)}: ` +
            "the client stopped reading thoth's output while the tools the model chose in it " +
            "were decided; the server was sent an error instead",
        );
        this.#ports.toServer(errorResponse(id, RPC_SERVER_ERROR, UNREAD_SAMPLING_ANSWER));
        return false;
      }
      if (next.pass) return true;
      this.#ports.note(next.note);
      this.#ports.toServer(next.error);
      return false;
    };
    return plan instanceof Promise ? plan.then(apply) : apply(plan);
  }

  /**
   * How the tools chosen in an answer to the server's sampling request are
   * decided: `id` is the message that carries the answer (the client's
   * response, or its retried `tools/call`); each decision is pushed on `decided`.
   */
  #samplingContext(
    id: JsonRpcId,
    offered: ReadonlyMap<string, ToolAnnotations> | undefined,
    decided: { call: ToolCall; verdict: Verdict }[],
  ): SamplingAnswerContext {
    const events = this.#opts.events;
    return {
      server: this.#opts.server,
      tools: this.#tools,
      offered,
      chosen: (call) => events?.toolUse?.(call, id),
      decided: (call, verdict) => decided.push({ call, verdict }),
      protocolVersion: this.#negotiatedVersion,
      enforcer: this.#gateEnforcer(id),
      newDecisionId: this.#opts.newDecisionId,
      approver: this.#opts.approver,
      // No person can be asked: the approver sees the signal aborted (a grant still counts).
      request: (call, verdict) => ({
        call,
        verdict,
        requestId: id,
        progressToken: undefined,
        signal: AbortSignal.abort(withdrawnReason(NO_PERSON_WHY)),
        client: this.#channel(),
      }),
      approval: (call, verdict, outcome) => events?.approval?.(call, verdict, outcome),
      note: (message) => this.#ports.note(message),
    };
  }

  #clientRequest(message: RequestMessage): Forward {
    const key = idKey(message.id);
    if (this.#ownId(message.id)) {
      // thoth's own ids (its requests to the server and the client): an answer under one
      // would be taken for the answer to thoth's request.
      return this.#refuseInvalid(
        `a request under thoth's own id ${JSON.stringify(message.id)}`,
        message,
        ID_IN_USE,
      );
    }
    if (this.#pending.has(key) || this.#held.has(key)) {
      // Two requests under one id: answers, outcomes and tools/list would be mixed up.
      return this.#refuseInvalid(
        `a request with id ${JSON.stringify(message.id)}, which an unanswered request still uses`,
        message,
        ID_IN_USE,
      );
    }
    if (this.#cancelled.size > 0 && this.#cancelled.inUse(key, this.#now())) {
      // The server may still answer the cancelled one: its late answer would pass for this one's.
      return this.#refuseInvalid(
        `a request with id ${
          JSON.stringify(message.id)
        }, which a cancelled request still uses until the server answers it`,
        message,
        ID_IN_USE,
      );
    }
    if (this.#tasks.size > 0 && this.#tasks.holdsId(key)) {
      // The audit links the task's outcome to its call by this id, when the task's result comes.
      return this.#refuseInvalid(
        `a request with id ${
          JSON.stringify(message.id)
        }, which a task-augmented call still uses until its task's result is fetched`,
        message,
        ID_IN_USE,
      );
    }
    const twin = this.#looseTwin(key);
    if (twin !== undefined) {
      // `2` and `"2"` are two ids to JSON-RPC, one to a client that matches answers with
      // `Number(id)` (the SDK) or as text: one's answer would be taken for the other's.
      return this.#refuseInvalid(
        `a request with id ${JSON.stringify(message.id)} while the id ${
          JSON.stringify(idOfKey(twin))
        } of an unanswered request reads the same to a client`,
        message,
        ID_IN_USE,
      );
    }
    if (message.method === "tools/call") return this.#toolCall(message, key);
    if (GOVERNED_METHODS.has(message.method)) {
      if (this.#refusedResource(message)) return false;
    } else {
      const governed = governedVariant(message.method);
      if (governed !== undefined) {
        return this.#refuseVariant(message.method, message.id, governed, message.params);
      }
    }
    const responses = sampledResponses(message.params);
    if (responses.length > 0) return this.#carryingRequest(message, key, responses);
    return this.#forwardRequest(message, key);
  }

  /**
   * A request other than `tools/call` that carries answers to the server's
   * own requests (`inputResponses`): the server acts on them as on a live
   * answer, running the tools a model chose there, so each is decided first
   * (see `#gateInputResponses`). When one is refused, the request is not
   * forwarded: the client gets the error, and the request a cancellation
   * that says why.
   */
  #carryingRequest(message: RequestMessage, key: string, responses: unknown[]): Forward {
    const { id, method } = message;
    const { decided, refused } = this.#gateInputResponses(id, responses);
    const waiting: Held = { id, tool: undefined, cancelled: false };
    const apply = (found: Refused | undefined): boolean => {
      // Not sent once the client stopped reading: the tools it chose would run unseen.
      const unread = this.#clientNotReading;
      const forward = found === undefined && !waiting.cancelled && !unread;
      for (const chosen of decided) {
        this.#opts.events?.toolUseEnded?.(chosen.call, chosen.verdict, id, forward);
      }
      if (waiting.cancelled) return false;
      if (found === undefined && unread) {
        this.#finishHeld(key, waiting);
        this.#ports.note(
          `did not send ${shownText(method)} request ${shownText(id)} to the MCP server: the ` +
            "client stopped reading thoth's output while the answers it carries were decided",
        );
        this.#opts.events?.cancelled?.(id, undefined, UNSENT_CLIENT_NOT_READING);
        return false;
      }
      if (found === undefined) {
        this.#finishHeld(key, waiting);
        return this.#forwardRequest(message, key);
      }
      const why = `thoth refused the answer to the server's sampling request this ${method} ` +
        `request carries in inputResponses: ${found.reason}`;
      this.#ports.note(
        `refused ${shownText(method)} request ${JSON.stringify(id)}: the answer to the ` +
          `server's sampling request it carries in inputResponses: ${found.reason}; the ` +
          "request was not forwarded",
      );
      this.#opts.events?.cancelled?.(id, undefined, why);
      if (GOVERNED_METHODS.has(method)) {
        this.#opts.events?.request?.({
          method,
          requestId: id,
          params: message.params,
          forwarded: false,
          refusal: { ruleId: INVALID_REQUEST_RULE, reason: why },
        });
      }
      return this.#answerCall(key, waiting, id, found.error);
    };
    if (!(refused instanceof Promise)) return apply(refused);
    // Held while decided: its id stays in use, and the client may cancel it.
    this.#held.set(key, waiting);
    return refused.then(apply);
  }

  /**
   * Decides the tools chosen in the answers to the server's own requests a
   * client request `id` carries (`responses`, see `sampledResponses`), as in a
   * live sampling answer (see `#samplingAnswer`): the first refusal, when one
   * is refused, and each decision made.
   */
  #gateInputResponses(id: JsonRpcId, responses: readonly unknown[]): {
    decided: { call: ToolCall; verdict: Verdict }[];
    refused: Refused | undefined | Promise<Refused | undefined>;
  } {
    const decided: { call: ToolCall; verdict: Verdict }[] = [];
    const context = this.#samplingContext(id, undefined, decided);
    const plans = responses.map((entry) => gateInputResponse(id, entry, undefined, context));
    const first = (all: readonly SamplingAnswerPlan[]) =>
      all.find((plan): plan is Refused => !plan.pass);
    const refused = plans.every((plan) => !(plan instanceof Promise))
      ? first(plans as SamplingAnswerPlan[])
      : Promise.all(plans).then(first);
    return { decided, refused };
  }

  /**
   * Forwards a client request other than `tools/call`: it is pending on the
   * server from now on. Not a governed one whose record cannot be written:
   * it is refused (see {@linkcode #refuseUnrecorded}).
   */
  #forwardRequest(message: RequestMessage, key: string): boolean {
    let taskId: string | undefined;
    if (message.method === "initialize") {
      this.#handshake.begin();
      this.#clientElicitation = declaresElicitation(message.params);
      this.#clientName = clientNameOf(message.params);
      this.#clientHello = {
        client: peerInfoOf(message.params, "clientInfo"),
        requestedVersion: protocolVersionOf(message.params),
      };
    } else if (message.method === "tools/list") {
      this.#toolsListCalls.set(key, hasCursor(message.params));
    } else if (GOVERNED_METHODS.has(message.method)) {
      // A resource, prompt or completion the client asked for: recorded as it goes.
      const exact = this.#exactOf(message.value);
      const recorded = this.#opts.events?.request?.({
        method: message.method,
        requestId: message.id,
        params: isPlainObject(exact) ? exact["params"] : message.params,
        forwarded: true,
      });
      if (recorded === false) return this.#refuseUnrecorded(message);
    } else if (
      this.#tasks.size > 0 && (message.method === "tasks/result" || message.method === "tasks/get")
    ) {
      taskId = requestedTaskId(message.params);
      if (taskId !== undefined && !this.#tasks.has(taskId)) taskId = undefined;
    }
    this.#pending.set(key, {
      id: message.id,
      method: message.method,
      tool: undefined,
      started: this.#now(),
      ...(taskId === undefined ? {} : { taskId }),
    });
    return true;
  }

  /**
   * A governed request whose record cannot be written (the audit log is
   * failing): no evidence, no request, as for a `tools/call`. The client
   * gets an error that names the problem, the person at the machine a line
   * on stderr; the request never reaches the server.
   */
  #refuseUnrecorded(message: RequestMessage): false {
    const { method, id } = message;
    this.#ports.note(unrecordedRequestNote(method, id));
    this.#ports.toClient(errorResponse(id, RPC_SERVER_ERROR, unrecordedRequestWire(method)));
    return false;
  }

  /**
   * The key of another request in flight whose id a client that matches ids
   * loosely takes for the one with key `key` (`2` for `"2"`, see
   * `looseKeyOf`); undefined when there is none. `waiting`: only requests
   * the client still waits on (forwarded or held), not cancelled ones or
   * those whose task's result is still to come.
   */
  #looseTwin(key: string, waiting = false): string | undefined {
    const loose = looseKeyOf(key);
    if (loose !== key && !this.#pending.indexing) {
      // The first string id that reads as a number: from now on, the ids waited on are
      // counted by loose key (before, a number's only twins were among them).
      this.#pending.indexing = true;
      this.#held.indexing = true;
    }
    // A number's twins are strings that read as numbers: none in flight unless the client used one.
    if (loose === key && !(this.#pending.indexing && key.startsWith("n:"))) return undefined;
    const twin = this.#waitingIds.twinOf(key);
    if (twin !== undefined || waiting) return twin;
    return this.#cancelled.twinOf(key, this.#now()) ?? this.#tasks.twinOf(key);
  }

  #clientCancelled(params: unknown): boolean {
    const id = cancelledRequestId(params);
    if (id === undefined) return true;
    const key = idKey(id);
    const held = this.#held.get(key);
    if (held !== undefined) {
      // The server never saw this call: end the wait here, answer nothing.
      held.cancelled = true;
      held.abort?.abort(new Error("the client cancelled the call"));
      this.#held.delete(key);
      this.#forgetProgress(held.progressKey);
      this.#opts.events?.cancelled?.(id, held.tool);
      return false;
    }
    const pending = this.#pending.get(key);
    if (pending !== undefined && this.#callLine.size > 0 && this.#callLine.withdraw(key)) {
      // Allowed, but still in the call line: the server never saw it, as a held call.
      this.#pending.delete(key);
      this.#forgetProgress(pending.progressKey);
      this.#opts.events?.cancelled?.(id, pending.tool);
      return false;
    }
    if (pending !== undefined) {
      this.#pending.delete(key);
      // The server may still answer it: that answer is this call's, never a newer one's,
      // and a tool call's answer is still its decision's outcome (see `#unmatchedAnswer`).
      this.#cancelled.add(
        key,
        this.#now(),
        pending.method === "tools/call" && pending.decisionId !== undefined
          ? {
            id: pending.id,
            tool: pending.tool ?? "",
            started: pending.started,
            decisionId: pending.decisionId,
          }
          : undefined,
        idText(pending.id),
      );
      this.#toolsListCalls.delete(key);
      this.#forgetProgress(pending.progressKey);
      if (pending.method === "initialize") this.#handshake.end();
      this.#opts.events?.cancelled?.(id, pending.tool);
    }
    return true;
  }

  /**
   * `listed`: a call resumed after thoth listed the tools for it: its exact
   * arguments (read while its line was routed: they are not known later),
   * and why the listing failed, when it did.
   */
  #toolCall(message: RequestMessage, key: string, listed?: ListedCall): Forward {
    const variant = isPlainObject(message.params)
      ? caseVariantKey(message.params, CALL_PARAMS_KEYS)
      : undefined;
    if (variant !== undefined) {
      return this.#refuseInvalid(
        `a tools/call whose params have the key ${JSON.stringify(variant)}`,
        message,
      );
    }
    const params = readToolCallParams(message.params);
    if (!params.ok) {
      this.#ports.note(
        `refused an uninspectable tools/call (id ${JSON.stringify(message.id)}): ${params.problem}`,
      );
      this.#ports.toClient(
        errorResponse(message.id, RPC_INVALID_PARAMS, `Invalid params: ${params.problem}`),
      );
      this.#recordRefusal(
        message.value,
        message.id,
        `an uninspectable tools/call: ${params.problem}`,
      );
      return false;
    }
    const { era, protocolVersion } = requestEra(message.params, this.#negotiatedVersion);
    let exactArguments = listed?.arguments;
    if (listed === undefined) {
      const exact = this.#exactOf(message.value);
      const exactParams = isPlainObject(exact) ? exact["params"] : undefined;
      exactArguments = isPlainObject(exactParams) ? exactParams["arguments"] : undefined;
    }
    if (
      listed === undefined &&
      (!this.#toolsListSeen || (this.#toolsListPartial && !this.#tools.has(params.name)))
    ) {
      // A call before the client listed the tools, in either era, with or without an
      // initialize, or to a tool that may be on a page of the list the client did not
      // fetch: their annotations (which the policy reads: destructiveHint,
      // readOnlyHint) are asked for first, or no rule on them could match.
      const listing = this.#listTools(era === "stateless" ? protocolVersion : undefined);
      const held: Held = { id: message.id, tool: params.name, cancelled: false };
      this.#held.set(key, held);
      const decided = listing.then((listingFailure): Forward => {
        if (held.cancelled) return false;
        this.#held.delete(key);
        return this.#toolCall(message, key, { arguments: exactArguments, listingFailure });
      });
      this.#opts.holding?.(decided);
      return decided;
    }
    const annotations = this.#tools.get(params.name);
    let call: ToolCall = buildToolCall({
      server: this.#opts.server,
      tool: params.name,
      arguments: params.arguments,
      exactArguments,
      annotations,
      listed: annotations !== undefined,
      era,
      protocolVersion,
    });
    // The listing failed: the annotations are unknown, and the policy fails closed on that.
    if (listed?.listingFailure !== undefined) {
      call = { ...call, listingFailure: listed.listingFailure };
    }
    const progressToken = readProgressToken(message.params);
    // A stateless retry carrying the answer to thoth's own question is that
    // call, not a new one: the enforcer is told before it decides (and counts).
    let retry: ReturnType<NonNullable<Approver["recogniseRetry"]>>;
    try {
      retry = call.era === "stateless"
        ? this.#opts.approver?.recogniseRetry?.(call, message.params)
        : undefined;
    } catch {
      retry = undefined;
    }
    if (retry instanceof Promise) {
      const held: Held = { id: message.id, tool: params.name, cancelled: false };
      this.#held.set(key, held);
      return retry.catch(() => undefined).then((mark) =>
        held.cancelled
          ? false
          : this.#decide(markApprovalRetry(call, mark), message, key, held, progressToken)
      );
    }
    return this.#decide(markApprovalRetry(call, retry), message, key, undefined, progressToken);
  }

  /** Asks the enforcer about `call`, then settles it (holding it while the verdict is pending). */
  #decide(
    call: ToolCall,
    message: RequestMessage,
    key: string,
    held: Held | undefined,
    progressToken: string | number | undefined,
  ): Forward {
    let verdict: Verdict | Promise<Verdict>;
    try {
      verdict = this.#opts.enforcer.decide(call, this.#opts.newDecisionId);
    } catch (error) {
      verdict = this.#enforcerFailed(error);
    }
    if (verdict instanceof Promise) {
      const waiting: Held = held ?? { id: message.id, tool: call.tool, cancelled: false };
      this.#held.set(key, waiting);
      const id = message.id;
      const bounded = this.#bounded(
        verdict,
        (late) => this.#lateVerdict(call, late, id, waiting),
      );
      return bounded.then(
        (v) => v === EXPIRED ? this.#decisionTimedOut(call, id, waiting) : v,
        (error) => this.#enforcerFailed(error),
      ).then((v) => this.#settle(call, v, message, key, waiting, progressToken));
    }
    return this.#settle(call, verdict, message, key, held, progressToken);
  }

  /**
   * A decision the enforcer gives later, bounded by the session's deadline
   * (see `decision_deadlines.ts`) and counted as held (`holding`) until it
   * came or the deadline passed.
   */
  #bounded(
    verdict: Promise<Verdict>,
    late?: (verdict: Verdict) => void,
  ): Promise<Verdict | typeof EXPIRED> {
    const bounded = this.#deadlines.bound(verdict, late);
    this.#opts.holding?.(bounded);
    return bounded;
  }

  /**
   * The decision on the client's call `id` did not come in time: it is
   * blocked (fail closed) and said once on stderr; the verdict is then
   * settled, told (`decision`) and answered as any BLOCK's. Nothing is said
   * of a call the client cancelled meanwhile.
   */
  #decisionTimedOut(call: ToolCall, id: JsonRpcId, held: Held): Verdict {
    const ms = this.#deadlines.ms;
    const verdict = decisionTimedOutVerdict(this.#opts.newDecisionId(), ms);
    if (held.cancelled) return verdict;
    this.#ports.note(decisionTimeoutNote(
      `tools/call ${shownText(id)} (tool ${shownText(call.tool)})`,
      verdict.decisionId,
      ms,
    ));
    return verdict;
  }

  /**
   * The enforcer's decision on the call `id` came after its deadline, when
   * the call had been blocked: it is not used. Its own record (the audit
   * wrapper writes one as it decides) may say the call was forwarded or put
   * to a person, so it is told as late (`lateDecision`), which the audit
   * records as that decision's cancellation, by its decision id: the client
   * may use `id` for another request by now, whose records must not be
   * touched. A BLOCK's record is true as it stands.
   */
  #lateVerdict(call: ToolCall, verdict: Verdict, id: JsonRpcId, held: Held): void {
    // A call that ended first (the client cancelled it) was not blocked at the deadline.
    const reason = held.cancelled ? ENDED_FIRST : lateDecisionReason(this.#deadlines.ms);
    this.#toldLate(call, verdict, id, reason);
  }

  /**
   * Tells of a decision that came too late to be used: after its deadline,
   * or once its call had ended (see `RelayEvents.lateDecision`).
   */
  #toldLate(call: ToolCall, verdict: Verdict, id: JsonRpcId, reason: string): void {
    if (verdict.decision === "block") return;
    try {
      this.#opts.events?.lateDecision?.(call, verdict, id, reason);
    } catch (error) {
      this.#ports.note(`cannot record a decision that came too late: ${errorMessage(error)}`);
    }
  }

  /**
   * The enforcer for the tools a model chose in the answer `id` carries: its
   * later decisions are bounded too, and one that comes after its deadline
   * (the answer was refused by then) is told as late.
   */
  #gateEnforcer(id: JsonRpcId): Enforcer {
    const inner = this.#opts.enforcer;
    return {
      ...(inner.name === undefined ? {} : { name: inner.name }),
      decide: (call, newDecisionId) => {
        const verdict = inner.decide(call, newDecisionId);
        if (!(verdict instanceof Promise)) return verdict;
        const late = (v: Verdict) =>
          this.#toldLate(call, v, id, lateToolUseReason(this.#deadlines.ms));
        return this.#bounded(verdict, late).then((v) => {
          if (v !== EXPIRED) return v;
          const ms = this.#deadlines.ms;
          const timedOut = decisionTimedOutVerdict(newDecisionId(), ms);
          this.#ports.note(decisionTimeoutNote(
            `tool ${shownText(call.tool)} chosen in an answer to the server's sampling request`,
            timedOut.decisionId,
            ms,
          ));
          return timedOut;
        });
      },
    };
  }

  #enforcerFailed(error: unknown): Verdict {
    this.#ports.note(enforcerFailedNote(error));
    return enforcerFailedVerdict(this.#opts.newDecisionId());
  }

  #settle(
    call: ToolCall,
    verdict: Verdict,
    message: RequestMessage,
    key: string,
    held: Held | undefined,
    progressToken: string | number | undefined,
  ): Forward {
    const id = message.id;
    if (held?.cancelled) {
      // Its record (the audit wrapper's, written as it decided) may say "forwarded".
      this.#toldLate(call, verdict, id, ENDED_FIRST);
      return false;
    }
    // A token the client uses again names a new call: none of thoth's earlier progress counts.
    if (progressToken !== undefined) this.#progressSent.delete(idKey(progressToken));
    this.#opts.events?.decision?.(call, verdict, id);
    const task = isTaskAugmented(message.params);
    if (verdict.decision === "allow") {
      return this.#release(
        { call, decisionId: verdict.decisionId, id, key, held, progressToken: undefined, task },
        message.params,
      );
    }
    const facts: CallRefusal = {
      server: call.server,
      tool: call.tool,
      ruleIds: verdict.ruleIds,
      reasons: verdict.reasons,
      decisionId: verdict.decisionId,
      task,
    };
    const approver = this.#opts.approver;
    if (verdict.decision === "block") {
      const text = isDecisionTimeout(verdict)
        ? decisionTimeoutText(facts, this.#deadlines.ms)
        : blockedText(facts);
      const blocked = refusedCallAnswer(id, text, facts.task);
      if (call.era === "stateless" && approver?.stateless && carriesRequestState(message.params)) {
        return this.#discardAnswer(approver, call, verdict, message, key, held, blocked);
      }
      return this.#answerCall(key, held, id, blocked);
    }
    if (approver === undefined) {
      return this.#answerCall(
        key,
        held,
        id,
        refusedCallAnswer(
          id,
          notApprovedText(facts, "no approval channel is available here"),
          facts.task,
        ),
      );
    }
    const waiting: Held = held ?? { id, tool: call.tool, cancelled: false };
    const abort = new AbortController();
    waiting.abort = abort;
    if (progressToken !== undefined) waiting.progressKey = idKey(progressToken);
    this.#held.set(key, waiting);
    const request: ApprovalRequest = {
      call,
      verdict,
      requestId: id,
      progressToken,
      signal: abort.signal,
      client: this.#channel(),
      stage: (stage) => this.#approvalStage(key, waiting, stage),
    };
    // Decided after the client closed its input: no one may be asked for a client that has
    // left. The approver hears the call with its signal aborted: a grant from earlier in the
    // session, or an answer the call already carries (a stateless retry), still decides it;
    // anything that would ask a person is not approved, and recorded as cancelled.
    if (this.#clientInputClosed) abort.abort(this.#clientLeftReason());
    if (call.era === "stateless" && approver.stateless !== undefined) {
      return this.#statelessApproval(approver, request, message, key, waiting, facts);
    }
    return this.#heldApproval(approver, request, key, waiting, facts, message.params);
  }

  /**
   * A stateless retry the enforcer blocked may carry a person's answer to
   * thoth's question: the approver records it (as not used) before the
   * block is answered, so no answer goes unrecorded.
   */
  #discardAnswer(
    approver: Approver,
    call: ToolCall,
    verdict: Verdict,
    message: RequestMessage,
    key: string,
    held: Held | undefined,
    blocked: Uint8Array,
  ): Forward {
    const id = message.id;
    const waiting: Held = held ?? { id, tool: call.tool, cancelled: false };
    this.#held.set(key, waiting);
    const request: ApprovalRequest = {
      call,
      verdict,
      requestId: id,
      progressToken: undefined,
      signal: new AbortController().signal,
      client: this.#channel(),
      discarded: `thoth blocked the call that carried it (${
        verdict.ruleIds.length > 0 ? `rule ${verdict.ruleIds.join(", ")}` : "policy"
      })`,
    };
    let step: Promise<unknown>;
    try {
      step = approver.stateless!(request, message.params);
    } catch (error) {
      step = Promise.reject(error);
    }
    return step.then(
      () => {},
      (error) =>
        this.#ports.note(
          `cannot record the answer a blocked retry carried: ${errorMessage(error)}`,
        ),
    ).then(() => waiting.cancelled ? false : this.#answerCall(key, waiting, id, blocked));
  }

  /** The stateless era: answer with `input_required`, or settle the client's retry. */
  #statelessApproval(
    approver: Approver,
    request: ApprovalRequest,
    message: RequestMessage,
    key: string,
    waiting: Held,
    facts: CallRefusal,
  ): Forward {
    const id = message.id;
    let step: Promise<StatelessApprovalStep>;
    waiting.stepping = true;
    try {
      step = approver.stateless!(request, message.params);
    } catch (error) {
      step = Promise.reject(error);
    }
    return step.then((next): Forward => {
      waiting.stepping = false;
      if (waiting.cancelled) {
        // Cancelled by the client meanwhile: a person's answer the step spent is still recorded.
        if (next.kind === "decided") {
          this.#opts.events?.approval?.(request.call, request.verdict, next.outcome);
        }
        return false;
      }
      // The client closed its input while the step was decided: nobody may be asked now.
      if (this.#clientInputClosed && !request.signal.aborted) {
        waiting.abort?.abort(this.#clientLeftReason());
      }
      // A question for a client that has closed its input could never be answered: the
      // approver decides without it (a grant still counts; else not approved, recorded).
      const asksGoneClient = next.kind === "input_required" && request.signal.aborted;
      if (next.kind === "hold" || next.kind === "none" || asksGoneClient) {
        return this.#heldApproval(approver, request, key, waiting, facts, message.params);
      }
      if (next.kind === "input_required") {
        return this.#answerCall(
          key,
          waiting,
          id,
          encodeLine({ jsonrpc: "2.0", id, result: next.result }),
        );
      }
      this.#opts.events?.approval?.(request.call, request.verdict, next.outcome);
      if (!next.outcome.approved) {
        return this.#answerCall(
          key,
          waiting,
          id,
          refusedCallAnswer(id, notApprovedText(facts, next.outcome), facts.task),
        );
      }
      const task = isTaskAugmented(next.forwardParams ?? message.params);
      const forwardParams = next.forwardParams;
      const released = this.#release({
        call: request.call,
        decisionId: request.verdict.decisionId,
        id,
        key,
        held: waiting,
        progressToken: request.progressToken,
        task,
      }, forwardParams ?? message.params);
      const send = (ok: boolean): boolean => {
        if (!ok || forwardParams === undefined) return ok;
        // The retry without thoth's own fields: the server never asked for them. The
        // id is the client's as written (an integer past 2^53 keeps its digits).
        this.#ports.toServer(encodeLine({ ...message.value, id, params: forwardParams }));
        return false;
      };
      return released instanceof Promise ? released.then(send) : send(released);
    }, (error) => {
      waiting.stepping = false;
      return this.#answerCall(
        key,
        waiting,
        id,
        refusedCallAnswer(
          id,
          notApprovedText(facts, `the approval channel failed (${errorMessage(error)})`),
          facts.task,
        ),
      );
    });
  }

  /**
   * Counts a client line held on its way (a request waiting for its
   * decision) in `heldBytes`; returns what stops counting it, once it was
   * written or answered. A request's line is found by its id again when its
   * call starts waiting for a person ({@linkcode #uncountWhileAsked}).
   */
  #holdLine(message: Message, size: number): () => void {
    const budget = this.#opts.heldBytes;
    if (budget === undefined) return () => {};
    const hold: LineHold = { size, counted: true };
    budget.add(size);
    const key = message.kind === "request" ? idKey(message.id) : undefined;
    if (key !== undefined) this.#lineHolds.set(key, hold);
    return () => {
      if (key !== undefined && this.#lineHolds.get(key) === hold) this.#lineHolds.delete(key);
      if (!hold.counted) return;
      hold.counted = false;
      budget.remove(size);
    };
  }

  /**
   * A call that waits for a person no longer counts against the bytes held
   * for the server: a person, not the pipe, paces those calls, and the
   * client's input must be read meanwhile (its answer to an approval form,
   * a cancellation of the call, a ping). Once approved, its line counts
   * again as a write the server has not taken. It leaves the call line
   * too: the calls sent after it are written in their turn without it.
   */
  #uncountWhileAsked(key: string): void {
    // Nor do the calls sent after it wait for a person: it leaves the call line.
    if (this.#callLine.size > 0) this.#callLine.excuse(key);
    const hold = this.#lineHolds.get(key);
    if (hold === undefined || !hold.counted) return;
    hold.counted = false;
    this.#opts.heldBytes?.remove(hold.size);
  }

  /** Holds the call while a person is asked through the approver's channels. */
  #heldApproval(
    approver: Approver,
    request: ApprovalRequest,
    key: string,
    waiting: Held,
    facts: CallRefusal,
    params: unknown,
  ): Forward {
    const { call, verdict, requestId: id } = request;
    this.#uncountWhileAsked(key);
    let asked: Promise<ApprovalOutcome>;
    try {
      asked = approver(request);
    } catch (error) {
      asked = Promise.reject(error);
    }
    return asked.then(
      (outcome) => outcome,
      (error): { approved: false; why: string } => ({
        approved: false,
        why: `the approval channel failed (${
          error instanceof Error ? error.message : String(error)
        })`,
      }),
    ).then((outcome) => {
      if (waiting.cancelled) return false;
      this.#opts.events?.approval?.(call, verdict, outcome);
      if (outcome.approved) {
        return this.#release({
          call,
          decisionId: verdict.decisionId,
          id,
          key,
          held: waiting,
          progressToken: request.progressToken,
          task: facts.task,
        }, params);
      }
      return this.#answerCall(
        key,
        waiting,
        id,
        refusedCallAnswer(id, notApprovedText(facts, outcome), facts.task),
      );
    });
  }

  /** A decided call thoth answers itself: it is no longer held, and its answer goes out. */
  #answerCall(key: string, held: Held | undefined, id: JsonRpcId, answer: Uint8Array): false {
    this.#finishHeld(key, held);
    this.#forgetProgress(held?.progressKey);
    this.#opts.events?.answered?.(id);
    this.#ports.toClient(answer);
    return false;
  }

  /**
   * A call thoth lets through, with `params` as the server gets them: the
   * answers to the server's sampling requests they may carry (`inputResponses`,
   * the stateless era's round trip) choose tools the server runs once it has
   * them, so each tool a model chose there is decided first, as in a live
   * sampling answer (see `#samplingAnswer`). When one is refused, the call is
   * not forwarded: the client gets an error, and the call's decision a
   * cancellation that says why.
   */
  #release(release: Release, params: unknown): Forward {
    const { call, id, key } = release;
    const responses = sampledResponses(params);
    if (responses.length === 0) return this.#forwardCall(release);
    const { decided, refused } = this.#gateInputResponses(id, responses);
    const waiting: Held = release.held ?? { id, tool: call.tool, cancelled: false };
    this.#held.set(key, waiting);
    const apply = (found: Refused | undefined): boolean => {
      // Not sent either once the client stopped reading (see `#forwardCall`).
      const forward = found === undefined && !waiting.cancelled && !this.#clientNotReading;
      for (const chosen of decided) {
        this.#opts.events?.toolUseEnded?.(chosen.call, chosen.verdict, id, forward);
      }
      if (waiting.cancelled) return false;
      if (found === undefined) return this.#forwardCall({ ...release, held: waiting });
      const why = `thoth refused the answer to the server's sampling request this call carries ` +
        `in inputResponses: ${found.reason}`;
      this.#ports.note(
        `refused tools/call ${JSON.stringify(id)} (tool ${JSON.stringify(call.tool)}): ` +
          `the answer to the server's sampling request it carries in inputResponses: ` +
          `${found.reason}; the call was not forwarded`,
      );
      this.#opts.events?.cancelled?.(id, call.tool, why);
      return this.#answerCall(key, waiting, id, found.error);
    };
    return refused instanceof Promise ? refused.then(apply) : apply(refused);
  }

  /**
   * Forwards a call thoth lets through: it is pending on the server from now
   * on. Not once the client stopped reading thoth's output: the call would
   * run with no one to read its result, so it ends here, told as cancelled
   * (the client, which reads nothing more, is sent nothing).
   */
  #forwardCall(release: Release): boolean {
    const { call, decisionId, id, key, held, progressToken, task } = release;
    this.#finishHeld(key, held);
    if (this.#clientNotReading) {
      if (held !== undefined) held.cancelled = true;
      if (progressToken !== undefined) this.#forgetProgress(idKey(progressToken));
      this.#ports.note(
        `did not send tools/call ${shownText(id)} (tool ${shownText(call.tool)}) to the MCP ` +
          "server: the client stopped reading thoth's output while it was being decided, so " +
          // A warning printed as it was decided (progressive mode's first rung) said "forwarded".
          "it did not run: it was not forwarded after all, even if a warning said so",
      );
      this.#opts.events?.cancelled?.(id, call.tool, UNSENT_CLIENT_NOT_READING);
      return false;
    }
    const progressKey = progressToken === undefined ? undefined : idKey(progressToken);
    const own = progressKey === undefined ? undefined : this.#progressSent.get(progressKey);
    // The server's progress for this call goes on above thoth's (see `#offsetProgress`).
    if (own !== undefined) own.call = key;
    this.#pending.set(key, {
      id,
      method: "tools/call",
      tool: call.tool,
      started: this.#now(),
      ...(own !== undefined && progressKey !== undefined ? { progressKey } : {}),
      ...(task ? { task } : {}),
      decisionId,
    });
    return true;
  }

  /** The call under a token ended: the server's later progress under it is its own. */
  #forgetProgress(progressKey: string | undefined): void {
    if (progressKey !== undefined) this.#progressSent.delete(progressKey);
  }

  /** Remembers the progress thoth reported under a token (bounded: the oldest goes first). */
  #noteOwnProgress(params: unknown): void {
    if (!isPlainObject(params)) return;
    const token = params["progressToken"];
    const progress = params["progress"];
    if ((typeof token !== "string" && typeof token !== "number") || typeof progress !== "number") {
      return;
    }
    const key = idKey(token);
    this.#progressSent.delete(key);
    if (this.#progressSent.size >= MAX_PROGRESS_TOKENS) {
      this.#progressSent.delete(this.#progressSent.keys().next().value!);
    }
    this.#progressSent.set(key, { sent: progress });
  }

  #finishHeld(key: string, held: Held | undefined): void {
    if (held !== undefined && this.#held.get(key) === held) this.#held.delete(key);
  }

  /**
   * A client batch (`text`, parsed into `items`): forwarded as it came when
   * every element may go now. Otherwise some element was held, answered or
   * consumed: the rest go now, in one batch, and each held element on its
   * own once allowed, every one as the text the client wrote (its ids
   * spelled as written, its numbers digit for digit). Held `tools/call`s
   * take their places in the call line (see `call_line.ts`), and so do the
   * elements that go now when they hold an allowed call and calls sent
   * before wait there.
   */
  #clientBatch(send: () => void, items: Message[], size: number, text: string): void {
    const routes = items.map((item) => this.#routeFromClient(item));
    if (routes.every((r) => r === true)) {
      send();
      return;
    }
    const texts = itemTexts(text, items.length) ??
      items.map((item, index) => JSON.stringify(this.#reserialized(item, index)));
    // The line counts as held until its last held element was decided (and written).
    const later: Promise<unknown>[] = [];
    /** Writes `bytes` in the turn of `place` (none: at once); resolves once written or dropped. */
    const inTurn = (place: CallPlace, bytes: Uint8Array, ok: boolean) =>
      new Promise<void>((done) => {
        const write = () => this.#ports.toServer(bytes);
        this.#callLine.settle(place, ok ? () => sendThen(write, done) : undefined, done);
        if (!ok) done();
      });
    // Allowed calls among the elements that go now, while calls sent before wait in the line:
    // they go in their turn, in a place taken before this batch's held elements take theirs.
    const nowPlace = this.#callLine.size > 0 &&
        routes.some((route, index) => route === true && isToolCall(items[index]!))
      ? this.#callLine.join(undefined)
      : undefined;
    const now: string[] = [];
    routes.forEach((route, index) => {
      const item = items[index]!;
      if (route === true) {
        now.push(texts[index]!);
        return;
      }
      if (route === false) return;
      const place = isToolCall(item) && !this.#waitsForPerson(item)
        ? this.#callLine.join(idKey(item.id))
        : undefined;
      const bytes = encoder.encode(texts[index]! + "\n");
      later.push(route.then((ok) => {
        if (place !== undefined) return inTurn(place, bytes, ok);
        if (ok) this.#ports.toServer(bytes);
      }, (error) => {
        if (place !== undefined) this.#callLine.settle(place, undefined);
        throw error;
      }));
    });
    if (now.length > 0) {
      const bytes = encoder.encode(`[${now.join(",")}]\n`);
      if (nowPlace === undefined) this.#ports.toServer(bytes);
      else later.push(inTurn(nowPlace, bytes, true));
    }
    const counted = later.length === 0 ? undefined : this.#opts.heldBytes;
    if (counted !== undefined) {
      counted.add(size);
      void Promise.allSettled(later).then(() => counted.remove(size));
    }
  }

  /**
   * An element of a client batch as JSON would write it (long integers
   * digit for digit): only when its text cannot be found in the line, which
   * does not happen to a line that parses.
   */
  #reserialized(item: Message, index: number): unknown {
    return (item.kind === "batch" ? undefined : this.#exactOf(item.value, index)) ??
      messageValue(item);
  }

  // ── server → client ──────────────────────────────────────────────────────

  /** One complete line from the server. */
  fromServer(line: Uint8Array): void {
    if (line.length > LARGE_LINE_BYTES && this.#largeServerResponse([line], line.length)) return;
    this.#serverLine(line);
  }

  /**
   * One complete line from the server, as the chunks it arrived in: a large
   * response is forwarded chunk by chunk, never copied into one array; any
   * other line is joined and handled as by {@linkcode fromServer}.
   */
  fromServerParts(parts: readonly Uint8Array[]): void {
    const length = partsLength(parts);
    if (length > LARGE_LINE_BYTES && this.#largeServerResponse(parts, length)) return;
    this.#serverLine(joinParts(parts));
  }

  #serverLine(line: Uint8Array): void {
    const text = decodeLine(line);
    const value = text === undefined ? undefined : parseText(text);
    if (value === undefined) {
      this.#unreadServerLine(line);
      return;
    }
    const message = classifyMessage(value);
    const defect = lineDefect([line], SERVER_LINE_CHECK);
    if (defect !== undefined) {
      const items = message.kind === "batch" ? message.items : [message];
      const ids = items.flatMap((item) =>
        item.kind === "response" && item.id !== null ? [item.id] : []
      );
      this.#refuseServerLine(defect, ids);
      return;
    }
    const variant = envelopeVariant(message);
    if (variant !== undefined) {
      // A lenient client (Go's encoding/json) reads `"ID"` as `id`: the line could answer a
      // call thoth holds, or be a request thoth never saw as one. Read as such a client would.
      const read = foldedEnvelopes(message);
      this.#refuseServerLine(`the key ${JSON.stringify(variant)}`, read.answers, read.requests);
      return;
    }
    const repeated = message.kind === "batch" ? undefined : repeatedEnvelopeKey(line, text!);
    if (repeated !== undefined) {
      // Readers differ on a repeated key (the last, the first, or no message at all): the
      // request the parsed message answers gets an error, and the line goes nowhere.
      const ids = message.kind === "response" && message.id !== null ? [message.id] : [];
      const asked = message.kind === "request" ? [message.id] : [];
      this.#refuseServerLine(`the key ${JSON.stringify(repeated)} twice`, ids, asked);
      return;
    }
    const offset = this.#progressSent.size === 0 ? undefined : this.#offsetProgress(message, line);
    if (message.kind !== "batch") {
      if (this.#noteServerMessage(message, () => idTextOf(text!))) {
        this.#ports.toClient(offset ?? line);
      }
      return;
    }
    let spans: [number, number][] | undefined | null = null;
    const spelling = (index: number) => () => {
      if (spans === null) spans = arrayItemSpans(text!);
      const span = spans?.[index];
      return span === undefined ? undefined : idTextOf(text!.slice(span[0], span[1]));
    };
    const kept = message.items.map((item, index) => this.#noteServerMessage(item, spelling(index)));
    if (kept.every((keep) => keep)) {
      this.#ports.toClient(offset ?? line);
    } else if (kept.some((keep) => keep)) {
      this.#ports.toClient(keptItems(offset ?? line, message.items, kept));
    }
  }

  /**
   * The server's progress under a token thoth already reported on (while the
   * call waited for a person) must go on increasing, as MCP requires: each
   * such notification for that call, now running on the server, is sent with
   * thoth's last value plus one added to its `progress` (and `total`).
   * Returns the line with only those notifications rewritten (every other
   * element of a batch keeps its exact bytes), or undefined when the line
   * holds none and goes out as it came.
   */
  #offsetProgress(message: Message, line: Uint8Array): Uint8Array | undefined {
    const items = message.kind === "batch" ? message.items : [message];
    const offsets = items.map((item) => this.#progressOffset(item));
    if (offsets.every((offset) => offset === undefined)) return undefined;
    const text = bomKeeping.decode(line);
    const spans = message.kind === "batch" ? arrayItemSpans(text) : [valueSpan(text)];
    if (spans === undefined || spans.length !== offsets.length) return undefined;
    let out = "";
    let at = 0;
    offsets.forEach((offset, index) => {
      if (offset === undefined) return;
      const [start, end] = spans[index]!;
      const shifted = shiftedProgressText(text.slice(start, end), offset);
      if (shifted === undefined) return;
      out += text.slice(at, start) + shifted;
      at = end;
    });
    return at === 0 ? undefined : encoder.encode(out + text.slice(at));
  }

  /**
   * What to add to the progress in `item`: thoth's last value under its token
   * plus one, when it is a progress notification for the call thoth reported
   * on and the server now runs; else undefined.
   */
  #progressOffset(item: Message): number | undefined {
    if (item.kind !== "notification" || item.method !== "notifications/progress") return undefined;
    const params = item.params;
    if (!isPlainObject(params) || typeof params["progress"] !== "number") return undefined;
    const token = params["progressToken"];
    if (typeof token !== "string" && typeof token !== "number") return undefined;
    const key = idKey(token);
    const own = this.#progressSent.get(key);
    if (own?.call === undefined || this.#pending.get(own.call)?.progressKey !== key) {
      return undefined;
    }
    return own.sent + 1;
  }

  /**
   * A large server line is relayed without parsing it whole when its first and
   * last bytes show a JSON object answering a pending request that needs no
   * bookkeeping from its body (any tools/call or resource result), and whose
   * top-level keys (found by one scan that tracks nesting, see
   * `top_level_keys.ts`) are those of a result JSON-RPC allows. This keeps
   * a 20 MiB result from being decoded and parsed, and, as the chunks it
   * arrived in are forwarded one by one, from being copied. Returns false
   * to fall back to the full parse.
   */
  #largeServerResponse(parts: readonly Uint8Array[], length: number): boolean {
    const window = Math.min(OVERSIZE_WINDOW, length);
    const head = lossy.decode(firstBytes(parts, window));
    const tail = lossy.decode(lastBytes(parts, window));
    if (!/^\s*\{/.test(head) || !/\}\s*$/.test(tail)) return false;
    // A request of the server's (a large sampling request) may share an id with
    // one of the client's: it is parsed whole, never taken for an answer.
    const { id, idText: written, kind } = readFragmentsWithText(head, tail);
    if (id === undefined || kind !== "response") return false;
    const key = idKey(id);
    const pending = this.#pending.get(key);
    if (
      pending === undefined || pending.method === "tools/list" || pending.method === "initialize"
    ) {
      return false;
    }
    // Another spelling of the request's id (`2.0` for `2`): parsed whole, and dropped there.
    const wanted = idText(pending.id);
    if (wanted !== undefined && written !== wanted) return false;
    // The client's parser keeps the last of duplicate keys: an `id` anywhere else in the
    // line, even in bytes thoth does not read, could answer another call; a `method` would
    // make it a request of the server's to the client. Parsed whole then, and routed as
    // what it is (see `jsonrpc_message.ts`: a message with a method is a request). So is a
    // line that may hold `"ID"` or `"Method"`, which a client that folds key case reads so.
    const mentions = keyMentions(parts);
    if (mentions.id !== 1 || mentions.method !== 0 || mentions.variant) return false;
    // Only an answer JSON-RPC allows goes on unparsed: one `result`, no `error` (one beside
    // the result, however far from the line's ends, is refused once parsed whole) and
    // `jsonrpc` "2.0". Top-level keys only: a nested `"error": null` keeps the fast path.
    const top = topLevelKeys(parts);
    if (top === undefined || !relayableEnvelope(top)) return false;
    const defect = lineDefect(parts, SERVER_LINE_CHECK);
    if (defect !== undefined) {
      this.#refuseServerLine(defect, [id]);
      return true;
    }
    this.#pending.delete(key);
    this.#forgetProgress(pending.progressKey);
    // A task's result is the outcome of the call that created the task.
    const task = pending.method === "tasks/result" && pending.taskId !== undefined
      ? this.#tasks.take(pending.taskId)
      : undefined;
    if (pending.method === "tools/call" || task !== undefined) {
      const isError = /"isError"\s*:\s*true/.test(tail);
      this.#opts.events?.outcome?.(
        task?.id ?? pending.id,
        task?.tool ?? pending.tool ?? "",
        isError,
        this.#now() - (task?.started ?? pending.started),
        undefined,
        { parts, bytes: length - terminatorLength(parts) },
      );
    }
    for (const part of parts) this.#ports.toClient(part);
    return true;
  }

  /**
   * A server line the client might read as other messages than thoth did
   * (see `line_defect.ts`): dropped, and each request it answered gets an
   * error instead, so that nothing waits for it and the evidence holds what
   * the client was given.
   */
  #refuseServerLine(
    defect: string,
    ids: readonly JsonRpcId[],
    serverRequests: readonly JsonRpcId[] = [],
  ): void {
    this.#droppedFromServer++;
    for (const id of serverRequests) {
      this.#ports.toServer(
        errorResponse(
          id,
          RPC_INVALID_REQUEST,
          `Invalid Request: thoth did not relay this request to the client: the line had ${defect}`,
        ),
      );
    }
    let answered = 0;
    for (const id of ids) {
      const key = idKey(id);
      const pending = this.#pending.get(key);
      if (pending === undefined) continue;
      this.#pending.delete(key);
      this.#toolsListCalls.delete(key);
      this.#failPending(
        pending,
        `thoth could not relay the server's response: the line had ${defect}`,
      );
      answered++;
    }
    this.#ports.note(
      `dropped a line from the server with ${defect}; the client might read it as other ` +
        "messages than thoth did" +
        (answered > 0 ? ` (answered ${answered} request(s) with an error)` : "") +
        (serverRequests.length > 0
          ? ` (answered ${serverRequests.length} of the server's request(s) with an error)`
          : ""),
    );
  }

  /** A server line over the cap: whoever waits for it, if found, gets an error. */
  fromServerOversize(info: OversizeLine): void {
    this.#droppedFromServer++;
    const facts = fragmentsOfOversize(info);
    this.#serverLineLost(
      facts.kind === "unknown" ? { ...facts, kind: "response" } : facts,
      `dropped a ${info.size}-byte message from the server: over the ${this.#capText()} line cap`,
      "; raise it with --max-line-bytes",
      `The server's response (${info.size} bytes) is over thoth's line cap of ${this.#capText()}`,
      `Request too large: ${info.size} bytes is over thoth's line cap of ${this.#capText()}`,
      false,
    );
  }

  /** A server line that is not JSON (or not UTF-8): dropped; whoever waits for it gets an error. */
  #unreadServerLine(line: Uint8Array): void {
    this.#droppedFromServer++;
    this.#serverLineLost(
      fragmentsOf([line]),
      `dropped a line from the server that is not JSON (${line.length} bytes)`,
      "; the server may be printing logs to stdout instead of stderr",
      "thoth could not read the server's response as JSON (or UTF-8), so it was not relayed",
      "Parse error: thoth could not read the request as JSON, so it was not forwarded",
      !showsMessageKeys(line),
    );
  }

  /**
   * A server line dropped unread. When its first and last bytes show the id
   * of a request the client waits on, that request gets an error (and its
   * outcome is recorded); when they show a request of the server's, the
   * server gets the error, so neither side waits for what never comes.
   * `throttled`: whether its note may be one of those only counted (see
   * `#noteLostLine`): never for a line over the cap, nor one whose bytes
   * show an `id` or `method` key (a cut batch of answers, a message cut
   * short), which the client's log must show.
   */
  #serverLineLost(
    facts: FragmentFacts,
    note: string,
    hint: string,
    toClient: string,
    toServer: string,
    throttled: boolean,
  ): void {
    // A line of unknown kind answers nothing: a log line that quotes a message
    // must not fail the call it names.
    const { id, kind } = facts;
    if (id !== undefined && kind === "request") {
      this.#ports.note(
        `${note} (a request of the server's, id ${
          JSON.stringify(id)
        }: answered with an error)${hint}`,
      );
      this.#ports.toServer(errorResponse(id, RPC_INVALID_PARAMS, toServer));
      return;
    }
    const key = id === undefined || kind !== "response" ? undefined : idKey(id);
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (pending === undefined || key === undefined) {
      if (throttled) this.#noteLostLine(note + hint);
      else this.#ports.note(note + hint);
      return;
    }
    this.#ports.note(
      `${note} (answered request ${JSON.stringify(pending.id)} with an error)${hint}`,
    );
    this.#pending.delete(key);
    this.#toolsListCalls.delete(key);
    this.#failPending(pending, toClient);
  }

  /**
   * Notes a server line dropped that answered nothing and shows no message's
   * keys (a log line). A server that logs to stdout would fill the client's
   * log with one note per line: the first
   * {@linkcode LOST_LINES_NOTED} are noted as they come, later ones only
   * counted, with a running count at 100, 1,000, 10,000 and so on.
   */
  #noteLostLine(text: string): void {
    const count = ++this.#lostLines;
    if (count <= LOST_LINES_NOTED) {
      this.#ports.note(
        count < LOST_LINES_NOTED ? text : `${text}; further such lines are counted, not noted`,
      );
      return;
    }
    if (count >= 100 && Number.isInteger(Math.log10(count))) {
      this.#ports.note(
        `dropped ${count} lines from the server that are not JSON and show no message's ` +
          "id or method so far; the server may be printing logs to stdout",
      );
    }
  }

  /**
   * Answers a request the server's answer will not reach with an error; a
   * tool call's outcome is recorded as an error too (what the client was told).
   */
  #failPending(pending: Pending, message: string): void {
    this.#forgetProgress(pending.progressKey);
    // The client's initialize will not be answered: the calls waiting for it go on.
    if (pending.method === "initialize") this.#handshake.end();
    if (pending.method === "tools/call") {
      this.#opts.events?.outcome?.(
        pending.id,
        pending.tool ?? "",
        true,
        this.#now() - pending.started,
      );
    }
    this.#ports.toClient(errorResponse(pending.id, RPC_SERVER_ERROR, message));
  }

  /**
   * Books one message from the server; false when it must not reach the
   * client: an answer to no request the client forwarded to the server, or
   * to one under another spelling of its id. `spelling`: the text of the
   * message's id as the server wrote it (read only for an answer with a
   * numeric id).
   */
  #noteServerMessage(message: Message, spelling: () => string | undefined): boolean {
    if (message.kind === "request" && this.#ownId(message.id)) {
      this.#refuseOwnIdRequest(message);
      return false;
    }
    if (message.kind === "notification") {
      const named = this.#namedOwn(message.params);
      if (named !== undefined) {
        this.#ports.note(
          `dropped the server's ${shownText(message.method)} notification: its ${named}; ` +
            "the server cannot speak for thoth's requests or for calls it was never sent",
        );
        return false;
      }
    }
    if (message.kind === "request") {
      const requests = this.#serverRequests;
      const key = idKey(message.id);
      requests.delete(key);
      if (requests.size >= MAX_SERVER_REQUESTS) requests.delete(requests.keys().next().value!);
      requests.set(key, serverRequest(message));
    }
    if (message.kind === "request" && message.method === "roots/list") {
      // Where the server may resolve relative paths from now on (see path_bases.ts).
      if (this.#rootsRequests.length >= MAX_ROOTS_REQUESTS) this.#rootsRequests.shift();
      this.#rootsRequests.push(message.id);
      return true;
    }
    if (message.kind === "other") return this.#serverOther(message);
    if (message.kind !== "response") return true;
    if (message.id === null) {
      return message.defect === undefined || this.#malformedServerAnswer(message, undefined);
    }
    const key = idKey(message.id);
    const own = this.#ownServerRequests.get(key);
    if (own !== undefined) {
      this.#ownServerRequests.delete(key);
      own(message);
      return false;
    }
    const pending = this.#pending.get(key);
    if (pending === undefined) {
      return message.defect === undefined
        ? this.#unmatchedAnswer(message, message.id, key, spelling)
        : this.#malformedServerAnswer(message, undefined);
    }
    const wanted = idText(pending.id);
    if (wanted !== undefined) {
      const written = spelling();
      if (written !== wanted) return this.#misspelledAnswer(key, pending, written, wanted);
    }
    this.#pending.delete(key);
    if (message.defect !== undefined) {
      this.#toolsListCalls.delete(key);
      return this.#malformedServerAnswer(message, pending);
    }
    this.#forgetProgress(pending.progressKey);
    const result = message.value["result"];
    switch (pending.method) {
      case "initialize":
        this.#negotiatedVersion = protocolVersionOf(result) ?? this.#negotiatedVersion;
        if (!message.isError) this.#initializeAnswered = true;
        this.#handshake.end();
        this.#opts.events?.initialized?.({
          client: this.#clientHello?.client,
          requestedVersion: this.#clientHello?.requestedVersion,
          server: message.isError ? undefined : peerInfoOf(result, "serverInfo"),
          protocolVersion: message.isError ? undefined : protocolVersionOf(result),
          isError: message.isError,
        });
        break;
      case "tools/list": {
        const next = this.#toolsListCalls.get(key) ?? false;
        this.#toolsListCalls.delete(key);
        if (message.isError) break;
        const listed = readToolsListResult(result);
        if (next && this.#toolsListSeen) {
          for (const [name, annotations] of listed) this.#tools.set(name, annotations);
        } else {
          this.#tools = listed;
        }
        this.#toolsListSeen = true;
        this.#toolsListPartial = namesNextPage(result);
        const definitions = result !== null && typeof result === "object"
          ? (result as { tools?: unknown }).tools
          : undefined;
        this.#opts.events?.toolsListed?.(
          this.#tools,
          Array.isArray(definitions) ? definitions : [],
        );
        break;
      }
      case "tools/call": {
        // Only a call that asked for a task may create one: any other answer is its outcome.
        const taskId = message.isError || pending.task !== true ? undefined : createdTaskId(result);
        if (taskId !== undefined) {
          // A task was created: the call's outcome is the task's result, when it comes.
          const displaced = this.#tasks.created(taskId, {
            id: pending.id,
            key,
            tool: pending.tool ?? "",
            started: pending.started,
          });
          if (displaced !== undefined) {
            this.#opts.events?.cancelled?.(
              displaced.call.id,
              displaced.call.tool,
              displaced.why === "replaced"
                ? `replaced: the server created task ${
                  JSON.stringify(taskId)
                } again for another call, so this call's outcome cannot be told apart`
                : "thoth stopped waiting for the task's result: too many task-augmented calls wait",
            );
          }
          break;
        }
        const isError = message.isError ||
          (result !== null && typeof result === "object" &&
            (result as Record<string, unknown>)["isError"] === true);
        this.#opts.events?.outcome?.(
          pending.id,
          pending.tool ?? "",
          isError,
          this.#now() - pending.started,
          message.isError ? message.value["error"] : result,
        );
        break;
      }
      case "tasks/result":
      case "tasks/get": {
        if (pending.taskId === undefined) break;
        // A task that failed or was cancelled has no result to fetch: that is its outcome.
        const ended = pending.method === "tasks/result" || message.isError ||
          endedWithoutResult(result);
        const task = ended ? this.#tasks.take(pending.taskId) : undefined;
        if (task === undefined) break;
        const isError = pending.method === "tasks/get" || message.isError ||
          (isPlainObject(result) && result["isError"] === true);
        this.#opts.events?.outcome?.(
          task.id,
          task.tool,
          isError,
          this.#now() - task.started,
          message.isError ? message.value["error"] : result,
        );
        break;
      }
    }
    return true;
  }

  /**
   * A request of the server's under thoth's own ids (or one that would pass
   * for them): the client's answer to it would be taken for the answer to
   * thoth's own request (an approval form), so it never reaches the client.
   * The server is told, with an error, and nothing of it is remembered.
   */
  #refuseOwnIdRequest(message: RequestMessage): void {
    this.#ports.note(
      `refused the server's ${shownText(message.method)} request under the id ${
        shownText(message.id)
      }: ids of that form are reserved for thoth's own requests, so it was not relayed ` +
        "to the client; the server was sent an error",
    );
    this.#ports.toServer(
      errorResponse(
        message.id,
        RPC_INVALID_REQUEST,
        "Invalid Request: this id is, or reads as, one of the ids thoth keeps for its own " +
          'requests ("thoth-" and this session\'s nonce), so thoth did not relay this request ' +
          "to the client. Send it again under another id.",
      ),
    );
  }

  /**
   * What in a server notification's params names one of thoth's own requests
   * to the client or a progress token thoth reports under (a call waiting for
   * a person, which the server never saw), in words for a note; undefined when
   * nothing does. The keys a client reads a request or token from
   * (`requestId`, `progressToken`, also in `_meta`, in any case) are read.
   */
  #namedOwn(params: unknown): string | undefined {
    if (!isPlainObject(params)) return undefined;
    const meta = params["_meta"];
    const places = isPlainObject(meta) ? [params, meta] : [params];
    for (const place of places) {
      for (const [name, value] of Object.entries(place)) {
        const lower = name.toLowerCase();
        if (!lower.endsWith("requestid") && lower !== "progresstoken") continue;
        if (this.#ownId(value as JsonRpcId)) {
          return `${shownText(name)} ${shownText(value)} names a request of thoth's own`;
        }
        if (lower === "progresstoken" && this.#heldToken(value)) {
          return `progress token ${
            shownText(value)
          } is one of a call thoth holds (it waits for a person and the server never saw it)`;
        }
      }
    }
    return undefined;
  }

  /** Whether `token` is the progress token of a call thoth holds (thoth reports under it). */
  #heldToken(token: unknown): boolean {
    if (typeof token !== "string" && typeof token !== "number") return false;
    const key = idKey(token);
    const own = this.#progressSent.get(key);
    if (own !== undefined && own.call === undefined) return true;
    for (const held of this.#held.values()) if (held.progressKey === key) return true;
    return false;
  }

  /**
   * A server message that is neither a request, a notification nor a
   * response, yet has an id or a `method` that names nothing (`""`): a client
   * that reads a message without a method name as a response (Go's SDK
   * does) takes `{"id":1}` or `{"id":1,"method":""}` for the answer to its
   * call 1 and fails it, while thoth would go on waiting. Dropped; the call
   * its id names, when one waits, gets an error (recorded as its outcome).
   * Any other such message goes on as it came.
   */
  #serverOther(message: OtherMessage): boolean {
    const value = message.value;
    if (!isPlainObject(value) || namesMethod(value)) return true;
    if (!("id" in value) && !("method" in value)) return true;
    const id = value["id"];
    const answer = neitherAnswer(isId(id) ? id : null, value);
    if (answer.id === null) return this.#malformedServerAnswer(answer, undefined);
    const key = idKey(answer.id);
    const own = this.#ownServerRequests.get(key);
    if (own !== undefined) {
      this.#ownServerRequests.delete(key);
      own({ missing: "the server's answer to it had neither a result nor an error" });
      return false;
    }
    const pending = this.#pending.get(key);
    if (pending === undefined) return this.#malformedServerAnswer(answer, undefined);
    this.#pending.delete(key);
    this.#toolsListCalls.delete(key);
    return this.#malformedServerAnswer(answer, pending);
  }

  /**
   * A server answer JSON-RPC does not allow (`message.defect`: both `result`
   * and `error`, neither, a `method` beside them, no id or one that is not a
   * string or a number, an `error` that is not an object, no `jsonrpc`
   * `"2.0"`): clients
   * read such a message differently (the SDKs take `{"result":…,"error":null}`
   * for a result, which thoth would book as an error), so it never reaches
   * the client. The request it answers (`pending`, when one waits) is
   * answered with an error instead, and a tool call's outcome is recorded as
   * that error: what the client was told. Returns false (dropped).
   */
  #malformedServerAnswer(message: ResponseMessage, pending: Pending | undefined): false {
    const what = `it is not a response JSON-RPC allows: ${message.defect}`;
    const shown = message.id === null ? "" : ` with id ${JSON.stringify(message.id)}`;
    if (pending === undefined) {
      this.#ports.note(
        `dropped a response from the server${shown}: ${what}; a client might read it as the ` +
          "answer to one of its requests",
      );
      return false;
    }
    this.#ports.note(
      `refused the server's answer to request ${JSON.stringify(pending.id)}: ${what}; ` +
        "the client was sent an error instead",
    );
    this.#failPending(
      pending,
      `thoth refused the server's answer: ${what} (clients read such an answer differently)`,
    );
    return false;
  }

  /**
   * A server answer under an id no forwarded request waits for: a late answer
   * to a request the client cancelled goes on (the client ignores it), and a
   * tool call's is recorded as its decision's outcome; any other is dropped
   * and noted. The server cannot answer a call thoth holds or answered itself
   * (it never saw it), nor under another spelling of an id (`"2"` for `2`,
   * which the SDK takes for `2`): thoth's answer is the only one. Nor does a
   * late answer reach the client while a request it would take it for
   * waits (`"2"` cancelled long ago, `2` in flight).
   */
  #unmatchedAnswer(
    message: ResponseMessage,
    id: JsonRpcId,
    key: string,
    spelling: () => string | undefined,
  ): boolean {
    const late = this.#cancelled.answered(key, typeof id === "string" ? undefined : spelling);
    if (late?.answeredByThoth) {
      this.#ports.note(
        `dropped the server's response with id ${JSON.stringify(id)}: thoth had already ` +
          "answered that request with an error, when the server first answered it under " +
          "another spelling of its id",
      );
      return false;
    }
    if (late !== undefined) {
      const call = late.call;
      if (call !== undefined) {
        const result = message.value[message.isError ? "error" : "result"];
        this.#opts.events?.lateOutcome?.(
          call.id,
          call.decisionId,
          call.tool,
          message.isError || (isPlainObject(result) && result["isError"] === true),
          this.#now() - call.started,
          result,
        );
      }
      const twin = this.#looseTwin(key, true);
      if (twin === undefined) return true;
      this.#ports.note(
        `dropped the server's late answer to the cancelled request ${
          JSON.stringify(id)
        }: the client would take it for the answer to its request ${
          JSON.stringify(idOfKey(twin))
        }, which still waits`,
      );
      return false;
    }
    const held = idSpellings(id).some((spelling) => this.#held.has(spelling));
    this.#ports.note(
      held
        ? `dropped the server's response with id ${JSON.stringify(id)}: thoth has not ` +
          "forwarded that call to the server (it waits for its decision); thoth answers it itself"
        : `dropped a response from the server with id ${JSON.stringify(id)}: no request ` +
          "forwarded to the server waits for it (none was sent under that id, or it was " +
          "answered already, by thoth when it could not deliver it or at the session's end)",
    );
    return false;
  }

  /**
   * A server answer under another spelling of a forwarded request's id
   * (`2.0` for `2`, `1152921504606847000` for `1152921504606846977`): a
   * client that matches ids exactly never takes it for that request's
   * answer, so it is dropped, and the request (`pending`, under `key`) is
   * answered with an error at once, as the client would otherwise wait for
   * an answer that does not come: a server answers a request once, and
   * this one did. Its id stays in use until the server answers under the
   * client's spelling after all, or a cancelled id's time passes (see
   * `cancelled_calls.ts`): such an answer is dropped then, never taken
   * for a new request's under the same id. Returns false (dropped).
   */
  #misspelledAnswer(
    key: string,
    pending: Pending,
    written: string | undefined,
    wanted: string,
  ): false {
    this.#pending.delete(key);
    this.#toolsListCalls.delete(key);
    this.#cancelled.answeredByThoth(key, this.#now(), wanted);
    this.#ports.note(
      `dropped a response from the server with id ${written ?? "(unreadable)"}: it reads as the ` +
        `id ${wanted} of a request forwarded to the server, but is not written as the client ` +
        "wrote it, and a client that compares ids exactly would never take it for that " +
        "request's answer; the request was answered with an error instead",
    );
    this.#failPending(
      pending,
      "thoth could not relay the server's answer to this request: the server wrote the " +
        "request's id otherwise than the client did, and a client that compares ids exactly " +
        "would not take it for this answer",
    );
    return false;
  }

  // ── thoth's own requests to the server ───────────────────────────────────

  /** Whether thoth knows every page of the server's tools (the client fetched them all). */
  #toolsListed(): boolean {
    return this.#toolsListSeen && !this.#toolsListPartial;
  }

  /**
   * Lists the server's tools (every page) for calls made before the client
   * listed them, or to a tool not on the pages it fetched when it left some
   * unfetched; resolves with why it failed, or undefined. Calls that come
   * meanwhile share it; one that comes after a failure tries again. An
   * `initialize` in flight is answered first (bounded by
   * {@linkcode OWN_REQUEST_TIMEOUT_MS}); without one, thoth asks all the
   * same: a session need not begin with one (a client that never sends it,
   * the stateless era). `version`: the protocol version of a stateless-era
   * call, which its requests carry in `_meta` when the server has answered
   * no `initialize`. A listing of the client's own that arrives first wins;
   * a page that fails or does not come within
   * {@linkcode OWN_REQUEST_TIMEOUT_MS} fails the listing, and the calls
   * waiting for it are decided as calls whose annotations are unknown.
   */
  #listTools(version: string | undefined): Promise<string | undefined> {
    if (this.#ownListing !== undefined) return this.#ownListing;
    const listing = (async (): Promise<string | undefined> => {
      // Without an initialize in flight, the first page is asked for at once.
      const handshake = this.#handshake.settled(OWN_REQUEST_TIMEOUT_MS);
      if (handshake !== undefined) await handshake;
      if (this.#toolsListed()) return undefined;
      const listed = await listServerTools(
        (params) => this.#requestServer("tools/list", params),
        {
          meta: version === undefined || this.#initializeAnswered
            ? undefined
            : { [STATELESS_VERSION_META]: version },
          maxPages: MAX_OWN_LIST_PAGES,
        },
      );
      if (this.#toolsListed()) return undefined;
      if (!listed.ok) {
        this.#ports.note(
          `could not list the server's tools for a call made before the client listed them ` +
            `(${listed.why}): such a call is decided as one whose tool annotations are unknown`,
        );
        return listed.why;
      }
      this.#tools = listed.tools;
      this.#toolsListSeen = true;
      this.#toolsListPartial = false;
      this.#opts.events?.toolsListed?.(this.#tools, listed.definitions);
      return undefined;
    })().finally(() => {
      if (this.#ownListing === listing) this.#ownListing = undefined;
    });
    this.#ownListing = listing;
    return listing;
  }

  /**
   * Sends the server a request of thoth's own (its id has thoth's prefix and
   * the server-facing nonce, which tells nothing of the ids the client is
   * sent; its answer is consumed, never forwarded). Resolves
   * with the answer, or with why there is none: the server is gone, or has
   * not answered within {@linkcode OWN_REQUEST_TIMEOUT_MS}.
   */
  #requestServer(method: string, params: unknown): Promise<OwnAnswer> {
    if (this.#serverGone) return Promise.resolve({ missing: SERVER_ENDED });
    const id = `${this.#serverPrefix}server-${++this.#serverCounter}`;
    const key = idKey(id);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#ownServerRequests.delete(key);
        resolve({
          missing: `the server did not answer within ${OWN_REQUEST_TIMEOUT_MS / 1000} s`,
        });
      }, OWN_REQUEST_TIMEOUT_MS);
      this.#ownServerRequests.set(key, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.#ports.toServer(
        encodeLine({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }),
      );
    });
  }

  // ── thoth's own requests to the client ───────────────────────────────────

  #channel(): ClientChannel {
    const elicitation = () => this.#clientElicitation;
    const name = () => this.#clientName;
    const inputClosed = () => this.#clientInputClosed;
    return {
      get elicitation(): boolean {
        return elicitation();
      },
      get name(): string | undefined {
        return name();
      },
      get inputClosed(): boolean {
        return inputClosed();
      },
      request: (method, params, options) => this.requestClient(method, params, options),
      notify: (method, params) => {
        if (method === "notifications/progress") this.#noteOwnProgress(params);
        this.#ports.toClient(encodeLine({ jsonrpc: "2.0", method, params }));
      },
    };
  }

  /**
   * Sends a request of thoth's own to the client (elicitation for approval);
   * its id cannot collide with the server's, and its response is consumed.
   * When `options.signal` aborts first, the request is withdrawn: the client
   * is sent `notifications/cancelled` for it (so it can close the form), the
   * promise rejects, and an answer that still comes is consumed and handed to
   * `options.late`, never taken for the answer to anything else.
   */
  requestClient(
    method: string,
    params: unknown,
    options: OwnRequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const id = `${this.#clientPrefix}${++this.#clientCounter}`;
    const { signal, late } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (this.#clientInputClosed) {
        resolve(clientGoneAnswer(this.#clientLeftTexts().ownRequest));
        return;
      }
      const withdraw = () => {
        if (!this.#ownRequests.delete(id)) return;
        this.#withdraw(id, signal?.reason, late);
        reject(signal?.reason);
      };
      this.#ownRequests.set(id, (response) => {
        signal?.removeEventListener("abort", withdraw);
        resolve(response);
      });
      signal?.addEventListener("abort", withdraw, { once: true });
      this.#ports.toClient(encodeLine({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /**
   * Whether thoth sent the client a request under `id` this session: the
   * client-facing prefix, and a number it has used there (its requests to the
   * server have a prefix and a count of their own, and are never the
   * client's to answer). Only such an answer can be thoth's; the server can
   * ask nothing under thoth's prefixes (see `#refuseOwnIdRequest`), so an
   * answer under one is never the server's either.
   */
  #sentByThoth(id: string): boolean {
    if (!id.startsWith(this.#clientPrefix)) return false;
    const count = id.slice(this.#clientPrefix.length);
    return /^[1-9]\d{0,15}$/.test(count) && Number(count) <= this.#clientCounter;
  }

  /** Whether `id` is under one of thoth's own prefixes, or would pass for such an id. */
  #ownId(id: JsonRpcId): boolean {
    return underOwnPrefix(id, [this.#clientPrefix, this.#serverPrefix]);
  }

  /**
   * The client's answer under one of thoth's own ids: the answer to thoth's
   * request when thoth sent the client that very id and still waits; a late
   * one when it sent it earlier; else it answers nothing anyone asked (thoth
   * never sent it, and the server may not ask under thoth's ids), and is
   * dropped. Never forwarded to the server.
   */
  #ownAnswer(id: string, response: Record<string, unknown>): void {
    const own = this.#ownRequests.get(id);
    if (own !== undefined) {
      this.#ownRequests.delete(id);
      own(response);
      return;
    }
    if (this.#withdrawn.has(id) || this.#sentByThoth(id)) {
      this.#staleAnswer(id, response);
      return;
    }
    this.#ports.note(
      `dropped the client's answer under the id ${
        shownText(id)
      }: it is in thoth's own id space, and thoth sent the client no request under it`,
    );
  }

  /**
   * An answer to a request of thoth's own to the client (its id has thoth's
   * prefix and the client-facing nonce) that nothing waits for: consumed, never forwarded, and
   * told; recorded as a late answer when the request is still remembered as
   * withdrawn (older ones are forgotten, see {@linkcode MAX_WITHDRAWN}).
   */
  #staleAnswer(id: string, response: Record<string, unknown>): void {
    const known = this.#withdrawn.has(id);
    const late = this.#withdrawn.get(id);
    this.#withdrawn.delete(id);
    if (late !== undefined) {
      try {
        late(response);
      } catch (error) {
        this.#ports.note(`cannot record a late answer: ${errorMessage(error)}`);
      }
      return;
    }
    this.#ports.note(
      `the client answered thoth's request ${JSON.stringify(id)} ${
        known ? "after it was withdrawn" : "after thoth stopped waiting for it"
      }; the answer was not used`,
    );
  }

  /** Tells the client that thoth no longer waits for its request `id`; remembers the id. */
  #withdraw(
    id: string,
    reason: unknown,
    late: ((response: Record<string, unknown>) => void) | undefined,
  ): void {
    if (this.#withdrawn.size >= MAX_WITHDRAWN) {
      this.#withdrawn.delete(this.#withdrawn.keys().next().value!);
    }
    this.#withdrawn.set(id, late);
    this.#ports.toClient(encodeLine({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: id, reason: withdrawalReason(reason) },
    }));
  }

  // ── the end ──────────────────────────────────────────────────────────────

  /**
   * The server is gone: answer every request it will never answer, and every
   * held call, with an error (`reason`; a held call, which the server never
   * saw, with `heldReason` when given: thoth was stopped, say). Returns how
   * many were answered.
   */
  upstreamGone(reason: string, heldReason: string = reason): number {
    let answered = 0;
    for (const pending of this.#pending.values()) {
      this.#failPending(pending, reason);
      answered++;
    }
    for (const held of this.#held.values()) {
      held.cancelled = true;
      held.abort?.abort(withdrawnReason(heldReason));
      this.#opts.events?.cancelled?.(held.id, held.tool, SESSION_ENDED);
      this.#ports.toClient(errorResponse(held.id, RPC_SERVER_ERROR, heldReason));
      answered++;
    }
    this.#pending.clear();
    this.#held.clear();
    this.#callLine.clear();
    this.#handshake.end();
    this.#serverGone = true;
    for (const resolve of [...this.#ownServerRequests.values()]) resolve({ missing: SERVER_ENDED });
    this.#ownServerRequests.clear();
    this.#toolsListCalls.clear();
    this.#progressSent.clear();
    this.#cancelled.clear();
    this.#tasks.clear();
    for (const [id, resolve] of this.#ownRequests) {
      // Still open (a request sent without a signal): withdrawn from the client too.
      this.#withdraw(id, new Error(reason), undefined);
      resolve({ error: { code: RPC_SERVER_ERROR, message: reason } });
    }
    this.#ownRequests.clear();
    return answered;
  }

  /**
   * The client closed its input (thoth's stdin ended): calls already sent are
   * still answered on its output, but a request of thoth's own (an approval
   * form) can no longer be answered. Each one still open is withdrawn and
   * ends now with an error the approval channel reads as "reaches no one",
   * so the question moves to a channel a person can still answer, or the
   * call is denied, instead of waiting out the approval timeout.
   */
  clientInputClosed(): void {
    this.#clientLeft("input_closed");
  }

  /**
   * The client stopped reading thoth's output (a write to it failed: it
   * closed its end): it is gone as at {@linkcode clientInputClosed}, and
   * more: no call is sent to the server from now on, not even one being
   * decided now and allowed later (it would run with no one to read its
   * result); each is told as cancelled instead. Safe to call from inside a
   * write to the client: the withdrawals follow in a microtask.
   */
  clientOutputBroke(): void {
    if (this.#clientNotReading) return;
    this.#clientNotReading = true;
    queueMicrotask(() => {
      this.#withdrawUnsent();
      this.#clientLeft("output_broken");
    });
  }

  /**
   * The client went away as `how` says (the first way counts): a call waiting
   * for a person is withdrawn, as is each request of thoth's own to it.
   */
  #clientLeft(how: ClientLeaving): void {
    if (this.#clientInputClosed) return;
    this.#clientInputClosed = true;
    this.#clientLeaving = how;
    // A call waiting for a person is withdrawn: the client that asked is going away, and an
    // approval shown now (a dialog, the queue) would outlive it. Its answer still goes out.
    for (const [key, held] of [...this.#held]) this.#withdrawForClientLeft(key, held);
    const open = [...this.#ownRequests];
    this.#ownRequests.clear();
    const { ownRequest } = this.#clientLeftTexts();
    for (const [id, resolve] of open) {
      this.#withdraw(id, new Error(ownRequest), undefined);
      resolve(clientGoneAnswer(ownRequest));
    }
  }

  /**
   * The calls allowed but still waiting in the call line (behind an earlier
   * call) when the client stopped reading: never sent, told as cancelled.
   */
  #withdrawUnsent(): void {
    if (this.#callLine.size === 0) return;
    for (const [key, pending] of [...this.#pending]) {
      if (pending.method !== "tools/call" || !this.#callLine.withdraw(key)) continue;
      this.#pending.delete(key);
      this.#forgetProgress(pending.progressKey);
      this.#opts.events?.cancelled?.(pending.id, pending.tool, UNSENT_CLIENT_NOT_READING);
    }
  }

  /** The texts for the way the client went away (see `client_left_texts.ts`). */
  #clientLeftTexts(): ClientLeftTexts {
    return clientLeftTexts(this.#clientLeaving ?? "input_closed");
  }

  /** The reason a wait for a person ends when the client went away (see `abortReason`). */
  #clientLeftReason(): Error {
    return withdrawnReason(this.#clientLeftTexts().whilePerson);
  }

  /**
   * Withdraws a call waiting for a person because the client went away (see
   * {@linkcode clientInputClosed}); a call still being decided (no abort
   * yet) is left to its decision, which withdraws it if it asks a person,
   * and so is one whose approver still looks for a grant and has asked no
   * one (its signal is aborted: it asks no one now).
   */
  #withdrawForClientLeft(key: string, held: Held): void {
    if (held.abort === undefined || held.cancelled || held.stepping) return;
    if (held.looking) {
      // Nobody was asked yet: a grant in hand still decides it, and the approver, seeing
      // its signal aborted, asks no one (else not approved, recorded as cancelled).
      if (!held.abort.signal.aborted) held.abort.abort(this.#clientLeftReason());
      return;
    }
    if (!held.abort.signal.aborted) this.#withdrawNow(key, held);
  }

  /**
   * Where a held call's approval stands (see `ApprovalStage`): a call whose
   * approver starts asking a person once the client has left (one that did
   * not heed its aborted signal) is withdrawn then.
   */
  #approvalStage(key: string, held: Held, stage: ApprovalStage): void {
    held.looking = stage === "looking";
    if (held.looking || !this.#clientInputClosed) return;
    if (held.cancelled || held.stepping || this.#held.get(key) !== held) return;
    this.#withdrawNow(key, held);
  }

  /** Answers a held call as withdrawn because the client went away, and tells its approver. */
  #withdrawNow(key: string, held: Held): void {
    const why = this.#clientLeftTexts().whilePerson;
    held.cancelled = true;
    held.abort?.abort(withdrawnReason(why));
    this.#held.delete(key);
    this.#forgetProgress(held.progressKey);
    this.#opts.events?.cancelled?.(held.id, held.tool, why);
    this.#ports.toClient(
      errorResponse(held.id, RPC_SERVER_ERROR, `thoth did not run this call: ${why}`),
    );
  }

  #capText(): string {
    const cap = this.#opts.maxLineBytes;
    return cap === undefined ? "configured" : formatBytes(cap);
  }
}

/** What an error says: its message, or the thrown value as text. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes with `send`, then lets go with `release` (even when the write throws). */
function sendThen(send: () => void, release: () => void): void {
  try {
    send();
  } finally {
    release();
  }
}

/** What reading the client's answer to the server's request `message` needs of it. */
function serverRequest(message: RequestMessage): ServerRequest {
  const asked: ServerRequest = { method: message.method, task: isTaskAugmented(message.params) };
  if (message.method === "tasks/result" || message.method === "tasks/get") {
    const taskId = requestedTaskId(message.params);
    if (taskId !== undefined) asked.taskId = taskId;
  } else if (message.method === "sampling/createMessage" && isPlainObject(message.params)) {
    const tools = message.params["tools"];
    if (Array.isArray(tools)) asked.offered = readToolsListResult({ tools });
  }
  return asked;
}
