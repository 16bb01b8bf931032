/**
 * The search for the earlier state whose MAC a state file carries (see
 * `earlier_state_mac.ts`) runs under the log's lock when a writer opens,
 * and in `verify`. A thoth of an earlier release keeps a state's checkpoint
 * fields as it read them until it signs a checkpoint, over records it
 * holds: at a count above the state file's own `checkpointSize`, the
 * earlier state's checkpoint fields are the state file's, and one MAC per
 * count (per loss tried) is all it takes. Before, every count was tried
 * with every checkpoint time near the log's last checkpoint (18 MACs or
 * more a count), so an earlier release that wrote some 17,000 records
 * without signing put the state past the search's budget: tampering. And
 * the fields every state of a count shares (its frontier, the bulk) are
 * hashed once for all its MACs, each giving what `stateMacVerifies` gives.
 * Pure: a log's points made up, as `earlier_state_read.ts` gathers them.
 */
import assert from "node:assert/strict";
import { toHex } from "../../src/audit/encoding.ts";
import { earlierStateMacAt, type LogPoints } from "../../src/audit/earlier_state_mac.ts";
import type { LogState } from "../../src/audit/log_state.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import { HmacSha256Key } from "../../src/audit/sha256.ts";
import {
  stateMac,
  stateMacChecks,
  stateMacKey,
  stateMacVerifies,
} from "../../src/audit/state_mac.ts";

const SEGMENT = "seg-000000000000-2026-03-01.jsonl";
const T = Date.parse("2026-03-01T10:00:00Z");
const key = stateMacKey(new Uint8Array(32).fill(7));

/** A log of `size` records of 100 bytes each, one segment, checkpoint records at `checkpoints` (signed at T + seq s). */
async function logPoints(size: number, checkpoints: number[]): Promise<LogPoints> {
  const leaves = new Uint8Array(size * 32);
  for (let i = 0; i < size; i++) new DataView(leaves.buffer).setUint32(i * 32, i + 1);
  return {
    tree: await MerkleLevels.build(leaves),
    ends: Array.from({ length: size }, (_, i) => ({ segment: SEGMENT, end: (i + 1) * 100 })),
    checkpoints: checkpoints.map((seq) => ({
      seq,
      segment: SEGMENT,
      offset: seq * 100,
      ms: T + seq * 1000,
    })),
    losses: [],
  };
}

/** The log's state at `n` records, as a writer of this release leaves it (its MAC set). */
function stateAt(points: LogPoints, n: number, checkpoint?: number): LogState {
  const state: LogState = {
    v: 1,
    size: n,
    last: n === 0 ? GENESIS_PREV : toHex(points.tree.leaf(n - 1)),
    segment: n === 0 ? null : SEGMENT,
    segmentBytes: n * 100,
    segmentDay: n === 0 ? "" : "2026-03-01",
    frontier: points.tree.frontier(n).map(toHex),
    checkpointSize: checkpoint ?? 0,
    // Read from the clock just after the checkpoint record was written.
    checkpointAt: checkpoint === undefined ? 0 : T + checkpoint * 1000 + 3,
    ...(checkpoint === undefined
      ? {}
      : { checkpointRecord: { segment: SEGMENT, offset: checkpoint * 100 } }),
  };
  state.mac = stateMac(key, state);
  return state;
}

/**
 * What an earlier release's writer leaves over `earlier` once the log holds
 * `points`' records: its count, leaf hash, segment and frontier; the
 * checkpoint fields and the MAC as it read them (it signed nothing).
 */
function writtenOver(earlier: LogState, points: LogPoints, size: number): LogState {
  const now = stateAt(points, size);
  return {
    ...now,
    checkpointSize: earlier.checkpointSize,
    checkpointAt: earlier.checkpointAt,
    ...(earlier.checkpointRecord === undefined
      ? {}
      : { checkpointRecord: earlier.checkpointRecord }),
    mac: earlier.mac!,
  };
}

Deno.test("above the state file's checkpoint, the search computes one MAC per count", async () => {
  const points = await logPoints(3000, [999, 1999]);
  const state = { ...stateAt(points, 3000, 1999), mac: "ab".repeat(32) };
  const macs = new Map<number, number>();
  const counting = (k: HmacSha256Key, head: LogState, mac: string) => {
    const check = stateMacChecks(k, head, mac);
    return (tail: Parameters<typeof check>[0]) => {
      macs.set(head.size, (macs.get(head.size) ?? 0) + 1);
      return check(tail);
    };
  };
  assert.equal(earlierStateMacAt(key, state, points, counting), undefined);
  for (let n = 2000; n < 3000; n++) assert.equal(macs.get(n), 1, `${macs.get(n)} MACs at ${n}`);
  // At and below it, the earlier state's checkpoint is still looked for in the log.
  assert.ok((macs.get(1999) ?? 0) > 1);
  assert.ok(
    (macs.get(1000) ?? 0) > 5000,
    `${macs.get(1000)} MACs at 1000, the state its signer wrote`,
  );
});

Deno.test("an earlier state far below the state file's count is found when nothing was signed since", async () => {
  const points = await logPoints(20_000, [50]);
  const earlier = stateAt(points, 100, 50);
  // 19,900 records since, no checkpoint signed over them.
  const state = writtenOver(earlier, points, 20_000);
  assert.equal(earlierStateMacAt(key, state, points), 100);
  // Another count's MAC names that count; a MAC of a state the log never gave, none.
  assert.equal(
    earlierStateMacAt(key, { ...state, mac: stateAt(points, 101, 50).mac! }, points),
    101,
  );
  assert.equal(
    earlierStateMacAt(
      key,
      { ...state, mac: stateMac(key, { ...earlier, segmentBytes: 1 }) },
      points,
    ),
    undefined,
  );
});

Deno.test("stateMacChecks gives what stateMacVerifies gives, for every tail of a head", async () => {
  const points = await logPoints(40, [9]);
  const tails = [
    { checkpointSize: 0, checkpointAt: 0 },
    {
      checkpointSize: 9,
      checkpointAt: T + 9003,
      checkpointRecord: { segment: SEGMENT, offset: 900 },
    },
    { checkpointSize: 9, checkpointAt: T, lost: { seq: 20, counted: 30, held: 20 } },
  ];
  for (const n of [0, 1, 17, 33]) {
    const head = stateAt(points, n);
    for (const tail of tails) {
      const state: LogState = { ...head, ...tail };
      const mac = stateMac(key, state);
      for (
        const carried of [mac, mac.toUpperCase(), mac.slice(0, 62) + "00", "ab".repeat(32), ""]
      ) {
        assert.equal(
          stateMacChecks(key, head, carried)(tail),
          stateMacVerifies(key, { ...state, mac: carried }),
          `${n} records, ${JSON.stringify(tail)}, ${carried}`,
        );
      }
    }
  }
});

Deno.test("HmacSha256Key.after() gives the MAC of the prefix and the rest together", () => {
  const hmac = new HmacSha256Key(new Uint8Array(40).fill(3));
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 255);
  for (const cut of [0, 1, 55, 63, 64, 65, 127, 128, 200, 300]) {
    for (const end of [cut, cut + 1, Math.min(300, cut + 70), 300]) {
      if (end > 300) continue;
      const macOf = hmac.after(bytes.subarray(0, cut));
      assert.deepEqual(
        macOf(bytes.subarray(cut, end)),
        hmac.mac(bytes.subarray(0, end)),
        `${cut}/${end}`,
      );
      // Again from the same prefix: the prefix's state is not used up.
      assert.deepEqual(macOf(bytes.subarray(cut, end)), hmac.mac(bytes.subarray(0, end)));
    }
  }
});
