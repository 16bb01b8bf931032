/**
 * The gating records (decisions, approvals) a session could write nowhere:
 * neither its spool nor the log took them. Each is named on stderr when it
 * is lost (the client's log keeps the line, and a killed thoth says no
 * more), told to the log in one `decisions_lost` record once the spool takes
 * a record again (see `lost_decisions.ts`), and named again at the
 * session's end ({@linkcode LostRecords.noteAtEnd}).
 *
 * @example
 * ```ts
 * const lost = new LostRecords(options, (event) => batches.later(event));
 * lost.lose(decision, { fault: "spool", text: "cannot write the audit spool: No space left on device" });
 * lost.tell(); // once the spool takes a record again
 * lost.noteAtEnd();
 * ```
 */
import { DecisionSpool } from "../audit/decision_spool.ts";
import { LostTallyFile } from "../audit/lost_tally_file.ts";
import { lstatOrNull, tallyNotMadeNote } from "../audit/lost_tally_folder.ts";
import type { AuditLog } from "../audit/audit_log.ts";
import { takeInLostTallies } from "../audit/take_in_lost_tallies.ts";
import type { AuditEvent } from "../audit/record.ts";
import { displayText } from "../approval/display_text.ts";
import type { Queued } from "./held_spool_files.ts";
import { LostDecisions } from "./lost_decisions.ts";

/** What the lost records need of their session's options (see `SessionAuditOptions`). */
export interface LostRecordsOptions {
  thothHome: string;
  session: string;
  note: (message: string) => void;
  now?: () => number;
}

/** The most lost decision ids the end's note names (each was named when it was lost). */
const LOST_NAMED_MAX = 50;

/** Why gating records were lost: the words of the error, and whether the log or the spool failed. */
export interface LossCause {
  /** `log`: there is no audit log (and so no spool); `spool`: the spool could not take them. */
  fault: "log" | "spool";
  text: string;
}

/** The gating records of one session that were lost, until the log and the person are told. */
export class LostRecords {
  readonly #o: LostRecordsOptions;
  /** Queues a record that gates nothing (see `LogBatches.later`). */
  readonly #later: (event: Queued) => void;
  /**
   * The decision ids of gating records that neither the spool nor the log
   * took (each named on stderr when it was lost, and again at the end).
   */
  readonly #lost: string[] = [];
  /**
   * The gating records lost since the log was last told (see
   * `lost_decisions.ts`): a `decisions_lost` record tells it once the spool
   * takes a record again, or at the session's end.
   */
  readonly #lostUntold = new LostDecisions();
  /** Why the first of {@linkcode LostRecords.#lost} could not be written, and whose fault. */
  #lostCause: LossCause | undefined;
  /**
   * The session's lost tally on the disk (see `lost_tally_file.ts`): what a
   * kill before the log is told leaves for `thoth audit verify`.
   */
  #tally: LostTallyFile | undefined;
  /** The device's audit key (raw), once loaded: it checks the tallies of dead sessions too. */
  #auditKey: Uint8Array | undefined;

  constructor(options: LostRecordsOptions, later: (event: Queued) => void) {
    this.#o = options;
    this.#later = later;
  }

  /**
   * A gating record that neither the log nor the spool took: it is recorded
   * nowhere, so its decision id is named on stderr now (the client's log
   * keeps it, and a killed thoth says no more) and again at the end.
   */
  lose(event: AuditEvent, cause: LossCause): void {
    const decisionId = (event as { decisionId?: unknown }).decisionId;
    if (typeof decisionId !== "string") return;
    this.#lost.push(decisionId);
    const at = (this.#o.now ?? Date.now)();
    this.#lostUntold.add(decisionId, at, cause.text);
    this.#tally?.add(event.type, decisionId, at, cause.text);
    this.#lostCause ??= cause;
    const call = event.type === "decision"
      ? ` (tool ${displayName(event.tool)} on server ${displayName(event.server)})`
      : "";
    this.#o.note(
      `error: the ${event.type} record of decision ${decisionId}${call} is LOST: ` +
        lossWords(cause, DecisionSpool.dir(this.#o.thothHome), "it"),
    );
  }

  /**
   * Makes the session's lost tally now, while the disk has room for it;
   * without one (it could not be made: a file where its folder must be, a
   * folder it cannot write), losses are told as before only, and stderr
   * says so once, with the fix (see `lost_tally_folder.ts`).
   */
  reserveTally(): void {
    try {
      this.#tally = LostTallyFile.reserve(this.#o.thothHome, this.#o.session);
    } catch (error) {
      const dir = LostTallyFile.dir(this.#o.thothHome);
      // An audit folder that is no folder: the log's own error says so, and its fix.
      if (lstatOrNull(dir.slice(0, dir.lastIndexOf("/")))?.isDirectory !== true) return;
      this.#o.note(tallyNotMadeNote(dir, lstatOrNull(dir), error));
    }
  }

  /** Signs the lost tally with the device's audit key (raw) from now on. */
  tallyKey(auditKey: Uint8Array): void {
    this.#auditKey = auditKey;
    this.#tally?.useKey(auditKey);
  }

  /**
   * Takes into `log` the lost tallies dead sessions left, and removes them
   * (see `take_in_lost_tallies.ts`); a live session's is left alone.
   */
  async takeInTallies(log: AuditLog): Promise<void> {
    await takeInLostTallies({
      thothHome: this.#o.thothHome,
      session: this.#o.session,
      log,
      auditKey: this.#auditKey,
      now: this.#o.now ?? Date.now,
      note: this.#o.note,
    });
  }

  /**
   * At the session's end: removes the lost tally when the log took every
   * record (the `decisions_lost` one among them) or nothing was lost; else
   * leaves it for `thoth audit verify`.
   */
  endTally(logTookAll: boolean): void {
    if (logTookAll || this.#lost.length === 0) this.#tally?.release();
    else this.#tally?.close();
    this.#tally = undefined;
  }

  /** Queues the `decisions_lost` record of the gating records lost since the last one, if any. */
  tell(): void {
    const told = this.#lostUntold.take(this.#o.session);
    if (told !== undefined) this.#later(told);
  }

  /** The end's note on the gating records lost in this session, if any were. */
  noteAtEnd(): void {
    if (this.#lost.length > 0) {
      this.#o.note(lostAtEnd(this.#lost, this.#lostCause, DecisionSpool.dir(this.#o.thothHome)));
    }
  }
}

/**
 * Why records (`what`: "it", "them") are lost, by its real cause: a broken
 * spool is named as the spool (the log may still be taking the session's
 * other records), the log only when it is the log that failed.
 */
function lossWords(cause: LossCause | undefined, spoolDir: string, what: string): string {
  if (cause?.fault === "spool") {
    return `the audit spool ${JSON.stringify(spoolDir)} cannot take ${what} (${cause.text}), and ` +
      "decisions and approvals reach the audit log only through the spool";
  }
  return `neither the audit log nor its spool could take ${what}` +
    (cause === undefined ? "" : ` (${cause.text})`);
}

/** The end's note on gating records neither the log nor the spool took. */
function lostAtEnd(
  lost: readonly string[],
  cause: LossCause | undefined,
  spoolDir: string,
): string {
  const named = lost.slice(0, LOST_NAMED_MAX).join(", ") +
    (lost.length > LOST_NAMED_MAX ? ` and ${lost.length - LOST_NAMED_MAX} more (named above)` : "");
  return `error: ${lost.length} decision or approval record(s) are LOST: ` +
    `${lossWords(cause, spoolDir, "them")}, and no later session will record them; their ` +
    `decision ids: ${named}`;
}

/** A name from outside thoth (a tool, a server), quoted and cut short, for a note. */
function displayName(name: unknown): string {
  const text = typeof name === "string" ? name : String(name);
  return JSON.stringify(displayText(text.length > 64 ? `${text.slice(0, 64)}…` : text, 80));
}
