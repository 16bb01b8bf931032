/**
 * What a session says on stderr when its evidence cannot be written: the
 * one warning that the audit log (or its spool) refuses records, with what
 * that does to calls and how to fix it ({@linkcode UnwritableNotice}), and
 * the note on the records left unwritten when the session ended
 * ({@linkcode unwrittenAtEnd}; the gating records lost outright are
 * `lost_gating_records.ts`'s). Pure words, but for the notice, which calls
 * the `note` it is given.
 *
 * @example
 * ```ts
 * const notice = new UnwritableNotice({ mode: "block", note: (line) => console.error(line) });
 * notice.say("cannot write the audit spool: No space left on device"); // once, with a hint
 * notice.reset(); // the log took a write: a later failure is said again
 * ```
 */
import { gatingBody, isGating, type Queued } from "./held_spool_files.ts";

/** What the notice needs of its session: its enforcement mode, and where notes go. */
export interface UnwritableNoticeOptions {
  mode: string;
  note: (message: string) => void;
}

/** Says once why records cannot be written, until the evidence is writable again. */
export class UnwritableNotice {
  readonly #o: UnwritableNoticeOptions;
  #warned = false;

  constructor(options: UnwritableNoticeOptions) {
    this.#o = options;
  }

  /** A failure is said again from now on (the evidence was written since the last one). */
  reset(): void {
    this.#warned = false;
  }

  /** Says once why records cannot be written, with `hints` (else the generic one). */
  say(reason: string, hints: readonly string[] = []): void {
    if (this.#warned) return;
    this.#warned = true;
    const consequence = this.#o.mode === "observe"
      ? "calls are forwarded anyway in observe mode"
      : "tool calls are blocked until it can be written (fail closed), and so are the resource, " +
        "prompt and completion requests thoth records";
    // A reason that names the log already (the log's own error) is not prefixed again; the
    // spool's own error is named as the spool's (the log itself may be fine).
    const what = reason.startsWith("cannot write the audit log")
      ? reason
      : SPOOL_FAULT.test(reason)
      ? `cannot write the audit log's decision and approval records, which reach it only ` +
        `through its spool: ${reason}`
      : `cannot write the audit log: ${reason}`;
    this.#o.note(`error: ${what}; ${consequence}`);
    for (const hint of hints.length > 0 ? hints : [GENERIC_HINT]) this.#o.note(`hint: ${hint}`);
  }
}

/** What to do when the evidence cannot be written and the cause gave no remedy of its own. */
const GENERIC_HINT = 'check free space and permissions under THOTH_HOME, then run "thoth doctor"';

/**
 * The end's note on records the log did not take: the spooled ones among
 * them (decisions, approvals, the session's start and end) are in spool files (a
 * later session takes them in), the others are lost. Says only what is true of this queue.
 */
export function unwrittenAtEnd(queue: readonly Queued[]): string {
  const spooled = queue.filter((event) => gatingBody(event) !== undefined).length;
  const gating = queue.filter(isGating).length;
  // The session's start and end are spooled too (see `SessionAudit`), unless its spool failed.
  const own = spooled - gating;
  const ends = queue.filter((event) => gatingBody(event) !== undefined && isEnd(event)).length;
  const ownWords = own === 1
    ? (ends === 1 ? "the session's end" : "the session's start")
    : "the session's start and end";
  const later = "in the spool for the next session to take in";
  const fates = [
    ...(gating === 0 ? [] : [
      `${gating} decision or approval record(s) among them stay ${later}` +
      (own === 0 ? "" : `, and so ${own === 1 ? "does" : "do"} ${ownWords}`),
    ]),
    ...(gating > 0 || own === 0
      ? []
      : [`${ownWords} among them stay${own === 1 ? "s" : ""} ${later}`]),
    ...(spooled === queue.length ? [] : [
      `${spooled === 0 ? "they" : `the other ${queue.length - spooled}`} are lost (none of ` +
      "them is a decision or approval: outcomes, cancellations, tool lists" +
      (own >= 2 ? "" : ", the session's start or end") + ")",
    ]),
  ];
  return `error: ${queue.length} audit record(s) could not be written to the audit log before ` +
    `the session ended: ${fates.join("; ")}`;
}

/** Whether a waiting record is a session's end. */
function isEnd(event: Queued): boolean {
  return typeof event === "string"
    ? event.startsWith('{"type":"session_end"')
    : event.type === "session_end";
}

/** An error of the spool's own (it may fail while the audit log itself is fine). */
const SPOOL_FAULT = /^cannot (open|write|sync) the audit spool\b/;

/** What a session whose log could not be opened at its start does about it (see `audit_log_reopen.ts`). */
export const REOPENING_NOTE =
  "thoth keeps trying to open the audit log; meanwhile the session's decisions and approvals " +
  "wait in its spool, and once the log opens they are written to it after the session's start";

/** Said once the log a session could not open at its start took the records that waited. */
export const OPENED_NOTE =
  "the audit log is open now and holds the session's records that waited; governed calls proceed";
