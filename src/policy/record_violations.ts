/**
 * Records one violation of some rules in the progressive state and returns
 * how many violations of each rule came before it within the window. Pure:
 * returns a new state; the caller persists it (under a lock). The state is
 * shared by processes whose policies may have different windows, so a time
 * is pruned only when no window can reach it: anything older than 400 days
 * (the longest window a policy may give) is pruned everywhere, and each key
 * keeps its newest 1000 times (no ladder rung is higher), which keeps the
 * file bounded. The caller reads the file and passes `lostAt` when it could not
 * (its counts are gone): for one window from then, `distrustedUntil` says
 * that the counts are incomplete and the violation must not be counted from
 * zero (the enforcer blocks it instead).
 *
 * @example
 * ```ts
 * const { state, prior } = recordViolations(
 *   { version: 1, entries: {} }, { server: "fs", user: "ana" }, ["no-deletes"], 1_000, 86_400_000,
 * );
 * prior; // { "no-deletes": 0 }
 * ```
 */
import { MAX_DURATION_MS } from "./parse_duration.ts";
import type { ProgressiveState } from "./progressive_state.ts";

const MAX_AGE_MS = MAX_DURATION_MS;
const MAX_PER_KEY = 1000;

/** Who violated: the governed server and the user. */
export interface ViolationKey {
  server: string;
  user: string;
}

/** The new state and the prior counts per rule id. */
export interface RecordedViolations {
  state: ProgressiveState;
  prior: Record<string, number>;
  /** Set while the counts are incomplete (see `lostAt`): until when. */
  distrustedUntil?: number;
}

/** Adds a violation at `nowMs` for each of `ruleIds`. */
export function recordViolations(
  current: ProgressiveState | undefined,
  key: ViolationKey,
  ruleIds: readonly string[],
  nowMs: number,
  windowMs: number,
  lostAt?: number,
): RecordedViolations {
  const entries: Record<string, number[]> = {};
  const old = current?.entries;
  if (old !== null && typeof old === "object") {
    for (const [k, times] of Object.entries(old)) {
      if (!Array.isArray(times)) continue;
      // Times slightly ahead of nowMs are kept: another process may have read its clock
      // later but taken the lock first.
      const kept = times.filter((t): t is number =>
        typeof t === "number" && t > nowMs - MAX_AGE_MS
      );
      if (kept.length > 0) entries[k] = kept;
    }
  }
  const prior: Record<string, number> = {};
  for (const id of new Set(ruleIds)) {
    const k = JSON.stringify([key.server, key.user, id]);
    // Older times stay: a process with a longer window still counts them.
    const times = entries[k] ?? [];
    prior[id] = times.filter((t) => t > nowMs - windowMs).length;
    entries[k] = [...times, nowMs].slice(-MAX_PER_KEY);
  }
  const distrustUntil = Math.max(
    current?.distrustUntil ?? 0,
    lostAt === undefined ? 0 : lostAt + windowMs,
  );
  if (distrustUntil > nowMs) {
    return { state: { version: 1, entries, distrustUntil }, prior, distrustedUntil: distrustUntil };
  }
  return { state: { version: 1, entries }, prior };
}
