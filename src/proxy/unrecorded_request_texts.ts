/**
 * What thoth says when it refuses a governed client request other than a
 * `tools/call` (`resources/read`, `resources/subscribe`, `prompts/get`,
 * `completion/complete`) because its `request` record cannot be written:
 * the rule a `tools/call` follows (see `unrecordedText` in `responses.ts`),
 * no evidence, no request. The reason its record keeps, the stderr line for
 * the person at the machine, and the error message the client gets (no
 * path, no value but the method, no internal code). Pure.
 *
 * @example
 * ```ts
 * unrecordedRequestWire("resources/read");
 * // "thoth refused this resources/read: thoth cannot record it in its audit log …"
 * ```
 */
import { AUDIT_UNWRITABLE_RULE } from "../protocol/responses.ts";

/** Why such a request was refused, as its record keeps it (when it can be kept at all). */
export const UNRECORDED_REQUEST_REASON =
  "the audit log cannot be written, and thoth does not act without evidence";

/** The stderr line of a request refused because its record cannot be written. */
export function unrecordedRequestNote(method: string, id: unknown): string {
  return `refused the client's ${method} request ${JSON.stringify(id)} (rule ` +
    `${AUDIT_UNWRITABLE_RULE}): its record cannot be written, as ${UNRECORDED_REQUEST_REASON}; ` +
    `it was not forwarded (run "thoth doctor" to see why the log cannot be written)`;
}

/**
 * The error message the client gets for it, which the model may read: the
 * rule's code (`audit.unwritable`) is for stderr and the record, as for a
 * `tools/call` (see `unrecordedText`).
 */
export function unrecordedRequestWire(method: string): string {
  return `thoth refused this ${method}: thoth cannot record it in its audit log on this ` +
    "machine (the log or its spool cannot be written), and thoth forwards no request it " +
    "cannot record. This is not a server failure: do not retry it now; tell the user that " +
    "thoth's audit log on this machine needs attention.";
}
