/**
 * The appender's cached state in `audit/.state.json`: the next seq, the
 * last leaf hash, the open segment and its length, the Merkle frontier, and
 * when the last checkpoint was signed. It is a cache: `scanLogState`
 * rebuilds it from the segments. It is also a witness: how many records the
 * writer last counted, and the leaf hash of the last one
 * (`readStateWitness`), which `verify` and `doctor` compare with the log: a
 * log shorter than its state lost records. To `verify` it vouches for
 * nothing; to the next writer, its MAC (see `state_mac.ts`) says a thoth
 * holding the device's audit key counted those records, and no more. The file is rewritten in place, padded to a fixed size, so a crash never
 * leaves it half short.
 *
 * @example
 * ```ts
 * const state = parseLogState(text) ?? await scanLogState(dir, segments);
 * file.writeSync(encodeLogState(state));
 * ```
 */
import { fromHex, toHex } from "./encoding.ts";
import { HASH_SIZE, leafHash } from "./merkle_hash.ts";
import { frontierLength, isFrontierOf } from "./merkle_frontier.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import { GENESIS_PREV } from "./record.ts";
import { SEGMENT_PATTERN } from "./log_paths.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { type SeqBreak, seqBreak, seqOf } from "./seq_break.ts";

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

/** Records a writer found missing (see {@linkcode LogState.lost}). */
export interface LostRecords {
  seq: number;
  counted: number;
  held: number;
}

/** What a state file says about the log's end, as far as it can be read. */
export interface StateWitness {
  /** The number of records the writer counted. */
  size: number;
  /** Leaf hash (hex) of record `size - 1` ({@linkcode GENESIS_PREV} when `size` is 0). */
  last: string;
  /** The size of the last signed checkpoint (0 when none). */
  checkpointSize: number;
  /** The last loss a writer found, when the file recorded one. */
  lost?: LostRecords;
  /**
   * The Merkle frontier (hex, largest subtree first) of the `size` records
   * counted, when the file holds one of the right length: a commitment to
   * every record counted, which `verify` compares with the log's records.
   */
  frontier?: string[];
}

/** A line {@linkcode scanLogState} read, as it shows it to its `visit`. */
export interface ScannedLine {
  /** Its place in the log, every line counted from 0: the index of its leaf hash. */
  place: number;
  segment: string;
  /** Where the line starts in its segment. */
  offset: number;
  /** The offset just past its newline; `undefined` for a segment's last line without one. */
  end: number | undefined;
  /** The line's record (`undefined` for a line that is no JSON object). */
  record: Record<string, unknown> | undefined;
}

/** A partial record cut from the end of the log. */
export interface TornTail {
  segment: string;
  offset: number;
  bytes: Uint8Array<ArrayBuffer>;
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

const HASH_HEX = /^[0-9a-f]{64}$/;

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

/**
 * The witness a state file holds: its size, last leaf hash and checkpoint
 * size, read even when the rest of the state is damaged (a bad frontier, say);
 * `undefined` when those are not readable.
 */
export function readStateWitness(text: string): StateWitness | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const s = value as Record<string, unknown>;
  const size = s["size"];
  const last = s["last"];
  const checkpointSize = s["checkpointSize"];
  if (
    s["v"] !== 1 || typeof size !== "number" || !Number.isSafeInteger(size) || size < 0 ||
    typeof last !== "string" || !HASH_HEX.test(last)
  ) {
    return undefined;
  }
  const covered = typeof checkpointSize === "number" && Number.isSafeInteger(checkpointSize) &&
      checkpointSize >= 0
    ? checkpointSize
    : 0;
  const lost = readLost(s["lost"]);
  const frontier = s["frontier"];
  return {
    size,
    last,
    checkpointSize: covered,
    ...(lost === undefined ? {} : { lost }),
    ...(isFrontierOf(size, frontier) ? { frontier: [...frontier] } : {}),
  };
}

function isRecordPlace(value: unknown): value is { segment: string; offset: number } {
  if (value === null || typeof value !== "object") return false;
  const { segment, offset } = value as Record<string, unknown>;
  return typeof segment === "string" && SEGMENT_PATTERN.test(segment) &&
    typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0;
}

function readLost(value: unknown): LostRecords | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { seq, counted, held } = value as Record<string, unknown>;
  const whole = (n: unknown): n is number =>
    typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  return whole(seq) && whole(counted) && whole(held) && counted > held
    ? { seq, counted, held }
    : undefined;
}

/**
 * Rebuilds the state by reading every segment. A partial last line in the
 * last segment is reported as a torn tail (the caller cuts it). `broken`
 * names the first record whose seq is not its place (see `seqBreak`): a
 * log with a gap or a repeated seq, which a writer must not extend.
 * `lastCheckpoint` is where the last line that claims to be a checkpoint
 * record starts (unchecked: the caller verifies its note). `tree` holds the
 * leaf hash of every line read. `visit`, when given, is shown each line in
 * log order (a torn tail aside), so that a caller needing more of the log
 * reads it in this same pass (see `earlier_state_read.ts`).
 */
export async function scanLogState(
  dir: string,
  segments: readonly string[],
  visit?: (line: ScannedLine) => void,
): Promise<{
  state: LogState;
  tree: MerkleLevels;
  torn?: TornTail;
  broken?: SeqBreak;
  lastCheckpoint?: { segment: string; offset: number };
}> {
  const state = emptyLogState();
  const leaves: Uint8Array[] = [];
  const seqs: (number | undefined)[] = [];
  const decoder = new TextDecoder();
  let torn: TornTail | undefined;
  let lastCheckpoint: { segment: string; offset: number } | undefined;
  for (const [index, name] of segments.entries()) {
    const bytes = await readRegularFile(`${dir}/${name}`);
    let start = 0;
    const lines: Uint8Array[] = [];
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
    if (start < bytes.length) {
      if (index === segments.length - 1) {
        torn = { segment: name, offset: start, bytes: bytes.slice(start) };
      } else {
        lines.push(bytes.subarray(start));
        start = bytes.length;
      }
    }
    for (let i = 0; i < lines.length; i += 256) {
      leaves.push(...await Promise.all(lines.slice(i, i + 256).map((line) => leafHash(line))));
    }
    for (const line of lines) {
      const record = lineRecord(decoder, line);
      const offset = line.byteOffset - bytes.byteOffset;
      visit?.({
        place: seqs.length,
        segment: name,
        offset,
        end: offset + line.length < bytes.length ? offset + line.length + 1 : undefined,
        record,
      });
      seqs.push(record === undefined ? undefined : seqOf(record));
      if (record?.["type"] === "checkpoint") lastCheckpoint = { segment: name, offset };
    }
    state.segment = name;
    state.segmentBytes = start;
    state.segmentDay = name.slice(17, 27);
  }
  const tree = await MerkleLevels.build(leaves);
  state.size = leaves.length;
  state.frontier = tree.frontier(leaves.length).map(toHex);
  const lastLeaf = leaves[leaves.length - 1];
  state.last = lastLeaf ? toHex(lastLeaf) : GENESIS_PREV;
  const broken = seqBreak(seqs);
  return {
    state,
    tree,
    ...(torn ? { torn } : {}),
    ...(broken ? { broken } : {}),
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
  };
}

/** A stored line's record as a JSON object (`undefined` for a line that is no record). */
export function lineRecord(
  decoder: TextDecoder,
  line: Uint8Array,
): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(line));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What in a parsed state cannot be so, read from the state alone: a writer
 * names its open segment after the first seq it holds, and counts only
 * complete records in `segmentBytes`, so a state counting fewer records than
 * its segment's name starts from, or holding bytes of a segment with no
 * record of it counted, or a `last` leaf hash that does not go with its
 * count, was not written by a writer (a count forged to 0 over a log that
 * holds records, say). `undefined` when nothing disagrees. Pure.
 *
 * @example
 * ```ts
 * stateMismatch({ ...emptyLogState(), segment: "seg-000000000000-2026-03-01.jsonl", segmentBytes: 812 });
 * // "it counts 0 records, but holds 812 bytes of records of seg-000000000000-2026-03-01.jsonl, which starts at seq 0"
 * ```
 */
export function stateMismatch(state: LogState): string | undefined {
  const counts = `it counts ${state.size} record${state.size === 1 ? "" : "s"}`;
  if ((state.size === 0) !== (state.last === GENESIS_PREV)) {
    return state.size === 0
      ? `${counts}, but names a last record's leaf hash`
      : `${counts}, but names no last record`;
  }
  if (state.segment === null) return undefined;
  const match = SEGMENT_PATTERN.exec(state.segment);
  if (match === null) return `${counts} in ${JSON.stringify(state.segment)}, which is no segment`;
  const first = Number(match[1]);
  if (first > state.size) {
    return `${counts}, but its segment ${state.segment} starts at seq ${first}`;
  }
  if (state.segmentBytes > 0 && first === state.size) {
    return `${counts}, but holds ${state.segmentBytes} bytes of records of ${state.segment}, which starts at seq ${first}`;
  }
  if (state.segmentBytes === 0 && first < state.size) {
    return `${counts}, but holds no record of ${state.segment}, which starts at seq ${first}`;
  }
  return undefined;
}

/** The frontier hashes as bytes (malformed entries become zeros: the verifier will notice). */
export function frontierBytes(state: LogState): Uint8Array[] {
  return state.frontier.map((hex) => fromHex(hex) ?? new Uint8Array(HASH_SIZE));
}

/**
 * The most bytes of a state file a reader outside the writer takes. A writer's
 * state holds a few counters and names and one hash per level of the log's
 * tree (at most 64), a few KiB at most: 1 MiB leaves room for any state and
 * keeps a file that is not one from being read whole.
 */
export const MAX_STATE_FILE_BYTES = 1024 * 1024;

/**
 * The state file's text as a reader outside the writer's lock should take
 * it: a writer rewrites the file in place, so a read can land mid-write and
 * mix old and new bytes. Reads again until two reads in a row agree (at most
 * ten; a writer's rewrite is one system call, so the next read sees it whole).
 * Only a regular file is read: a FIFO in its place would block the reader
 * (`thoth health`, `thoth doctor`, `thoth audit verify`) for ever. Throws what
 * `Deno.readTextFile` throws, `Deno.errors.InvalidData` ("it is not a
 * regular file"), and `FileOverLimitError` for a file over
 * {@linkcode MAX_STATE_FILE_BYTES}, which is never read whole (its message
 * says to remove it: the next governed session rebuilds it from the log).
 */
export async function readStateSettled(path: string): Promise<string> {
  const read = async () => {
    try {
      return new TextDecoder().decode(await readRegularFile(path, { limit: MAX_STATE_FILE_BYTES }));
    } catch (error) {
      if (!(error instanceof FileOverLimitError)) throw error;
      throw new FileOverLimitError(
        error.size,
        error.limit,
        "no writer makes a state file that large; remove it: the next governed session " +
          "rebuilds it from the log",
      );
    }
  };
  let text = await read();
  for (let attempt = 1; attempt < 10; attempt++) {
    const again = await read();
    if (again === text) return text;
    text = again;
  }
  return text;
}
