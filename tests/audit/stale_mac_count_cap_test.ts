/**
 * The search for the earlier state whose MAC a state file carries (see
 * `earlier_state_mac.ts`) charges each count it visits, not only each MAC
 * it computes: a count's own work (its frontier in hex, the hashing of
 * what its states share) outweighs a MAC. Above a low `checkpointSize` (a
 * state rebuilt from the log counts no checkpoint) each count costs one
 * MAC, so a search charged by MACs alone visited every count of a large
 * log (300,000 at most), slower than the search it replaced. Counted, not
 * timed: the counts visited are bounded whatever the log's size, and an
 * earlier release's state tens of thousands of records back is still found.
 * Pure: a log's points made up, as `earlier_state_read.ts` gathers them.
 */
import assert from "node:assert/strict";
import { toHex } from "../../src/audit/encoding.ts";
import { earlierStateMacAt, type LogPoints } from "../../src/audit/earlier_state_mac.ts";
import type { LogState } from "../../src/audit/log_state.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import type { HmacSha256Key } from "../../src/audit/sha256.ts";
import { stateMac, stateMacChecks, stateMacKey } from "../../src/audit/state_mac.ts";

const SEGMENT = "seg-000000000000-2026-03-01.jsonl";
const key = stateMacKey(new Uint8Array(32).fill(9));

/** The most counts one search may visit: the budget at one MAC a count, with room to spare. */
const MOST_COUNTS = 70_000;

/** A log of `size` records of 100 bytes each in one segment, no checkpoint record. */
async function logPoints(size: number): Promise<LogPoints> {
  const leaves = new Uint8Array(size * 32);
  for (let i = 0; i < size; i++) new DataView(leaves.buffer).setUint32(i * 32, i + 1);
  return {
    tree: await MerkleLevels.build(leaves),
    ends: Array.from({ length: size }, (_, i) => ({ segment: SEGMENT, end: (i + 1) * 100 })),
    checkpoints: [],
    losses: [],
  };
}

/** The log's state at `n` records as a rebuild leaves it: no checkpoint counted, its MAC set. */
function stateAt(points: LogPoints, n: number): LogState {
  const state: LogState = {
    v: 1,
    size: n,
    last: n === 0 ? GENESIS_PREV : toHex(points.tree.leaf(n - 1)),
    segment: n === 0 ? null : SEGMENT,
    segmentBytes: n * 100,
    segmentDay: n === 0 ? "" : "2026-03-01",
    frontier: points.tree.frontier(n).map(toHex),
    checkpointSize: 0,
    checkpointAt: 0,
  };
  state.mac = stateMac(key, state);
  return state;
}

/** `earlierStateMacAt` with the counts it visited and the MACs it computed. */
function search(state: LogState, points: LogPoints) {
  let counts = 0;
  let macs = 0;
  const counting = (k: HmacSha256Key, head: LogState, mac: string) => {
    counts++;
    const check = stateMacChecks(k, head, mac);
    return (tail: Parameters<typeof check>[0]) => {
      macs++;
      return check(tail);
    };
  };
  return { found: earlierStateMacAt(key, state, points, counting), counts, macs };
}

Deno.test("the stale-MAC search visits a bounded number of counts at one MAC each", async () => {
  const points = await logPoints(120_000);
  // A MAC no state of the log gives, over a state that counts no checkpoint.
  const state = { ...stateAt(points, 120_000), mac: "ab".repeat(32) };
  const { found, counts, macs } = search(state, points);
  assert.equal(found, undefined);
  assert.equal(macs, counts, "one MAC a count");
  assert.ok(counts <= MOST_COUNTS, `${counts} counts visited, over ${MOST_COUNTS}`);
  // Still tens of thousands: far more than an earlier release writes between checkpoints.
  assert.ok(counts >= 60_000, `${counts} counts visited`);
});

Deno.test("an earlier release's state 60,000 records back, nothing signed since, is still found", async () => {
  const points = await logPoints(80_000);
  const earlier = stateAt(points, 20_000);
  // What an earlier release's writer leaves: its count and the MAC it read, kept.
  const now = stateAt(points, 80_000);
  const state = { ...now, mac: earlier.mac! };
  assert.equal(search(state, points).found, 20_000);
});
