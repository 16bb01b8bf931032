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
 *
 * The event types themselves are defined by kind, and exported here too:
 * `session_events.ts` (a session's traffic), `recovery_events.ts` (what the
 * log lacks or took in late), `log_events.ts` (what only the log writes), and
 * `redacted_value.ts` (how a value is kept).
 */
import type * as session from "./session_events.ts";
import type * as recovery from "./recovery_events.ts";
import type * as logged from "./log_events.ts";

export type { RedactedValue, ValueShape } from "./redacted_value.ts";
export type {
  ApprovalEvent,
  CancellationEvent,
  DecisionEvent,
  HandshakeEvent,
  OutcomeEvent,
  RequestEvent,
  SessionEndEvent,
  SessionIdentity,
  SessionStartEvent,
  ToolsSnapshotEvent,
} from "./session_events.ts";
export type {
  DecisionsLostEvent,
  DroppedCount,
  RecordsDroppedEvent,
  SpoolRecoveredEvent,
  SpoolRefusedEvent,
} from "./recovery_events.ts";
export type {
  CheckpointEvent,
  KeyRotationEvent,
  RecoveredTornTailEvent,
  StateRebuiltEvent,
  TailTakenInEvent,
} from "./log_events.ts";

/** The `prev` of the first record: 64 zeros. */
export const GENESIS_PREV = "0".repeat(64);

/** The most decision ids a `decisions_lost` record names. */
export const DECISIONS_LOST_IDS_MAX = 100;

/** The events the relay appends. */
export type AuditEvent =
  | recovery.SpoolRecoveredEvent
  | recovery.DecisionsLostEvent
  | recovery.RecordsDroppedEvent
  | recovery.SpoolRefusedEvent
  | session.SessionStartEvent
  | session.HandshakeEvent
  | session.ToolsSnapshotEvent
  | session.DecisionEvent
  | session.ApprovalEvent
  | session.OutcomeEvent
  | session.CancellationEvent
  | session.RequestEvent
  | session.SessionEndEvent;

/** Events only the log writes. */
export type LogEvent =
  | logged.CheckpointEvent
  | logged.KeyRotationEvent
  | logged.RecoveredTornTailEvent
  | logged.StateRebuiltEvent
  | logged.TailTakenInEvent;

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
