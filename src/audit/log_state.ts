/**
 * The appender's cached state in `audit/.state.json`: the next seq, the
 * last leaf hash, the open segment and its length, the Merkle frontier, and
 * when the last checkpoint was signed. It is a cache: `scanLogState`
 * (`scan_log_state.ts`) rebuilds it from the segments. It is also a
 * witness: how many records the writer last counted, and the leaf hash of
 * the last one (`readStateWitness` in `state_witness.ts`), which `verify`
 * and `doctor` compare with the log: a log shorter than its state lost
 * records. To `verify` it vouches for nothing; to the next writer, its MAC
 * (see `state_mac.ts`) says a thoth holding the device's audit key counted
 * those records, and no more. The file is rewritten in place, padded to a
 * fixed size, so a crash never leaves it half short.
 *
 * @example
 * ```ts
 * const state = parseLogState(text) ?? await scanLogState(dir, segments);
 * file.writeSync(encodeLogState(state));
 * ```
 */
import { fromHex } from "./encoding.ts";
import { HASH_SIZE } from "./merkle_hash.ts";
import { frontierLength } from "./merkle_frontier.ts";
import { GENESIS_PREV } from "./record.ts";
import { SEGMENT_PATTERN } from "./log_paths.ts";
import { type LostRecords, readLost } from "./state_lost_records.ts";

/** The appender's view of the log's end. */
export interface LogState {
  v: 1;
  /** The next seq (= number of leaves). */
  size: number;
  /** Leaf hash (hex) of the last record. */
  last: string;
  segment: string | null;
  segmentBytes: number;
  segmentDay: string;
  /** Frontier hashes (hex), largest subtree first. */
  frontier: string[];
  checkpointSize: number;
  /** Milliseconds since the epoch of the last checkpoint. */
  checkpointAt: number;
  /**
   * Where the last checkpoint record starts (its segment and byte offset):
   * a writer that finds a state it did not write last checks the state's
   * frontier from the frontier that record carries, reading only the
   * records after it. A hint: what is there is checked before it is used.
   */
  checkpointRecord?: { segment: string; offset: number };
  /**
   * The last time a writer found the log holding fewer records than this
   * file counted: the seq of the `state_rebuilt` record that says so, the
   * count and what the log held. Kept across rebuilds, so `doctor` and
   * `health` go on reporting the loss that `verify` reports from the record.
   */
  lost?: LostRecords;
  /**
   * The MAC of every other field, under a key derived from the device's
   * audit HMAC key (see `state_mac.ts`): the writer that wrote this state
   * vouches for the records it counts. Absent in states of earlier releases
   * and in the empty state made before the keys are.
   */
  mac?: string;
}

const STATE_BLOCK = 4096;

/** The state of an empty log. */
export function emptyLogState(): LogState {
  return {
    v: 1,
    size: 0,
    last: GENESIS_PREV,
    segment: null,
    segmentBytes: 0,
    segmentDay: "",
    frontier: [],
    checkpointSize: 0,
    checkpointAt: 0,
  };
}

/** Serializes the state, padded with spaces to a multiple of 4 KiB. */
export function encodeLogState(state: LogState): Uint8Array {
  return new TextEncoder().encode(encodeLogStateText(state));
}

/** {@linkcode encodeLogState} as text, before it is encoded. */
export function encodeLogStateText(state: LogState): string {
  const text = JSON.stringify(state);
  const size = Math.max(STATE_BLOCK, Math.ceil((text.length + 1) / STATE_BLOCK) * STATE_BLOCK);
  return text.padEnd(size - 1, " ") + "\n";
}

/** A leaf or frontier hash as the state file holds it: 64 lowercase hex digits. */
export const HASH_HEX = /^[0-9a-f]{64}$/;

/** Parses a state file; `undefined` when it is empty or damaged. */
export function parseLogState(text: string): LogState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return checkLogState(value);
}

/**
 * {@linkcode parseLogState} of a value already parsed from JSON: the value
 * itself (a damaged `checkpointRecord` removed from it) when it is a state,
 * else undefined.
 *
 * @example
 * ```ts
 * const state = checkLogState(JSON.parse(text));
 * ```
 */
export function checkLogState(value: unknown): LogState | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const s = value as Partial<LogState>;
  const okNumber = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n);
  if (
    s.v !== 1 || !okNumber(s.size) || typeof s.last !== "string" || !okNumber(s.segmentBytes) ||
    !(s.segment === null || typeof s.segment === "string") || typeof s.segmentDay !== "string" ||
    !Array.isArray(s.frontier) || !okNumber(s.checkpointSize) || !okNumber(s.checkpointAt)
  ) {
    return undefined;
  }
  if (s.lost !== undefined && readLost(s.lost) === undefined) return undefined;
  if (s.checkpointRecord !== undefined && !isRecordPlace(s.checkpointRecord)) {
    delete s.checkpointRecord;
  }
  // A frontier that cannot belong to `size` would chain every later record
  // onto a wrong root: the state is damaged, and the caller rebuilds it.
  if (
    s.size < 0 || s.frontier.length !== frontierLength(s.size) ||
    !s.frontier.every((h) => typeof h === "string" && HASH_HEX.test(h))
  ) {
    return undefined;
  }
  return s as LogState;
}

function isRecordPlace(value: unknown): value is { segment: string; offset: number } {
  if (value === null || typeof value !== "object") return false;
  const { segment, offset } = value as Record<string, unknown>;
  return typeof segment === "string" && SEGMENT_PATTERN.test(segment) &&
    typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0;
}

/** The frontier hashes as bytes (malformed entries become zeros: the verifier will notice). */
export function frontierBytes(state: LogState): Uint8Array[] {
  return state.frontier.map((hex) => fromHex(hex) ?? new Uint8Array(HASH_SIZE));
}
