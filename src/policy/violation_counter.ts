/**
 * Where progressive mode counts violations: records one violation of some
 * rules and answers how many came before it in the window. The file-backed
 * `ProgressiveStore` (shared by every thoth process) and the in-memory
 * `MemoryViolationCounter` implement it.
 *
 * @example
 * ```ts
 * const counter: ViolationCounter = new MemoryViolationCounter();
 * await counter.recordViolations({ server: "fs", user: "ana" }, ["no-deletes"], Date.now(), 60_000);
 * ```
 */
import type { ViolationKey } from "./record_violations.ts";

/** Counts violations per (server, user, rule). */
export interface ViolationCounter {
  recordViolations(
    key: ViolationKey,
    ruleIds: readonly string[],
    nowMs: number,
    windowMs: number,
  ): Readonly<Record<string, number>> | Promise<Readonly<Record<string, number>>>;
}
