/**
 * Reads the log's records for {@linkcode earlierStateMacAt}: whether a
 * state file's MAC that does not verify is the MAC of an earlier state of
 * the log (a thoth of a release from before state MACs wrote the log after
 * this release, keeping the `mac` field it does not know; see
 * `earlier_state_mac.ts`). Used only when a state file's MAC does not
 * verify: by `thoth audit verify`, which reads the segments for it
 * ({@linkcode staleStateMacAt}), and by the writer, which rebuilds its state
 * from the log then and gathers what the search needs in the rebuild's own
 * pass ({@linkcode BadMacSearch}): it holds the log's lock, and every
 * session on the machine waits for it. Records are taken from seq 0 up to
 * the first one not in its place or not readable; a partial last line is
 * left out. Thin I/O.
 *
 * @example
 * ```ts
 * const n = await staleStateMacAt(paths.dir, parseLogState(text)!, stateMacKey(raw));
 * if (n !== undefined) reason = staleMacReason(n);
 * ```
 */
import { listSegments } from "./log_files.ts";
import { lineRecord, type ScannedLine } from "./scan_log_state.ts";
import type { LogState } from "./log_state.ts";
import type { LostRecords } from "./state_lost_records.ts";
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
  const gathered = new PointsGatherer(most);
  let leaves = new Uint8Array(1024 * HASH_SIZE);
  let count = 0;
  read: for (const name of await listSegments(dir)) {
    const bytes = await readRegularFile(`${dir}/${name}`);
    let start = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
      const line = bytes.subarray(start, i);
      const record = lineRecord(decoder, line);
      if (!gathered.add({ place: count, segment: name, offset: start, end: i + 1, record })) {
        break read;
      }
      if ((count + 1) * HASH_SIZE > leaves.length) {
        const grown = new Uint8Array(leaves.length * 2);
        grown.set(leaves);
        leaves = grown;
      }
      leafHashSync(line, leaves.subarray(count * HASH_SIZE, (count + 1) * HASH_SIZE));
      count++;
      start = i + 1;
    }
  }
  return gathered.points(await MerkleLevels.build(leaves.subarray(0, count * HASH_SIZE)));
}

/**
 * The search for the earlier state whose MAC a writer's state file carries,
 * run on the pass over the log that rebuilds the writer's state: `reason`
 * gives the rebuild's reason, which says what the search found of the MAC
 * ({@linkcode staleMacReason} when it is the MAC of an earlier state of the
 * log, else `MAC_DID_NOT_VERIFY`).
 *
 * @example
 * ```ts
 * const reason = new BadMacSearch(cached, stateKey).reason();
 * const { tree } = await scanLogState(dir, segments, reason.visit);
 * reason.text(tree);
 * // "the state file did not match the log: its MAC was the one of the log's earlier state at 12 records: …"
 * ```
 */
export class BadMacSearch {
  readonly #state: LogState;
  readonly #key: HmacSha256Key;

  constructor(state: LogState, key: HmacSha256Key) {
    this.#state = state;
    this.#key = key;
  }

  /**
   * The rebuild's reason: the state file did not match the log, for what
   * the search finds of its MAC, then for `mismatch` when there is one.
   */
  reason(mismatch?: string): ScanReason {
    const state = this.#state;
    const key = this.#key;
    const gathered = new PointsGatherer(state.size);
    return {
      visit: (line) => void gathered.add(line),
      text: (tree) => {
        const n = earlierStateMacAt(key, state, gathered.points(tree));
        const mac = n === undefined ? MAC_DID_NOT_VERIFY : staleMacReason(n);
        return `the state file did not match the log: ${mac}${
          mismatch === undefined ? "" : `; ${mismatch}`
        }`;
      },
    };
  }
}

/** A rebuild's reason that its own pass over the log completes (see `scanLogState`). */
export interface ScanReason {
  /** Shown each line the pass reads, in log order. */
  visit: (line: ScannedLine) => void;
  /** The reason, once every line is read; `tree` holds the leaf hash of each line shown. */
  text: (tree: MerkleLevels) => string;
}

/** What the search needs of the lines shown, from seq 0 while each record is in its place. */
class PointsGatherer {
  readonly #most: number;
  readonly #ends: { segment: string; end: number }[] = [];
  readonly #checkpoints: { seq: number; segment: string; offset: number; ms: number }[] = [];
  readonly #losses: LostRecords[] = [];
  #stopped = false;

  constructor(most: number) {
    this.#most = most;
  }

  /**
   * Takes the line at `place`; false, and no line after, once one is no
   * record, not whole, or not in its place, or `most` records are taken.
   */
  add(line: ScannedLine): boolean {
    const { place, segment, offset, end, record } = line;
    if (
      this.#stopped || place !== this.#ends.length || place >= this.#most ||
      end === undefined || record === undefined || record["seq"] !== place
    ) {
      this.#stopped = true;
      return false;
    }
    if (record["type"] === "checkpoint") {
      const ms = Date.parse(String(record["ts"]));
      if (Number.isFinite(ms)) this.#checkpoints.push({ seq: place, segment, offset, ms });
    } else if (record["type"] === "state_rebuilt") {
      const size = record["size"];
      const counted = record["stateSize"];
      if (whole(size) && whole(counted) && counted > size) {
        this.#losses.push({ seq: place, counted, held: size });
      }
    }
    this.#ends.push({ segment, end });
    return true;
  }

  /** The points taken, over `tree`: the leaf hashes of (at least) the lines taken. */
  points(tree: MerkleLevels): LogPoints {
    return { tree, ends: this.#ends, checkpoints: this.#checkpoints, losses: this.#losses };
  }
}

function whole(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}
