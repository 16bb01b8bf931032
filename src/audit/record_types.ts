/**
 * The `type` of every record the log can hold, as a list: the record types
 * exist only as TypeScript types, and a reader that must cover each of them
 * (the evidence bundle's README, its test) needs them as values. Pure data.
 *
 * @example
 * ```ts
 * RECORD_TYPES.includes("decision"); // true
 * ```
 */
import type { AuditRecord } from "./record.ts";

/**
 * One entry per record type: typed against {@linkcode AuditRecord}, so a
 * type added to its unions without an entry here (or an entry that is no
 * record's type) fails the type check.
 */
const RECORD_TYPE_SET: { readonly [T in AuditRecord["type"]]: true } = {
  session_start: true,
  handshake: true,
  tools_snapshot: true,
  decision: true,
  approval: true,
  outcome: true,
  cancellation: true,
  request: true,
  session_end: true,
  spool_recovered: true,
  spool_refused: true,
  decisions_lost: true,
  records_dropped: true,
  checkpoint: true,
  key_rotation: true,
  recovered_torn_tail: true,
  state_rebuilt: true,
  tail_taken_in: true,
};

/** The `type` of every record the log can hold (the bundle README names each). */
export const RECORD_TYPES: readonly AuditRecord["type"][] = Object.keys(
  RECORD_TYPE_SET,
) as AuditRecord["type"][];
