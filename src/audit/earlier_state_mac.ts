/**
 * Whether a state file's MAC that does not verify is the MAC of an earlier
 * state of the same log: one a thoth of this release wrote when the log
 * held its first `n` records. A thoth of a release from before state MACs
 * reads the state file keeping the fields it does not know, so it writes
 * this release's `mac` back unchanged while it changes the count, the last
 * leaf hash and the frontier: the file then carries the stale MAC of the
 * last state this release wrote. Such a MAC is no forgery, and it vouches
 * for no more than a state without a MAC (`state_mac_removed`, a warning):
 * see `state_mac_check.ts` (what `verify` says) and `unvouched_tail.ts`
 * (what the next writer records).
 *
 * A state is what the log gives at `n` records: the count, the last leaf
 * hash, the segment and where in it the `n`th record ends, the Merkle
 * frontier, the last checkpoint record before it (its size and place) and
 * the last loss a writer recorded. Two fields are not in the log: when the
 * last checkpoint was signed (`checkpointAt`, read from the clock just
 * after the checkpoint record's own `ts`), tried from that `ts` on, and a
 * loss kept across rebuilds, tried as the state file gives it, as the log's
 * newest `state_rebuilt` record before `n` gives it, and as none; a state
 * rebuilt from the log counts no checkpoint until it signs one, tried too.
 * At a count above the state file's own `checkpointSize`, only the state
 * file's checkpoint fields are tried (see {@linkcode earlierStateMacAt}),
 * and the fields every state of a count shares are hashed once for all its
 * MACs. The search goes from the newest `n` back, within a fixed budget of
 * work ({@linkcode SEARCH_MACS}: each MAC counts, and so does each count
 * visited, whose own hashing outweighs a MAC): past it, or with no match,
 * the MAC stays one that does not verify. Pure.
 *
 * @example
 * ```ts
 * const points = await readLogPoints(dir, state.size); // see earlier_state_read.ts
 * earlierStateMacAt(key, state, points); // 12: the MAC of the log's state at 12 records
 * ```
 */
import { toHex } from "./encoding.ts";
import type { MerkleLevels } from "./merkle_levels.ts";
import type { LogState } from "./log_state.ts";
import type { LostRecords } from "./state_lost_records.ts";
import { GENESIS_PREV } from "./record.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMacChecks, type StateMacTail } from "./state_mac.ts";

/** What the search needs of the log's records, seq by seq from 0 (see `earlier_state_read.ts`). */
export interface LogPoints {
  /**
   * A tree over the log's leaf hashes from seq 0, holding at least those of
   * the records in `ends` (a larger one gives the same leaves and frontiers).
   */
  tree: MerkleLevels;
  /**
   * For each record from seq 0 up to the first that is not in its place:
   * its segment and the byte offset just past its line there.
   */
  ends: readonly { segment: string; end: number }[];
  /** The checkpoint records, in seq order: seq, segment, start offset, and `ts` in ms. */
  checkpoints: readonly { seq: number; segment: string; offset: number; ms: number }[];
  /** The losses `state_rebuilt` records kept, in seq order (see `LogState.lost`). */
  losses: readonly LostRecords[];
}

/**
 * How many milliseconds after a checkpoint record's `ts` its writer may
 * have read the clock again for `checkpointAt`: tried in full for the state
 * written by the batch that signed it (the checkpoint record is then its
 * last), and for the first {@linkcode NEAR_MS} for later states.
 */
export const SIGNED_MS = 5000;
const NEAR_MS = 16;

/**
 * The most work one search does, counted in MACs: each MAC tried is one,
 * and each count visited is {@linkcode COUNT_COST} more. That is some
 * 66,000 counts at one MAC each (above a low `checkpointSize`: a state
 * rebuilt from the log, which counts no checkpoint), or some 14,000 counts
 * at or below the state file's checkpoint (18 MACs each, and 5,000 more at
 * the count a checkpoint was signed at, one every 1,000 records): about a
 * second of CPU either way, whatever the log's size.
 */
export const SEARCH_MACS = 400_000;

/**
 * What visiting one count costs, in MACs: its last leaf hash and frontier
 * in hex, and hashing the fields all its states share (see
 * `stateMacChecks`) take about as long as this many MACs of the rest.
 */
export const COUNT_COST = 5;

/**
 * The MAC checks of the states of one count (see `stateMacChecks`): given
 * as a parameter so that a test can count them.
 */
export type ChecksOfCount = (
  key: HmacSha256Key,
  head: LogState,
  mac: string,
) => (tail: StateMacTail) => boolean;

/**
 * The record count `n` of the earlier state of the log whose MAC `state`
 * carries (`n` below the state's own count, at most the records the log
 * holds in place), or undefined when none is found.
 *
 * What a writer of an earlier release leaves bounds what is tried. It
 * keeps a state's checkpoint fields (`checkpointSize`, `checkpointAt`,
 * `checkpointRecord`) as it read them until it signs a checkpoint itself,
 * and it signs only over records it holds: its `checkpointSize` is then at
 * least `n`, the count of the state whose MAC it kept. So at a count above
 * the state file's `checkpointSize` nothing was signed since the earlier
 * state, whose checkpoint fields are the state file's own: one MAC per loss
 * tried. At a count up to it, the earlier state's checkpoint is tried from
 * the log, as the module's note says.
 */
export function earlierStateMacAt(
  key: HmacSha256Key,
  state: LogState,
  points: LogPoints,
  checksOfCount: ChecksOfCount = stateMacChecks,
): number | undefined {
  if (typeof state.mac !== "string") return undefined;
  let budget = SEARCH_MACS;
  // Strictly earlier: a writer that leaves the MAC as it was has written records since.
  const top = Math.min(state.size - 1, points.tree.size, points.ends.length);
  let cp = points.checkpoints.length - 1;
  let loss = points.losses.length - 1;
  for (let n = top; n >= 0; n--) {
    // A count's own work is charged as well as its MACs: with one MAC a count, it dominates.
    budget -= COUNT_COST;
    if (budget <= 0) return undefined;
    while (cp >= 0 && points.checkpoints[cp]!.seq >= n) cp--;
    while (loss >= 0 && points.losses[loss]!.seq >= n) loss--;
    const end = n === 0 ? undefined : points.ends[n - 1]!;
    const head: LogState = {
      v: 1,
      size: n,
      last: n === 0 ? GENESIS_PREV : toHex(points.tree.leaf(n - 1)),
      segment: end?.segment ?? null,
      segmentBytes: end?.end ?? 0,
      segmentDay: end === undefined ? "" : end.segment.slice(17, 27),
      frontier: points.tree.frontier(n).map(toHex),
      checkpointSize: 0,
      checkpointAt: 0,
    };
    const verifies = checksOfCount(key, head, state.mac);
    const losses = distinct([state.lost, undefined, points.losses[loss]]);
    if (n > state.checkpointSize) {
      // Nothing signed since the earlier state: its checkpoint fields are the state file's.
      const { checkpointSize, checkpointAt, checkpointRecord } = state;
      for (const lost of losses) {
        if (budget-- <= 0) return undefined;
        if (verifies({ checkpointSize, checkpointAt, checkpointRecord, lost })) return n;
      }
      continue;
    }
    const checkpoint = points.checkpoints[cp];
    for (const lost of losses) {
      // Rebuilt from the log, a state counts no checkpoint until its writer signs one.
      budget--;
      if (verifies({ checkpointSize: 0, checkpointAt: 0, lost })) return n;
      if (checkpoint === undefined) continue;
      const checkpointSize = checkpoint.seq;
      const checkpointRecord = { segment: checkpoint.segment, offset: checkpoint.offset };
      const window = checkpoint.seq === n - 1 ? SIGNED_MS : NEAR_MS;
      const times = [state.checkpointAt];
      for (let ms = 0; ms < window; ms++) times.push(checkpoint.ms + ms);
      for (const checkpointAt of times) {
        if (budget-- <= 0) return undefined;
        if (verifies({ checkpointSize, checkpointAt, checkpointRecord, lost })) return n;
      }
    }
  }
  return undefined;
}

/** The losses to try, each once. */
function distinct(losses: (LostRecords | undefined)[]): (LostRecords | undefined)[] {
  const seen = new Set<string>();
  return losses.filter((lost) => {
    const id = lost === undefined ? "" : `${lost.seq}/${lost.counted}/${lost.held}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** What a writer's rebuild reason says of a state whose MAC is an earlier state's (see below). */
export const STALE_MAC = "its MAC was the one of the log's earlier state at";

/**
 * What a writer adds to a rebuild's reason when the state file's MAC is the
 * one of the log's earlier state at `n` records (instead of
 * `MAC_DID_NOT_VERIFY`, see `unvouched_tail.ts`): `verify` reads it as a
 * warning, not as tampering.
 */
export function staleMacReason(n: number): string {
  return `${STALE_MAC} ${n} records: a thoth of an earlier release, which keeps no MAC on ` +
    "its state, wrote the log after it, or someone put back the MAC of an earlier state file";
}

/** The record count a rebuild reason written by {@linkcode staleMacReason} names, if any. */
export function staleMacSize(reason: string): number | undefined {
  const at = reason.indexOf(STALE_MAC);
  if (at < 0) return undefined;
  const match = /^ (\d+) records/.exec(reason.slice(at + STALE_MAC.length));
  return match === null ? undefined : Number(match[1]);
}
