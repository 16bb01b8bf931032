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
 * The user is keyed as {@linkcode counterUser} writes it (trimmed, NFC,
 * lower-case): `Ana@Example.org` and `ana@example.org` are one person with
 * one ladder (the audit still records the user as given). Keys written before
 * that are merged into their normalized key when read.
 *
 * A stored time more than {@linkcode MAX_CLOCK_SKEW_MS} ahead of `nowMs` was
 * written by a clock that was (or is) wrong: it is counted as happening now,
 * not kept as written. The violation did happen, so it is not dropped (that
 * would forget it), but it no longer holds a user on a rung until a far date:
 * it ages out one window from now. Times within the skew stay as they are:
 * processes read their clocks before taking the lock, in either order. A
 * stored `distrustUntil` is capped the same way, at one window from `nowMs`:
 * a mark written by a wrong clock (or under a much longer window) does not
 * block violations until a far date, and the capped mark is what is kept.
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

/**
 * How many times each (server, user, rule) keeps: its newest. No ladder rung
 * is higher. Counting one more into a full list drops the oldest, so a full
 * list is never taken back from (see `withdraw_violations.ts`).
 */
export const MAX_PER_KEY = 1000;

/**
 * How far ahead of now a stored violation time may be and still be kept as
 * written: two processes read their clocks and then take the lock, so one may
 * write a time a moment after another's; minutes of it mean a wrong clock.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The user as the progressive counters key it: trimmed, in NFC, with its
 * ASCII letters in lower case, so a user id's spelling does not split one
 * person's violations. Other letters keep their case: Unicode's case
 * mappings join ids that are distinct (`İ` and `i̇`, `ß` and `ss`).
 *
 * @example
 * ```ts
 * counterUser(" Ana@Example.org "); // "ana@example.org"
 * ```
 */
export function counterUser(user: string): string {
  return user.trim().normalize("NFC").replace(ASCII_CAPITALS, (c) => c.toLowerCase());
}

const ASCII_CAPITALS = /[A-Z]+/g;

/** The state key of one (server, user, rule). */
function entryKey(server: string, user: string, ruleId: string): string {
  return JSON.stringify([server, counterUser(user), ruleId]);
}

/** `key` with its user normalized, when it is a (server, user, rule) key; else as it is. */
function normalizedKey(key: string): string {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    return key;
  }
  if (!Array.isArray(parts) || parts.length !== 3) return key;
  const [server, user, ruleId] = parts;
  return typeof server === "string" && typeof user === "string" && typeof ruleId === "string"
    ? entryKey(server, user, ruleId)
    : key;
}

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
  // No prototype: a key read from the file ("constructor", "__proto__") is only a key.
  const entries: Record<string, number[]> = Object.create(null);
  const old = current?.entries;
  if (old !== null && typeof old === "object") {
    for (const [stored, times] of Object.entries(old)) {
      if (!Array.isArray(times)) continue;
      // Times slightly ahead of nowMs are kept: another process may have read its clock
      // later but taken the lock first. Further ahead, a wrong clock wrote them: now.
      const kept = times.filter((t): t is number =>
        typeof t === "number" && Number.isFinite(t) && t > nowMs - MAX_AGE_MS
      ).map((t) => t > nowMs + MAX_CLOCK_SKEW_MS ? nowMs : t);
      if (kept.length === 0) continue;
      const k = normalizedKey(stored);
      entries[k] = entries[k] === undefined ? kept : [...entries[k], ...kept];
    }
    for (const [k, times] of Object.entries(entries)) {
      entries[k] = times.sort((a, b) => a - b).slice(-MAX_PER_KEY);
    }
  }
  const prior: Record<string, number> = {};
  for (const id of new Set(ruleIds)) {
    const k = entryKey(key.server, key.user, id);
    // Older times stay: a process with a longer window still counts them.
    const times = entries[k] ?? [];
    prior[id] = times.filter((t) => t > nowMs - windowMs).length;
    entries[k] = [...times, nowMs].sort((a, b) => a - b).slice(-MAX_PER_KEY);
  }
  // A stored mark past one window from now was set by a wrong clock (or a longer
  // window): it ends one window from now, as a stored time ahead is read as now.
  const distrustUntil = Math.max(
    Math.min(current?.distrustUntil ?? 0, nowMs + windowMs),
    lostAt === undefined ? 0 : Math.min(lostAt, nowMs) + windowMs,
  );
  if (distrustUntil > nowMs) {
    return { state: { version: 1, entries, distrustUntil }, prior, distrustedUntil: distrustUntil };
  }
  return { state: { version: 1, entries }, prior };
}
