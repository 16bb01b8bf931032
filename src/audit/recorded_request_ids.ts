/**
 * A record's request ids as the log keeps them. A JSON-RPC id is chosen by
 * whoever sent the request (the client for a call or a resource read, the
 * server for a sampling request) and may be any string, a token among
 * them. Every record that names one (`requestId` of a decision, a
 * cancellation or a request record; `samplingRequestId` of a decision on a
 * tool a model chose) passes through here as it is written, so that a
 * string id the secret, PII or PHI detectors flag is kept as its keyed
 * digest and length (`#k:1a2b3c4d(40)`, see `redact_recorded_names.ts`)
 * whichever record names it, and the same id shows the same digest in each.
 * A number, and a string no detector flags, are kept as they are; a record
 * without a string id is returned as it is, unread. Pure: the digest is
 * passed in.
 *
 * @example
 * ```ts
 * recordedRequestIds({ type: "cancellation", session: "s-1", requestId: "ghp_…" }, digest);
 * // { type: "cancellation", session: "s-1", requestId: "#k:5e6f7a8b(40)" }
 * recordedRequestIds({ type: "cancellation", session: "s-1", requestId: 7 }, digest); // the same object
 * ```
 */
import type { AuditEvent } from "./record.ts";
import { type PieceDigest, redactedName } from "./redact_recorded_names.ts";

/** The fields of a record that hold a request id. */
const ID_FIELDS = ["requestId", "samplingRequestId"] as const;

/** `event` with each string request id the detectors flag hidden (see the module's note). */
export function recordedRequestIds<T extends AuditEvent>(event: T, digest: PieceDigest): T {
  const fields = event as unknown as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const field of ID_FIELDS) {
    const id = fields[field];
    if (typeof id !== "string") continue;
    const shown = redactedName(id, digest);
    if (shown === id) continue;
    copy ??= { ...fields };
    copy[field] = shown;
  }
  return (copy ?? event) as T;
}
