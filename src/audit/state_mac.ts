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
import { fromHex, toHex } from "./encoding.ts";
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
 * fixed order (a field added to the state must be added to {@linkcode headText}
 * or {@linkcode tailText}).
 */
export function stateMac(key: HmacSha256Key, state: LogState): string {
  return toHex(key.mac(encoder.encode(headText(state) + tailText(state))));
}

/** Whether `state` carries a MAC and it is the one its fields give (compared in constant time). */
export function stateMacVerifies(key: HmacSha256Key, state: LogState): boolean {
  return typeof state.mac === "string" && sameHex(state.mac, stateMac(key, state));
}

/** The fields of a state after its frontier: what states of one count can differ in. */
export interface StateMacTail {
  checkpointSize: number;
  checkpointAt: number;
  checkpointRecord?: LogState["checkpointRecord"] | undefined;
  lost?: LogState["lost"] | undefined;
}

/**
 * Checks of the MAC `mac` against states that share every field of `head`
 * up to its frontier and differ only in the fields after it (`tail`): the
 * shared part, the bulk of the input, is hashed once, here. Each check
 * gives what {@linkcode stateMacVerifies} gives for `{ ...head, ...tail, mac }`.
 */
export function stateMacChecks(
  key: HmacSha256Key,
  head: LogState,
  mac: string,
): (tail: StateMacTail) => boolean {
  // Only the lowercase hex `stateMac` writes can be the one a state gives.
  const carried = /^[0-9a-f]{64}$/.test(mac) ? fromHex(mac) : undefined;
  if (carried === undefined) return () => false;
  const macOf = key.after(encoder.encode(headText(head)));
  const out = new Uint8Array(32);
  return (tail) => {
    macOf(encoder.encode(tailText(tail)), out);
    let diff = 0;
    for (let i = 0; i < 32; i++) diff |= carried[i]! ^ out[i]!;
    return diff === 0;
  };
}

/** The input's text up to the frontier, with the comma after it. */
function headText(state: LogState): string {
  const text = JSON.stringify([
    LABEL,
    state.v,
    state.size,
    state.last,
    state.segment,
    state.segmentBytes,
    state.segmentDay,
    state.frontier,
  ]);
  return `${text.slice(0, -1)},`;
}

/** The input's text after {@linkcode headText}: the checkpoint and loss fields, and the closing bracket. */
function tailText(state: StateMacTail): string {
  const place = state.checkpointRecord;
  const lost = state.lost;
  return JSON.stringify([
    state.checkpointSize,
    state.checkpointAt,
    place === undefined ? null : [place.segment, place.offset],
    lost === undefined ? null : [lost.seq, lost.counted, lost.held],
  ]).slice(1);
}

/** Whether two hex MACs are the same, compared in constant time. */
function sameHex(carried: string, expected: string): boolean {
  if (carried.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= carried.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
