/**
 * A {@linkcode ViolationCounter} held in memory: counts survive only as long
 * as the process. Synchronous, so a `LocalEnforcer` using it decides without
 * a promise. For tests, `policy explain`, and progressive mode without a
 * writable `~/.thoth`.
 *
 * @example
 * ```ts
 * const counter = new MemoryViolationCounter();
 * counter.recordViolations({ server: "fs", user: "ana" }, ["r"], 0, 1000); // { r: 0 }
 * counter.recordViolations({ server: "fs", user: "ana" }, ["r"], 1, 1000); // { r: 1 }
 * ```
 */
import type { ProgressiveState } from "./progressive_state.ts";
import { recordViolations, type ViolationKey } from "./record_violations.ts";
import type { ViolationCounter } from "./violation_counter.ts";

/** In-memory violation counts. */
export class MemoryViolationCounter implements ViolationCounter {
  #state: ProgressiveState = { version: 1, entries: {} };

  /** Records a violation at `nowMs` and returns the prior counts per rule. */
  recordViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    nowMs: number,
    windowMs: number,
  ): Record<string, number> {
    const { state, prior } = recordViolations(this.#state, key, ruleIds, nowMs, windowMs);
    this.#state = state;
    return prior;
  }
}
