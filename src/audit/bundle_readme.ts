/**
 * The README placed in every evidence bundle: what the files are, how to
 * check them, and how the record fields answer HIPAA §164.312(b) (audit
 * controls). Pure text.
 *
 * @example
 * ```ts
 * const text = bundleReadme({ firstSeq: 0, lastSeq: 99 });
 * readmeFormat(text); // "thoth-audit-bundle/2"
 * ```
 */
import { BUNDLE_FORMAT } from "./export_statement.ts";

/** Builds the bundle README for the included sequence range. */
export function bundleReadme(range: { firstSeq: number; lastSeq: number }): string {
  return `# thoth audit evidence bundle

Format ${BUNDLE_FORMAT} (manifest.json "format"): it carries a signed export statement.

Records ${range.firstSeq}..${range.lastSeq} of one device's thoth audit log. Every record is covered by a
signature: the range may run past the requested end up to the next signed checkpoint, and a period
asked for without an end stops at the newest checkpoint signed when it was exported.

## Check it
    thoth audit verify --bundle <this folder> [--anchor <checkpoint kept elsewhere>]

Exit 0 means every record is intact, in order, without gaps, and covered by a checkpoint signed by a
trusted key: the first key in keys/audit-signing-keys.json (or, with --anchor, the key that signed
the anchor) and the keys it endorsed through key rotations. verify prints that first key: compare it
with a copy kept off the device, since whoever could edit this folder could replace keys/.

export.note, signed with the device's audit signing key when the bundle was written, states the
period asked for, the records the bundle holds (where it starts and where it ends) and the SHA-256
of manifest.json, which lists every other file with its hash: a bundle cut at its start or its end,
or a manifest rewritten, no longer matches it. Like the checkpoints it is signed on the device, so
it proves what the device exported, not that the device's history was never rewritten: only a
checkpoint kept off the device proves the records up to its size (pass it with --anchor). A bundle
cannot be checked against an anchor from before its first record or after its last (verify exits 2
and says so), and no anchor proves where a bundle starts: export.note does.

## Files
- records/*.jsonl: one JSON record per line, exactly as stored; each carries "seq" (no gaps) and
  "prev", the RFC 6962 leaf hash of the line before it.
- checkpoints/*.note: C2SP signed notes over the RFC 6962 Merkle root of the log at a size.
- keys/audit-signing-keys.json: every Ed25519 public key the device signed checkpoints with.
- keys/key-rotations.jsonl (after a key rotation): the key_rotation records before the first record
  and after the last; each carries the old key's signature over the new key.
- manifest.json: SHA-256 of each file, the period, the seq range, and the Merkle frontier before the
  first record.
- export.note: the export statement, a C2SP signed note over the period, the seq range, the first
  seq and the SHA-256 of manifest.json.

## HIPAA §164.312(b) audit controls: what each field records
| activity the rule asks to record and examine | record type and fields |
| --- | --- |
| which system was used, when | session_start: ts, server, commandDigest (SHA-256 of the command line), envKeys (names only), mode (the enforcement mode the session ran in: observe, step_up, progressive or block), thothVersion |
| whose session it was, and where | session_start: userId (THOTH_USER_ID), osUid (the uid thoth ran as; none on Windows), osUser (the name the password file gives that uid; never taken from USER), tenantId, endpointId with endpointIdSource (managed_device_id, os_machine_id: a keyed digest, never the raw id, or hostname), environment (THOTH_ENV); each present only when it was known, and absent from records of releases before them. Every other record names its session |
| which client talked to which server | handshake (one per answer to the client's initialize): clientName, clientVersion, serverName, serverVersion, requestedVersion, protocolVersion, isError |
| which tools the server offered | tools_snapshot (when the tools listed differ from those recorded last): tools (each name with the SHA-256 of its definition), root (a Merkle root over all of them), count, partial, undigested |
| what was attempted | decision: ts, server, tool, args.digest (HMAC-SHA256, keyed per device), args.shape (names, types, lengths); request (a resource, prompt or completion the client asked for, or a request refused before any decision): method, uri or prompt, params.digest and params.shape (or line.digest and line.bytes for a line refused unread), effect (forwarded or refused), ruleIds, reasons |
| what the policy decided and why, and what thoth did | decision: verdict (what the policy decided), effect (what thoth did with the call: forwarded, blocked, approval_requested, or observed: forwarded in observe mode), ruleIds, reasons, mode, policyHash, intent, decisionId |
| who approved a sensitive action | approval: decisionId (and retryDecisionId for a stateless retry), channel, approver, outcome, scope, latencyMs, reason, answer |
| what happened after | outcome: isError, durationMs, result.digest (or response.digest and response.bytes for a response over 256 KiB, over its exact bytes), afterCancellation for a server's answer to a call already cancelled; cancellation; session_end: exitCode, signal |
| what the log could not record, or recorded late, and why | records_dropped: count, types (how many of each record type), from, until: records that gate nothing which a session let go of while its log refused them; session_end: recordsDropped (the same fields) on the end of a session whose log never took its last records; decisions_lost: count, decisionIds, from, until, reason: decisions and approvals neither the spool nor the log could take (with tally, tallied, types, tallyMac, takenBy when a later session, takenBy, wrote it from the lost tally a killed session left: count is what the tally counted beyond that session's own decisions_lost records, tallied all it counted, tallyMac whether its MAC verified: only verified is written now, and verify counts a record with failed, unchecked or none, which an earlier thoth wrote, for nothing); spool_refused: file, movedTo, lines, bytes, reason, sha256: a spool file a killed session left, refused (none of its records is in the log), or a lost tally a session refused (file lost/<name>, movedTo lost/refused/<name>: its MAC did not verify, or it named another session, or held no tally; nothing it counts accounts for anything); spool_recovered: file, count, skipped, openedAt: the count records after it were taken in late from a spool file: a killed session's, taken in by a later session, or the session's own (the file is named for the session that wrote the record), which it let go while its log refused them and took back in itself |
| that the record itself is complete and unaltered | seq, prev, checkpoint (signed Merkle root), key_rotation, recovered_torn_tail (a partial line a crashed writer left, cut off); tail_taken_in: firstSeq, lastSeq, count, reason: records found past the count the writer kept and taken in, though nothing vouched for them; state_rebuilt: reason, size, stateSize: the log's state was rebuilt from its files (a stateSize above size is the number of records lost) |

verdict is what the policy decided; effect is what happened to the call, and the two can differ.
verdict=block with effect=observed: observe mode forwarded the call, so it ran. verdict=allow with
effect=blocked and ruleIds audit.unwritable: thoth refused the call because it could not record it,
so it did not run. effect=approval_requested: the call waited for a person, and the approval record
with its decisionId says what they answered. Records of releases before effect have none: read
verdict with mode.

No argument values are stored unless a policy names an argument field safe to log in clear
(audit.safeToLog, kept in args.clear); result values are never stored, only their digest and shape.
All times are UTC. ts is when a record was written to the log. A decision or approval written more
than a second after it was made (taken in from a spool, or held while the log could not be written)
also carries decidedAt, the time it was made: read that, not ts, for when it happened.
`;
}

/**
 * The bundle format a README says its bundle was written as: the one it
 * states, else `thoth-audit-bundle/2` when it describes export.note (only
 * such an export writes one); undefined when it says neither, as an older
 * thoth's README does. A manifest labelled otherwise was relabelled.
 */
export function readmeFormat(text: string): string | undefined {
  const stated = /^Format (thoth-audit-bundle\/\d+) /m.exec(text);
  if (stated !== null) return stated[1];
  return text.includes("export.note") ? BUNDLE_FORMAT : undefined;
}
