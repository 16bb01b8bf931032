/**
 * The persisted progressive counters: for each (server, user, rule) key, the
 * times (ms since the epoch) of its recent violations.
 *
 * @example
 * ```ts
 * const state: ProgressiveState = {
 *   version: 1,
 *   entries: { '["filesystem","ana@example.org","no-deletes"]': [1767225600000] },
 * };
 * ```
 */

/** Version 1 of `state/progressive.json`. */
export interface ProgressiveState {
  version: 1;
  /**
   * Key: `JSON.stringify([server, user, ruleId])`, the user trimmed, in NFC and
   * lower-case (`counterUser` in `record_violations.ts`); value: violation
   * times, oldest first.
   */
  entries: Record<string, number[]>;
  /**
   * Set when the counters were lost (an unreadable file): until this time
   * (ms since the epoch) the history is incomplete, and every violation is
   * blocked rather than counted from zero.
   */
  distrustUntil?: number;
}

/** Whether `value` is a state this version can read in full. */
export function isProgressiveState(value: unknown): value is ProgressiveState {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const entries = v["entries"];
  if (v["version"] !== 1 || entries === null || typeof entries !== "object") return false;
  if (v["distrustUntil"] !== undefined && typeof v["distrustUntil"] !== "number") return false;
  return Object.values(entries as Record<string, unknown>).every((times) =>
    Array.isArray(times) && times.every((t) => typeof t === "number" && Number.isFinite(t))
  );
}
