/**
 * Takes back violations counted for a call that did not happen after all:
 * removes one violation at `atMs` from each of `ruleIds` under `key`, as
 * `recordViolations` counted them. Pure: returns the new state, or undefined
 * when there was nothing to take back (the time was pruned, the state is
 * another one by now, or the list is full); the caller persists it (under
 * the lock). Nothing else changes: not the other times, not a counts-lost
 * mark (`distrustUntil`).
 *
 * A rule whose list is full ({@linkcode MAX_PER_KEY} times) is not taken
 * back from: counting into a full list dropped its oldest time (this count,
 * or one after it), and that time cannot be told back, so removing the new
 * one would leave one violation fewer than really happened. The count
 * stays, which is stricter. A list below full lost nothing to trimming
 * since this count: the oldest time goes first, so what pruned it by age
 * would have pruned the dropped one too.
 *
 * {@linkcode takeBackViolations} says, rule by rule, what became of each
 * count (taken back, kept because its list is full, or gone already), for
 * the record the session writes of it.
 *
 * @example
 * ```ts
 * const { state } = recordViolations(undefined, { server: "fs", user: "ana" }, ["r"], 5, 60_000);
 * withdrawViolations(state, { server: "fs", user: "ana" }, ["r"], 5); // { version: 1, entries: {} }
 * takeBackViolations(state, { server: "fs", user: "ana" }, ["r"], 5).takenBack; // ["r"]
 * ```
 */
import type { ProgressiveState } from "./progressive_state.ts";
import { counterUser, MAX_PER_KEY, type ViolationKey } from "./record_violations.ts";

/** What a take-back did with each rule's count (see {@linkcode takeBackViolations}). */
export interface ViolationsTakenBack {
  /** The new state; undefined when nothing was taken back (nothing to write). */
  state: ProgressiveState | undefined;
  /** Rules whose violation at that time was removed. */
  takenBack: string[];
  /** Rules whose list is full: their violation stays counted (stricter). */
  full: string[];
  /** Rules with no violation at that time any more (aged out, or the counters were replaced). */
  gone: string[];
}

/** `current` without one violation at `atMs` of each of `ruleIds`; undefined when none was there. */
export function withdrawViolations(
  current: ProgressiveState,
  key: ViolationKey,
  ruleIds: readonly string[],
  atMs: number,
): ProgressiveState | undefined {
  return takeBackViolations(current, key, ruleIds, atMs).state;
}

/**
 * {@linkcode withdrawViolations}, and what became of each rule's count:
 * taken back, kept (its list is full) or gone already; each rule once.
 */
export function takeBackViolations(
  current: ProgressiveState,
  key: ViolationKey,
  ruleIds: readonly string[],
  atMs: number,
): ViolationsTakenBack {
  // No prototype: a key read from the file ("constructor", "__proto__") is only a key.
  const entries: Record<string, number[]> = Object.assign(Object.create(null), current.entries);
  const result: ViolationsTakenBack = { state: undefined, takenBack: [], full: [], gone: [] };
  for (const id of new Set(ruleIds)) {
    const k = JSON.stringify([key.server, counterUser(key.user), id]);
    const times = entries[k];
    const at = times?.indexOf(atMs) ?? -1;
    if (times === undefined || at === -1) {
      result.gone.push(id);
      continue;
    }
    // A full list may have dropped its oldest time for this one: kept (stricter).
    if (times.length >= MAX_PER_KEY) {
      result.full.push(id);
      continue;
    }
    result.takenBack.push(id);
    const kept = [...times.slice(0, at), ...times.slice(at + 1)];
    if (kept.length > 0) entries[k] = kept;
    else delete entries[k];
  }
  if (result.takenBack.length === 0) return result;
  result.state = {
    version: 1,
    entries,
    ...(current.distrustUntil === undefined ? {} : { distrustUntil: current.distrustUntil }),
  };
  return result;
}
