/**
 * The group commit of a session's spool under `--audit-sync always`: a
 * gating record is released only once the spool is on the disk, and the
 * calls in flight together share one fdatasync. A sync that fails is said
 * (see `unwritable_audit_notes.ts`) and answers false: the call it held is
 * refused after all, with a record that says why ({@linkcode UNSYNCED_REASON}).
 *
 * @example
 * ```ts
 * const sync = new SpoolGroupSync(() => spool, notice);
 * spool.write(decision);
 * if (!(await sync.synced())) refuse(call, UNSYNCED_REASON);
 * ```
 */
import type { DecisionSpool } from "../audit/decision_spool.ts";
import { UNWRITABLE_REFUSAL } from "../protocol/responses.ts";
import type { UnwritableNotice } from "./unwritable_audit_notes.ts";

/** Why a call whose record was written as letting it through was refused after all. */
export const UNSYNCED_REASON =
  `${UNWRITABLE_REFUSAL}: the audit spool could not be synced to the disk after this ` +
  "call's record was written, so thoth did not forward it";

/** One spool's fdatasyncs, shared by the waiters that come while one is pending. */
export class SpoolGroupSync {
  /** The spool now open (none once it could not be opened or keyed). */
  readonly #spool: () => DecisionSpool | undefined;
  readonly #notice: UnwritableNotice;
  /** The spool flush that the next `--audit-sync always` waiter joins. */
  #syncing: Promise<boolean> | undefined;
  /** The flush in progress, which a new waiter cannot join (it started before its write). */
  #syncInFlight: Promise<boolean> | undefined;

  constructor(spool: () => DecisionSpool | undefined, notice: UnwritableNotice) {
    this.#spool = spool;
    this.#notice = notice;
  }

  /** The flush the next waiter joins, if one is waiting to start. */
  get syncing(): Promise<boolean> | undefined {
    return this.#syncing;
  }

  /** The flush in progress, if any. */
  get inFlight(): Promise<boolean> | undefined {
    return this.#syncInFlight;
  }

  /**
   * Resolves once everything spooled so far is on the disk. Calls in flight
   * together share one fdatasync (group commit): a waiter joins the next
   * flush, which starts when the one in progress (begun before its write)
   * has finished.
   */
  synced(): Promise<boolean> {
    if (this.#syncing !== undefined) return this.#syncing;
    const previous = this.#syncInFlight ?? Promise.resolve(true);
    const next: Promise<boolean> = previous.then(async () => {
      this.#syncing = undefined;
      this.#syncInFlight = next;
      try {
        await this.#spool()?.sync();
        return true;
      } catch (error) {
        this.#notice.say(`cannot sync the audit spool: ${message(error)}`);
        return false;
      } finally {
        if (this.#syncInFlight === next) this.#syncInFlight = undefined;
      }
    });
    this.#syncing = next;
    return next;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
