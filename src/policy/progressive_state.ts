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
  /** Key: `JSON.stringify([server, user, ruleId])`; value: violation times, oldest first. */
  entries: Record<string, number[]>;
}
