/**
 * The audit events of a session's traffic: its start and end, the
 * handshake, the tools a server offered, the decision on each tool call, its
 * approval and its outcome, cancellations and the client's other requests.
 * The union of every event the relay appends is `AuditEvent` (`record.ts`).
 * Pure data.
 *
 * @example
 * ```ts
 * const end: SessionEndEvent = { type: "session_end", session: "s-1", exitCode: 0, signal: null };
 * ```
 */
import type { RedactedValue } from "./redacted_value.ts";
import type { DroppedCount } from "./recovery_events.ts";

/** A relay session started. */
export interface SessionStartEvent {
  type: "session_start";
  session: string;
  server: string;
  /** SHA-256 (hex) of the canonical JSON of `[command, ...args]`. */
  commandDigest: string;
  /** Names of the environment variables passed to the server; never values. */
  envKeys: string[];
  mode?: string;
  protocolEra?: string;
  thothVersion?: string;
  pid?: number;
  /** `THOTH_USER_ID`: whose session this is. Absent when unset (and in older records). */
  userId?: string;
  /**
   * The OS account thoth ran as: the name the password file gives its uid
   * ({@linkcode SessionStartEvent.osUid}), as approvers are named; never taken
   * from `USER`. Absent when the password file does not name the uid (and in
   * records of earlier releases).
   */
  osUser?: string;
  /**
   * The uid thoth ran as. Absent where there is none (Windows), and in
   * records of earlier releases.
   */
  osUid?: number;
  /** The tenant (`--tenant-id`, else `THOTH_TENANT_ID`). Absent when unset. */
  tenantId?: string;
  /** The endpoint id, as `thoth doctor` and `thoth health` report it (see `endpoint_identity.ts`). */
  endpointId?: string;
  /** Where {@linkcode SessionStartEvent.endpointId} came from. */
  endpointIdSource?: "managed_device_id" | "os_machine_id" | "hostname";
  /** `THOTH_ENV`, when set. */
  environment?: string;
}

/**
 * Who and where a session runs, as its `session_start` record carries it:
 * resolved outside the sandbox and handed to the core as data. Each field is
 * absent when unknown.
 */
export type SessionIdentity = Pick<
  SessionStartEvent,
  "userId" | "osUser" | "osUid" | "tenantId" | "endpointId" | "endpointIdSource" | "environment"
>;

/**
 * The server answered the client's `initialize`: the names and versions each
 * side gave (`clientInfo`, `serverInfo`, as written, cut to 256 characters)
 * and the protocol version asked for and answered. Written once per
 * `initialize` answer; absent in sessions that never initialized (the
 * stateless protocol era) and in records of earlier releases.
 */
export interface HandshakeEvent {
  type: "handshake";
  session: string;
  server: string;
  clientName?: string;
  clientVersion?: string;
  /** The `protocolVersion` of the client's `initialize`. */
  requestedVersion?: string;
  serverName?: string;
  serverVersion?: string;
  /** The `protocolVersion` the server answered with. */
  protocolVersion?: string;
  /** The server answered `initialize` with an error. */
  isError?: true;
}

/**
 * The tools a server offered, one digest per tool definition: written for a
 * `tools/list` answer whose tools differ from those the session recorded
 * last (earlier releases wrote one for every answer). See
 * `tools_listing_digest.ts` for the root and the bounds.
 */
export interface ToolsSnapshotEvent {
  type: "tools_snapshot";
  session: string;
  server: string;
  /** The listed tools' names and digests (only the first ones when `partial`). */
  tools: { name: string; digest: string }[];
  /** Tools whose definitions could not be digested (nested too deep), when any. */
  undigested?: string[];
  /**
   * RFC 6962 Merkle tree hash (hex) over all the listed tools, in order.
   * Absent in records of earlier releases.
   */
  root?: string;
  /** How many tools the answer listed. Absent in records of earlier releases. */
  count?: number;
  /**
   * The answer listed more than a record holds (10,000 tools, about 1 MiB):
   * `tools` and `undigested` name only the first; `root` and `count` cover all.
   */
  partial?: true;
}

/** The decision on one `tools/call`. */
export interface DecisionEvent {
  type: "decision";
  session: string;
  server: string;
  tool: string;
  decisionId: string;
  verdict: "allow" | "block" | "step_up";
  ruleIds: string[];
  reasons?: string[];
  mode: string;
  policyHash: string;
  intent: string | null;
  /** What the relay did: forwarded, blocked, or asked for approval; in observe mode, what it would have done. */
  effect?: "forwarded" | "blocked" | "approval_requested" | "observed";
  requestId?: string | number;
  /**
   * A tool a model chose in the client's answer to the server's sampling
   * request with this id (not a `tools/call`): the server runs it if the
   * answer is forwarded. A cancellation record follows for any not blocked,
   * saying whether the answer was forwarded or refused.
   */
  samplingRequestId?: string | number;
  args: RedactedValue;
  /**
   * When it was spooled, in epoch milliseconds: in a spool line only (see
   * `spool_stamp.ts`); the log never stores it (a late record carries
   * `decidedAt` instead).
   */
  spooledMs?: number;
}

/** The answer to a step-up approval request. */
export interface ApprovalEvent {
  type: "approval";
  session: string;
  /** The decision of the call that asked. */
  decisionId: string;
  /**
   * Stateless era: the decision of the retried call that carried the answer
   * (and, when approved, was forwarded); it needs no approval record of its own.
   */
  retryDecisionId?: string;
  channel: string;
  approver?: string;
  /** `dismissed`: the person closed the prompt without choosing (older records say `denied`). */
  outcome: "approved" | "denied" | "dismissed" | "timeout" | "cancelled" | "error";
  /** What an approval covers: this call, the session, or a session grant given earlier. */
  scope?: "once" | "session" | "grant";
  /** Milliseconds from the question to the answer. */
  latencyMs?: number;
  /**
   * Why, in the words the model was told (a person's `--reason` among them),
   * made displayable and cut to 500 characters.
   * Records written before this field existed have none.
   */
  reason?: string;
  /**
   * What the person answered, when thoth did not act on it as given: a yes
   * for other arguments, an answer that came back in an expired state, or in
   * a retry refused anyway (stateless era).
   */
  answer?: "allow_once" | "allow_session" | "deny" | "dismiss" | "unreadable";
  /**
   * How a person's answer in the local queue says it was given, as the
   * `thoth approvals` that wrote it saw itself (under the answer's MAC):
   * `via` `cli` (approve or deny) or `watch`; `terminal`, its standard input
   * and output were both a terminal; `tty`, its controlling terminal's name
   * when known; `treeChecked`, whether its governed-caller check read the
   * process tree (absent: not known); `chain`, `orphaned`, `underScript`,
   * its process's and ancestors' program names and what they show (see
   * `answer_given.ts`), when the tree was read. Absent in the records of other
   * channels, and of answers written before this field existed. A claim of
   * a process of the user, not proof of a person.
   */
  given?: {
    via: string;
    terminal: boolean;
    tty?: string;
    treeChecked?: boolean;
    chain?: string[];
    orphaned?: boolean;
    underScript?: boolean;
  };
  /** When it was spooled: in a spool line only (see {@linkcode DecisionEvent.spooledMs}). */
  spooledMs?: number;
}

/** How a forwarded call ended. */
export interface OutcomeEvent {
  type: "outcome";
  session: string;
  decisionId: string;
  isError: boolean;
  durationMs: number;
  result?: RedactedValue;
  /**
   * For a response too large to parse on the relay's path (over 256 KiB),
   * which has no `result`: the HMAC-SHA256, under the device audit key, of
   * the response line's exact bytes (its line terminator excluded), and
   * their count.
   */
  response?: { digest: string; bytes: number };
  /**
   * The server answered after the call was cancelled (its `cancellation`
   * record comes first); the client was told of the cancellation, not this.
   */
  afterCancellation?: true;
}

/**
 * A call cancelled by the client or by thoth. Also written, with
 * `countTakenBack`, once progressive mode has dealt with the count of a
 * decided call that did not run after all (the client had stopped reading
 * thoth's output): the decision's own record still reads as decided, with
 * its violation number.
 */
export interface CancellationEvent {
  type: "cancellation";
  session: string;
  decisionId?: string;
  requestId?: string | number;
  reason?: string;
  /**
   * Progressive mode counted a violation for this decision's call, which did
   * not run: true when it was taken back from every rule it was counted
   * for; false when not from some (`keptRuleIds` stay counted: a rule's list
   * was full, or the counters could not be written; or the count was gone
   * from the counters already); `reason` says which and why. Absent in other
   * cancellations, and in records of earlier releases.
   */
  countTakenBack?: boolean;
  /** The rules whose violation was taken back (with `countTakenBack`). */
  takenBackRuleIds?: string[];
  /** The rules whose violation stays counted (with `countTakenBack: false`). */
  keptRuleIds?: string[];
}

/**
 * A client request that reads what the server holds outside a tool call
 * (`resources/read`, `resources/subscribe`, `prompts/get`,
 * `completion/complete`), forwarded or refused, or a request thoth refused
 * before any decision could be made on it: a `tools/call` it could not
 * inspect (params it cannot read, a line with a repeated key, an id that is
 * no JSON-RPC id, a key that differs from a protocol key only by case), or
 * a method that differs from a governed one only by case, white space or
 * characters drawn as nothing. It gates nothing: it is written after the
 * fact, never to a spool. Absent from logs of earlier releases, whose
 * `verify` reads it as any other record.
 */
export interface RequestEvent {
  type: "request";
  session: string;
  server: string;
  /** The method as the client wrote it, cut to 256 characters. */
  method: string;
  requestId?: string | number;
  /**
   * The resource a `resources/read` or `resources/subscribe` names (or a
   * `completion/complete` of a resource template's argument): its URI
   * without user info, query or fragment, cut to 512 characters.
   */
  uri?: string;
  /** The prompt a `prompts/get` names (or whose argument a `completion/complete` completes). */
  prompt?: string;
  /** The keyed digest and shape of the request's params, as a tool call's arguments are kept. */
  params?: RedactedValue;
  /**
   * A request refused before thoth could read it as one: the HMAC-SHA256,
   * under the device audit key, of the exact bytes of its line (the line
   * terminator excluded), and their count.
   */
  line?: { digest: string; bytes: number };
  /** What thoth did: forwarded the request to the server, or refused it (answered it itself). */
  effect: "forwarded" | "refused";
  /**
   * Why it was refused: `thoth.own_files` or `thoth.client_config` (its URI
   * reaches files thoth protects), `thoth.method_variant`, `thoth.invalid_request`.
   */
  ruleIds?: string[];
  reasons?: string[];
}

/** A relay session ended. */
export interface SessionEndEvent {
  type: "session_end";
  session: string;
  exitCode: number | null;
  signal: string | null;
  /**
   * On an end the session kept in its spool because the log never took its
   * last records (its log never opened, or refused them to the end): the
   * records of the session that gate nothing which the log never took and
   * the spool does not keep (its handshake, tool snapshots, outcomes,
   * cancellations), counted as a `records_dropped` record counts them, and
   * taken into the log with the end by a later session. Absent otherwise,
   * and from ends of earlier releases.
   */
  recordsDropped?: DroppedCount;
}
