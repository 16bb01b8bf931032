/**
 * Deadlines for the decisions the relay waits on (an enforcer that answers
 * with a promise): {@linkcode DecisionDeadlines.bound} settles with the
 * decision, or with {@linkcode EXPIRED} once the deadline passed first; a
 * decision that comes after is handed to `late`, never taken as the answer.
 *
 * One timer serves every decision in flight, whatever their number: they
 * all wait as long, so they expire in the order they began, and the timer
 * is set for the oldest only. A decision given at once is never bounded
 * (the relay calls {@linkcode DecisionDeadlines.bound} for promises only),
 * and one that settles in time costs a set insertion and deletion. The
 * timer is {@linkcode unrefTimer}, which holds no process open and does not
 * load Node's timers module into the proxy core's worker; it stays set
 * until its time even when every decision settled earlier (it then finds
 * nothing and stops), so a steady flow of calls sets it at most once per
 * deadline.
 *
 * @example
 * ```ts
 * const deadlines = new DecisionDeadlines(15_000);
 * const verdict = await deadlines.bound(enforcer.decide(call, ids) as Promise<Verdict>);
 * if (verdict === EXPIRED) {
 *   // block the call
 * }
 * ```
 */
import { type CancelTimer, unrefTimer } from "../platform/unref_timer.ts";

/** What {@linkcode DecisionDeadlines.bound} settles with once the deadline passed first. */
export const EXPIRED: unique symbol = Symbol("decision deadline expired");

/** Calls `callback` once after `ms`; returns what cancels it (see `unref_timer.ts`). */
export type DeadlineTimer = (callback: () => void, ms: number) => CancelTimer;

/** One decision in flight. */
interface Entry {
  /** When it expires, on the deadlines' clock. */
  due: number;
  expire: () => void;
}

/** The deadlines of one session's decisions, all `ms` long. */
export class DecisionDeadlines {
  readonly #ms: number;
  readonly #now: () => number;
  readonly #timer: DeadlineTimer;
  /** The decisions in flight, in the order they began (so also the order they expire). */
  readonly #entries = new Set<Entry>();
  /** Whether the timer is set. */
  #armed = false;

  /**
   * `ms`: a positive number of milliseconds. `now` (a monotonic clock) and
   * `timer` are for tests; by default `performance.now()` and an unref'd timer.
   */
  constructor(ms: number, options: { now?: () => number; timer?: DeadlineTimer } = {}) {
    if (!(ms > 0) || !Number.isFinite(ms)) {
      throw new RangeError(`a decision deadline must be a positive number of ms, not ${ms}`);
    }
    this.#ms = ms;
    this.#now = options.now ?? (() => performance.now());
    this.#timer = options.timer ?? unrefTimer;
  }

  /** How long each decision may take, in milliseconds. */
  get ms(): number {
    return this.#ms;
  }

  /** How many decisions are in flight. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Settles as `pending` does when it settles within the deadline, else
   * with {@linkcode EXPIRED} once the deadline passed; what `pending`
   * resolves with after that goes to `late` (a rejection after it goes
   * nowhere: nothing waits for it).
   */
  bound<T>(pending: Promise<T>, late?: (value: T) => void): Promise<T | typeof EXPIRED> {
    return new Promise((resolve, reject) => {
      let open = true;
      const entry: Entry = {
        due: this.#now() + this.#ms,
        expire: () => {
          open = false;
          resolve(EXPIRED);
        },
      };
      this.#entries.add(entry);
      if (!this.#armed) this.#arm(this.#ms);
      pending.then(
        (value) => {
          if (open) {
            open = false;
            this.#entries.delete(entry);
            resolve(value);
          } else {
            late?.(value);
          }
        },
        (error) => {
          if (!open) return;
          open = false;
          this.#entries.delete(entry);
          reject(error);
        },
      );
    });
  }

  #arm(ms: number): void {
    this.#armed = true;
    this.#timer(this.#fire, ms);
  }

  /** Expires every decision whose time has come, and sets the timer for the next one. */
  readonly #fire = (): void => {
    this.#armed = false;
    const now = this.#now();
    for (const entry of this.#entries) {
      if (entry.due > now) {
        this.#arm(entry.due - now);
        return;
      }
      this.#entries.delete(entry);
      entry.expire();
    }
  };
}
