/**
 * The MAC a writer puts in every state file it writes: an HMAC-SHA256, under
 * a key derived from the device's audit HMAC key (which lives under `keys/`,
 * not beside the log), over everything the state says: its count, the last
 * leaf hash (which commits to every earlier record through the chain), the
 * open segment and its length, the Merkle frontier, the last checkpoint and
 * any loss recorded. Whoever can write the audit folder but not the keys can
 * recompute every other field of a state file, not this one: a writer that
 * finds a state whose MAC verifies knows a thoth counted those records. One
 * MAC per state write, none per record. Pure.
 *
 * @example
 * ```ts
 * const key = stateMacKey(keys.hmacRaw);
 * state.mac = stateMac(key, state);
 * stateMacVerifies(key, state); // true
 * ```
 */
import { toHex } from "./encoding.ts";
import type { LogState } from "./log_state.ts";
import { hmacSha256, HmacSha256Key } from "./sha256.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only. */
const LABEL = "thoth state mac v1";

/** The state MAC key derived from the device's audit HMAC key (raw bytes). */
export function stateMacKey(auditKey: Uint8Array): HmacSha256Key {
  return new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
}

/**
 * The MAC (hex) of `state`, its `mac` field aside. Every field is taken in a
 * fixed order (a field added to the state must be added here).
 */
export function stateMac(key: HmacSha256Key, state: LogState): string {
  const place = state.checkpointRecord;
  const lost = state.lost;
  const input = JSON.stringify([
    LABEL,
    state.v,
    state.size,
    state.last,
    state.segment,
    state.segmentBytes,
    state.segmentDay,
    state.frontier,
    state.checkpointSize,
    state.checkpointAt,
    place === undefined ? null : [place.segment, place.offset],
    lost === undefined ? null : [lost.seq, lost.counted, lost.held],
  ]);
  return toHex(key.mac(encoder.encode(input)));
}

/** Whether `state` carries a MAC and it is the one its fields give (compared in constant time). */
export function stateMacVerifies(key: HmacSha256Key, state: LogState): boolean {
  const carried = state.mac;
  if (typeof carried !== "string") return false;
  const expected = stateMac(key, state);
  if (carried.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= carried.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
