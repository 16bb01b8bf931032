/**
 * Reads the log's segments for {@linkcode earlierStateMacAt}: whether a
 * state file's MAC that does not verify is the MAC of an earlier state of
 * the log (a thoth of a release from before state MACs wrote the log after
 * this release, keeping the `mac` field it does not know; see
 * `earlier_state_mac.ts`). Used by `thoth audit verify` and by the writer,
 * only when a state file's MAC does not verify. Records are read from seq 0
 * up to the first one not in its place or not readable; a partial last line
 * is left out. Thin I/O.
 *
 * @example
 * ```ts
 * const n = await staleStateMacAt(paths.dir, parseLogState(text)!, stateMacKey(raw));
 * if (n !== undefined) reason = staleMacReason(n);
 * ```
 */
import { listSegments } from "./log_files.ts";
import { lineRecord, type LogState, type LostRecords } from "./log_state.ts";
import { HASH_SIZE, leafHashSync } from "./merkle_hash.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { earlierStateMacAt, type LogPoints, staleMacReason } from "./earlier_state_mac.ts";
import { MAC_DID_NOT_VERIFY } from "./unvouched_tail.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/**
 * The record count of the earlier state of the log in `dir` whose MAC
 * `state` carries, or undefined when it is none of them (or the log cannot
 * be read).
 */
export async function staleStateMacAt(
  dir: string,
  state: LogState,
  key: HmacSha256Key,
): Promise<number | undefined> {
  if (typeof state.mac !== "string") return undefined;
  let points: LogPoints;
  try {
    points = await readLogPoints(dir, state.size);
  } catch {
    return undefined;
  }
  return earlierStateMacAt(key, state, points);
}

/**
 * The log's records from seq 0 as the search needs them, up to `most`
 * records (an earlier state counted no more than the state file does).
 */
export async function readLogPoints(dir: string, most: number): Promise<LogPoints> {
  const decoder = new TextDecoder();
  const ends: { segment: string; end: number }[] = [];
  const checkpoints: { seq: number; segment: string; offset: number; ms: number }[] = [];
  const losses: LostRecords[] = [];
  let leaves = new Uint8Array(1024 * HASH_SIZE);
  let count = 0;
  read: for (const name of await listSegments(dir)) {
    const bytes = await readRegularFile(`${dir}/${name}`);
    let start = 0;
    for (let i = bytes.indexOf(10); i >= 0 && count < most; i = bytes.indexOf(10, start)) {
      const line = bytes.subarray(start, i);
      const record = lineRecord(decoder, line);
      if (record === undefined || record["seq"] !== count) break read;
      if ((count + 1) * HASH_SIZE > leaves.length) {
        const grown = new Uint8Array(leaves.length * 2);
        grown.set(leaves);
        leaves = grown;
      }
      leafHashSync(line, leaves.subarray(count * HASH_SIZE, (count + 1) * HASH_SIZE));
      if (record["type"] === "checkpoint") {
        const ms = Date.parse(String(record["ts"]));
        if (Number.isFinite(ms)) checkpoints.push({ seq: count, segment: name, offset: start, ms });
      } else if (record["type"] === "state_rebuilt") {
        const size = record["size"];
        const counted = record["stateSize"];
        if (whole(size) && whole(counted) && counted > size) {
          losses.push({ seq: count, counted, held: size });
        }
      }
      ends.push({ segment: name, end: i + 1 });
      count++;
      start = i + 1;
    }
    if (count >= most) break;
  }
  const tree = await MerkleLevels.build(leaves.subarray(0, count * HASH_SIZE));
  return { tree, ends, checkpoints, losses };
}

function whole(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/**
 * What a writer adds to its rebuild's reason for a state file whose MAC did
 * not verify: {@linkcode staleMacReason} when it is the MAC of an earlier
 * state of the log in `dir`, else `MAC_DID_NOT_VERIFY`.
 */
export async function badMacReason(
  dir: string,
  state: LogState,
  key: HmacSha256Key,
): Promise<string> {
  const n = await staleStateMacAt(dir, state, key);
  return n === undefined ? MAC_DID_NOT_VERIFY : staleMacReason(n);
}
