/**
 * Progressive mode counts a violation as its call is decided, before the
 * call is forwarded or answered, so that a count that cannot be written
 * blocks the call (fail closed). A decided call may still not happen: the
 * client stopped reading thoth's output meanwhile, so the call was neither
 * sent to the server nor answered to anyone (see `clientOutputBroke`).
 * Such a call is taken back here: the session remembers what it counted
 * for each of its recent decisions (by decision id) and, told that one was
 * not carried out, removes exactly those violations from the counters. A
 * take-back that fails (the lock does not come, the folder is not
 * writable) leaves the violation counted, which is stricter, and is said
 * on stderr once per cause. What became of each take-back is told to
 * `told` ({@linkcode CountTakeBack}: the rules taken back, those that stay
 * counted and why), for the session's audit record of it. `settled` waits
 * for the take-backs under way, so the session ends only after them.
 *
 * @example
 * ```ts
 * const takeBacks = new ProgressiveTakeBacks(new ProgressiveStore(home), note);
 * takeBacks.remember("d-1", { key: { server: "fs", user: "ana" }, ruleIds: ["r"], atMs: 5 });
 * takeBacks.takeBack("d-1");
 * await takeBacks.settled();
 * ```
 */
import type { ViolationKey } from "../policy/record_violations.ts";
import type { ViolationsTakenBack } from "../policy/withdraw_violations.ts";
import { ProgressiveStateError } from "./progressive_store.ts";

/** What progressive mode counted for one decision: enough to take it back. */
export interface CountedViolations {
  key: ViolationKey;
  /** The rules counted, once each. */
  ruleIds: readonly string[];
  /** The time counted (epoch milliseconds). */
  atMs: number;
}

/** Where counted violations are taken back (a `ProgressiveStore`). */
export interface ViolationWithdrawer {
  takeBackViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    atMs: number,
  ): Promise<Omit<ViolationsTakenBack, "state"> & { unreadable?: true }>;
}

/** What became of the count of one decision's call that did not happen. */
export interface CountTakeBack {
  /** The rules counted for the call, once each. */
  ruleIds: readonly string[];
  /** Those whose violation was taken back. */
  takenBack: readonly string[];
  /** Those whose list is full: their violation stays counted (stricter). */
  full: readonly string[];
  /** Those whose violation was no longer in the counters (aged out, or the file was replaced). */
  gone: readonly string[];
  /** The counters file could not be read: nothing was taken back from it. */
  unreadable?: true;
  /** The take-back failed (lock, folder): every rule stays counted; the failure's words. */
  failed?: string;
}

/**
 * How many recent decisions are remembered: a call not carried out was in
 * flight when the client stopped reading, and a session holds at most
 * 1,024 waiting requests. One forgotten earlier stays counted (stricter).
 */
export const REMEMBERED_DECISIONS = 1024;

/** A session's take-backs of counts for calls that did not happen. */
export class ProgressiveTakeBacks {
  readonly #counter: ViolationWithdrawer;
  readonly #note: (message: string) => void;
  /** By decision id, oldest first. */
  readonly #counted = new Map<string, CountedViolations>();
  readonly #pending = new Set<Promise<void>>();
  readonly #causes = new Set<string>();
  readonly #told: (decisionId: string, taken: CountTakeBack) => void;

  /**
   * `note` gets a warning (without the `thoth: ` prefix) when a take-back
   * fails; `told`, what became of each take-back, done or failed.
   */
  constructor(
    counter: ViolationWithdrawer,
    note: (message: string) => void,
    told: (decisionId: string, taken: CountTakeBack) => void = () => {},
  ) {
    this.#counter = counter;
    this.#note = note;
    this.#told = told;
  }

  /** Remembers what was counted for decision `decisionId`. */
  remember(decisionId: string, counted: CountedViolations): void {
    this.#counted.set(decisionId, counted);
    if (this.#counted.size <= REMEMBERED_DECISIONS) return;
    const oldest = this.#counted.keys().next().value;
    if (oldest !== undefined) this.#counted.delete(oldest);
  }

  /**
   * The call of decision `decisionId` was not carried out: what was counted
   * for it (if anything, and only once) is taken back.
   */
  takeBack(decisionId: string): void {
    const counted = this.#counted.get(decisionId);
    if (counted === undefined) return;
    this.#counted.delete(decisionId);
    const taking = (async () => {
      const ruleIds = [...new Set(counted.ruleIds)];
      let taken: CountTakeBack;
      try {
        taken = {
          ruleIds,
          ...await this.#counter.takeBackViolations(counted.key, ruleIds, counted.atMs),
        };
      } catch (error) {
        const failed = (error as Error).message;
        this.#tell(decisionId, { ruleIds, takenBack: [], full: [], gone: [], failed });
        const cause = error instanceof ProgressiveStateError ? error.sameCause : failed;
        if (this.#causes.has(cause)) return;
        this.#causes.add(cause);
        const hints = error instanceof ProgressiveStateError ? error.hints : [];
        this.#note(
          `warning: ${(error as Error).message}; decision ${decisionId}, whose call did not ` +
            "run, still counts toward progressive mode's steps" +
            hints.map((hint) => `; ${hint}`).join(""),
        );
        return;
      }
      this.#tell(decisionId, taken);
    })();
    this.#pending.add(taking);
    void taking.finally(() => this.#pending.delete(taking));
  }

  /** Tells `told`; its own failure is said, never thrown into the take-back. */
  #tell(decisionId: string, taken: CountTakeBack): void {
    try {
      this.#told(decisionId, taken);
    } catch (error) {
      this.#note(
        `cannot record the count taken back for decision ${decisionId}: ${
          (error as Error).message
        }`,
      );
    }
  }

  /** Resolves once every take-back under way is written (or has failed, and was said). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
