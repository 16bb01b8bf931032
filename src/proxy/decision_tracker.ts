/**
 * Counts the tool calls still waiting for their decision (an enforcer that
 * answers later: a synced audit record, progressive counters) or for a
 * person's approval, by wrapping the enforcer and the approver the relay
 * uses. When the client closes its input, `runProxy` waits for the count to
 * reach zero, bounded, before it closes the server's input: a call decided
 * after that would have nowhere to go.
 *
 * @example
 * ```ts
 * const tracker = new DecisionTracker();
 * const session = new RelaySession(ports, { ...options, enforcer: tracker.enforcer(enforcer) });
 * await tracker.settled(60_000, signal);
 * ```
 */
import type { Enforcer } from "../enforcer/enforcer.ts";
import type { Approver } from "./relay_session.ts";

/** Counts undecided tool calls. */
export class DecisionTracker {
  #waiting = 0;
  #idle: (() => void)[] = [];
  readonly #done = () => {
    if (--this.#waiting > 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  };

  /** How many decisions and approvals are still pending. */
  get waiting(): number {
    return this.#waiting;
  }

  /** `inner`, counting each decision it gives later (a verdict decided at once costs nothing). */
  enforcer(inner: Enforcer): Enforcer {
    return {
      ...(inner.name === undefined ? {} : { name: inner.name }),
      decide: (call, newDecisionId) => {
        const verdict = inner.decide(call, newDecisionId);
        return verdict instanceof Promise ? this.#track(verdict) : verdict;
      },
    };
  }

  /**
   * `inner`, counting each question until it is answered; its other members
   * (the stateless flow's steps, recognising a retry) are counted the same
   * way whenever they answer later.
   */
  approver(inner: Approver): Approver {
    const asked = ((request) => this.#track(inner(request))) as Approver;
    const members = asked as unknown as Record<string, unknown>;
    for (const [key, member] of Object.entries(inner)) {
      members[key] = typeof member === "function"
        ? (...args: unknown[]) => this.#later(member.apply(inner, args))
        : member;
    }
    return asked;
  }

  /**
   * Resolves true once nothing is pending and the relay has acted on the last
   * answer (forwarded the call, or answered it); false after `ms`, or at once
   * when `signal` aborts.
   */
  async settled(ms: number, signal: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + ms;
    for (;;) {
      if (signal.aborted) return false;
      if (this.#waiting === 0) {
        // The relay acts on an answer a few promise steps later: let them all run, then
        // look again, since an answered decision may have asked a person next.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#waiting === 0 && !signal.aborted) return true;
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0) return false;
      if (!(await this.#idleWithin(left, signal))) return false;
    }
  }

  /**
   * Counts a wait of the relay's own before a call is decided (thoth listing
   * the server's tools first) until it settles.
   */
  wait(pending: Promise<unknown>): void {
    this.#track(pending);
  }

  /** `value`, counted until it settles when it is a promise. */
  #later<T>(value: T): T {
    return value instanceof Promise ? this.#track(value) as T : value;
  }

  #track<T>(pending: Promise<T>): Promise<T> {
    this.#waiting++;
    pending.then(this.#done, this.#done);
    return pending;
  }

  #idleWithin(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const finish = (idle: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        resolve(idle);
      };
      const aborted = () => finish(false);
      const timer = setTimeout(() => finish(false), ms);
      signal.addEventListener("abort", aborted, { once: true });
      this.#idle.push(() => finish(true));
    });
  }
}
