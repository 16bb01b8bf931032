/**
 * The audit record types: what the relay appends (events) and what the log
 * stores (an envelope with `seq`, `ts` and `prev` around the event). Every
 * record is one JSON line; its RFC 6962 leaf hash is taken over the exact
 * stored bytes of the line without its final newline. Pure data.
 *
 * @example
 * ```ts
 * const event: AuditEvent = {
 *   type: "decision", session: "s-1", server: "fs", tool: "write_file",
 *   decisionId: "d-1", verdict: "block", ruleIds: ["fs-outside-data"], mode: "block",
 *   policyHash: "ab…", intent: null, args: redacted,
 * };
 * const line = encodeRecordLine({ v: 1, seq: 0, ts: "2026-01-01T00:00:00.000Z", prev: GENESIS_PREV }, event);
 * ```
 */

/** The `prev` of the first record: 64 zeros. */
export const GENESIS_PREV = "0".repeat(64);

/** The shape of a value: key names, types and lengths, never the value. */
export type ValueShape =
  | { t: "null" }
  | { t: "boolean" }
  | { t: "number" }
  | { t: "string"; n: number }
  | { t: "array"; n: number; items?: ValueShape[] }
  | { t: "object"; keys: Record<string, ValueShape> }
  | { t: "truncated" };

/** A value as the log keeps it: a keyed digest, its shape, and any fields the policy allows in clear. */
export interface RedactedValue {
  /** HMAC-SHA256 under the device audit key over the canonical JSON, hex. */
  digest: string;
  shape: ValueShape;
  /** Values of fields the policy named safe to log, by dotted path. */
  clear?: Record<string, unknown>;
}

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

/** A call cancelled by the client or by thoth. */
export interface CancellationEvent {
  type: "cancellation";
  session: string;
  decisionId?: string;
  requestId?: string | number;
  reason?: string;
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

/** The events the relay appends. */
/**
 * Records a killed session left in its spool, taken into the log by a later
 * session: this record, then the recovered records themselves, in order.
 */
export interface SpoolRecoveredEvent {
  type: "spool_recovered";
  /** The session that took them in. */
  session: string;
  /** The spool file's name. */
  file: string;
  /** The records taken in from it (they follow this record). */
  count: number;
  /**
   * Records of the file left out: the log held them already (their batch was
   * written before the kill), or another file taken in held them too. Absent
   * when none was (and in records written before this field existed).
   */
  skipped?: number;
  /**
   * When the spool file was opened (its header's time, ISO 8601): its
   * records were decided after it. Absent for a file of an earlier release
   * (no header), and in records written before this field existed.
   */
  openedAt?: string;
}

/**
 * Decisions and approvals of this session that neither its spool nor the
 * log could take while they were made (a full disk, an unwritable spool
 * folder): written once records can be written again (the spool took a
 * record again, or at the session's end), so that the log says which
 * decisions it lacks and when. In observe mode their calls were forwarded,
 * and their `outcome` records name decisions the log does not hold.
 * Absent from logs of earlier releases, whose `verify` reads it as any
 * other record.
 */
export interface DecisionsLostEvent {
  type: "decisions_lost";
  session: string;
  /** How many decision and approval records were lost. */
  count: number;
  /**
   * The decision ids of the first {@linkcode DECISIONS_LOST_IDS_MAX} of them,
   * in order (an approval names the decision it answers).
   */
  decisionIds: string[];
  /** When the first and the last of them were made (ISO 8601). */
  from: string;
  until: string;
  /** Why the first of them could not be written, cut to 500 characters. */
  reason: string;
  /**
   * Set when a later session (`takenBy`) wrote it from the lost tally a
   * killed session left (see `lost_tally.ts`): the tally's file name. `count`
   * is then what the tally counts beyond the session's own `decisions_lost`
   * records; `tallied`, `types`, `decisionIds`, `from`, `until` and `reason`
   * are the tally's (all it counted, the ones told before among them).
   */
  tally?: string;
  /** How many the tally counted in all. */
  tallied?: number;
  /** How many of each record type (`decision`, `approval`) the tally counted. */
  types?: Record<string, number>;
  /**
   * Whether the tally's MAC verified under the device's audit key
   * (`failed`: thoth did not write it; `unchecked`: no key to check it
   * with; `none`: it carried none). Only `verified` is written: an earlier
   * thoth wrote any, and verify counts such a record for nothing.
   */
  tallyMac?: "verified" | "failed" | "unchecked" | "none";
  /** The session that took the tally in. */
  takenBy?: string;
}

/** The most decision ids a `decisions_lost` record names. */
export const DECISIONS_LOST_IDS_MAX = 100;

/**
 * Records of this session that gate nothing (outcomes, cancellations, tool
 * snapshots, requests, handshakes) which the session held for a log that
 * kept refusing them, and let go of past its bound (10,000 held records):
 * written once the log takes a batch again, so that the log says what it
 * lacks and when. The decisions and approvals held with them are not
 * counted: their spool files keep them for a later session. A tool
 * snapshot among them is recorded again after this record (the session's
 * current listing of each page it let go of), or at the page's next
 * listing. Absent from logs of earlier releases, whose `verify` reads it as
 * any other record.
 */
export interface RecordsDroppedEvent extends DroppedCount {
  type: "records_dropped";
  session: string;
}

/**
 * Records of a session that the log never took, counted (see
 * {@linkcode RecordsDroppedEvent}, and `SessionEndEvent.recordsDropped`).
 */
export interface DroppedCount {
  /** How many records were let go. */
  count: number;
  /** How many of each record type, by type (`unknown` for a record whose type cannot be read). */
  types: Record<string, number>;
  /**
   * The time range the records let go were made in (ISO 8601): `from` is
   * when the log last took a batch of the session before it refused them
   * (or the session's start, when it never took one), `until` when the
   * last of them was let go.
   */
  from: string;
  until: string;
}

/**
 * A spool file another session left that this one refused to take in: a
 * line whose MAC does not verify or that has none (a file of an earlier
 * release, or one thoth did not write), a record a spool never holds, a line
 * or file over the spool's bounds, or a file that cannot be read. None of its
 * records is in the log; the file is set aside in the spool folder, kept as
 * it was. `thoth audit verify` warns of each. A lost tally a session
 * refused (see `refuse_lost_tally.ts`) is told of the same way: `file`
 * `lost/<name>`, `movedTo` `lost/refused/<name>`, in the audit folder.
 */
export interface SpoolRefusedEvent {
  type: "spool_refused";
  /** The session that refused it. */
  session: string;
  /** The spool file's name. */
  file: string;
  /** The name it was set aside under in the spool folder; absent when it could not be moved. */
  movedTo?: string;
  /** How many of its lines (the header aside) are not taken in: all of them. */
  lines: number;
  /** Its size in bytes. */
  bytes: number;
  /** Why it was refused (the first problem found). */
  reason: string;
  /** SHA-256 (hex) of its bytes, when they could be read. */
  sha256?: string;
}

export type AuditEvent =
  | SpoolRecoveredEvent
  | DecisionsLostEvent
  | RecordsDroppedEvent
  | SpoolRefusedEvent
  | SessionStartEvent
  | HandshakeEvent
  | ToolsSnapshotEvent
  | DecisionEvent
  | ApprovalEvent
  | OutcomeEvent
  | CancellationEvent
  | RequestEvent
  | SessionEndEvent;

/** A signed checkpoint over every record before this one (written by the log itself). */
export interface CheckpointEvent {
  type: "checkpoint";
  /** Tree size the checkpoint covers: equals this record's `seq`. */
  size: number;
  /** Base64 root hash. */
  root: string;
  /** The full C2SP signed note. */
  note: string;
  /**
   * The Merkle frontier (hex, largest subtree first) of the `size` records
   * the note's root is over: it folds to that root, so a writer that finds
   * a state file it did not write last checks the state's frontier from
   * here, reading only the records since (absent in records of older thoth).
   */
  frontier?: string[];
}

/** The signing key changed; the old key endorses the new one (written by the log itself). */
export interface KeyRotationEvent {
  type: "key_rotation";
  oldKeyHash: string;
  newKeyHash: string;
  /** C2SP verifier key of the new key. */
  newVerifierKey: string;
  /** Base64 Ed25519 signature by the old key over `thoth audit key rotation\n<newVerifierKey>\n`. */
  endorsement: string;
}

/** A crashed writer left a partial line that the next writer cut (written by the log itself). */
export interface RecoveredTornTailEvent {
  type: "recovered_torn_tail";
  segment: string;
  offset: number;
  bytesCut: number;
  /** SHA-256 (hex) of the cut bytes. */
  cutDigest: string;
}

/**
 * The log's cached state did not match the files and was rebuilt (written by
 * the log itself). When the state file could be read, what it said is kept:
 * a `stateSize` above `size` is the number of records lost, and `verify`
 * reports it. Records written before these fields existed carry only
 * `reason` and `size`.
 */
export interface StateRebuiltEvent {
  type: "state_rebuilt";
  reason: string;
  /** Records the log held when the state was rebuilt from it. */
  size: number;
  /** Records the state file counted. */
  stateSize?: number;
  /** Leaf hash (hex) of the last record the state file counted. */
  stateLast?: string;
  /** The size of the last signed checkpoint the state file knew of. */
  stateCheckpointSize?: number;
  /**
   * The state file's Merkle frontier (hex, largest subtree first) of its
   * `stateSize` records: when the log's records give the same frontier, the
   * records the state counted are those the log holds, and a `stateLast`
   * that differs was forged in the state file, not in the log.
   */
  stateFrontier?: string[];
  /**
   * With the reason "the log was gone": what the state file was when the
   * writer found no segment beside the device's keys.
   */
  stateFile?: "missing" | "empty" | "damaged";
  /** With that reason: when the device's first signing key was made. */
  keysCreated?: string;
}

/**
 * Records a writer took into the log (chained onto, and counted) though no
 * state file a thoth holding the device's audit key wrote vouched for them:
 * past the count of the state file it found, or, when that file had no valid
 * MAC, past the last signed checkpoint (written by the log itself, before
 * any checkpoint signs them). A writer killed before counting its last
 * records leaves such records; so does someone who appends lines to the log.
 */
export interface TailTakenInEvent {
  type: "tail_taken_in";
  /** The first and last seq taken in. */
  firstSeq: number;
  lastSeq: number;
  count: number;
  /**
   * Why nothing vouched for them: "past the state file's count", "the state
   * file had no MAC (written by an earlier release, or replaced)", "the state file's MAC did not verify", "the state file
   * did not match the log", or "the state file was missing or damaged".
   */
  reason: string;
}

/** Events only the log writes. */
export type LogEvent =
  | CheckpointEvent
  | KeyRotationEvent
  | RecoveredTornTailEvent
  | StateRebuiltEvent
  | TailTakenInEvent;

/** The fields every stored record starts with. */
export interface RecordEnvelope {
  v: 1;
  seq: number;
  ts: string;
  /** Leaf hash (hex) of the previous record, {@linkcode GENESIS_PREV} for the first. */
  prev: string;
  /**
   * A decision or approval written more than a second away from when it was
   * made (taken in from a killed session's spool, or held while the log
   * could not be written): when it was made, ISO 8601 (see
   * `spool_stamp.ts`). Absent otherwise (`ts` is that time), and in records
   * of earlier releases. Written right after `prev`.
   */
  decidedAt?: string;
}

/** A stored record. */
export type AuditRecord = RecordEnvelope & (AuditEvent | LogEvent);

/** The message an old key signs to endorse a new one. */
export function keyRotationMessage(newVerifierKey: string): string {
  return `thoth audit key rotation\n${newVerifierKey}\n`;
}

/**
 * Serializes one record as its stored line (without the newline). An event
 * never sets a member of the envelope: one that carries `v`, `seq`, `ts` or
 * `prev` (read from a file, say) has them left out, so the record is always
 * the one the writer numbered and dated.
 */
export function encodeRecordLine(envelope: RecordEnvelope, event: AuditEvent | LogEvent): string {
  const { v, seq, ts, prev, decidedAt } = envelope;
  const members = Object.hasOwn(event, "v") || Object.hasOwn(event, "seq") ||
      Object.hasOwn(event, "ts") || Object.hasOwn(event, "prev") ||
      Object.hasOwn(event, "decidedAt") || Object.hasOwn(event, "spooledMs")
    ? withoutEnvelope(event)
    : event;
  return decidedAt === undefined
    ? JSON.stringify({ v, seq, ts, prev, ...members })
    : JSON.stringify({ v, seq, ts, prev, decidedAt, ...members });
}

/** `event` less any member named as one of the envelope's, and less a spool stamp. */
function withoutEnvelope(event: AuditEvent | LogEvent): Record<string, unknown> {
  const members = event as unknown as Record<string, unknown>;
  const {
    v: _v,
    seq: _seq,
    ts: _ts,
    prev: _prev,
    decidedAt: _decidedAt,
    spooledMs: _spooledMs,
    ...rest
  } = members;
  return rest;
}

/**
 * {@linkcode encodeRecordLine} for an event the caller already serialized
 * with `JSON.stringify` (`body`): the same bytes, without serializing twice.
 *
 * Precondition: `body` is the JSON of an event thoth made itself, with no
 * member named `v`, `seq`, `ts`, `prev`, `decidedAt` or `spooledMs` (JSON's
 * last duplicate key wins, so one would override the envelope; the log's
 * writer takes a spool stamp off a body before it comes here). It is not
 * parsed here (the relay's hot path): a body read from a file never comes here. Records a session takes in
 * from another's spool are parsed, checked (see `spool_line.ts`) and queued as
 * events, which {@linkcode encodeRecordLine} serializes.
 */
export function encodeRecordLineFromBody(envelope: RecordEnvelope, body: string): string {
  const { v, seq, ts, prev, decidedAt } = envelope;
  const members = body.slice(1);
  if (body[0] !== "{" || members === "}") {
    throw new TypeError("a record body is the JSON of an event object with its members");
  }
  const decided = decidedAt === undefined ? "" : `"decidedAt":${JSON.stringify(decidedAt)},`;
  return `{"v":${v},"seq":${seq},"ts":${JSON.stringify(ts)},"prev":${
    JSON.stringify(prev)
  },${decided}${members}`;
}
