/**
 * The intent a writer leaves in `audit/.pending` before it writes a batch's
 * lines: the state file it builds on (its count and last leaf hash), where
 * its own records start (past any it took in and vouched for), where the
 * lines already written end and where the log will end once the part it is
 * about to write is written, with that part's leaf hashes, all under a MAC
 * derived from the device's audit key. A writer writes a batch in parts of
 * at most {@linkcode MAX_PENDING_LEAVES} records and rewrites the intent
 * before each, so wherever a kill lands, the log ends at a point the intent
 * names. A writer killed after its lines reached the segment but before it
 * counted them in the state file leaves records past the state's count: the
 * next writer that finds this intent, MAC valid, built on the very state it
 * read, and the log ending where the intent says (or at one of the leaves
 * it lists), knows a thoth wrote them, and writes no `tail_taken_in` record
 * for them. The intent names exact leaf hashes, each committing to every
 * record before it through the chain: an old one put back vouches for the
 * records it named and no others. One small write and one MAC per part.
 * Earlier releases wrote a version 1 intent per batch, listing the batch's
 * leaves from `start` only when there were at most 64: it is read as before.
 * Pure.
 *
 * @example
 * ```ts
 * const key = pendingMacKey(keys.hmacRaw);
 * const text = encodePendingBatch(key, { base, start, done, end, part });
 * pendingVouch(parsePendingBatch(key, text), base, logEnd); // logEnd.size, or undefined
 * ```
 */
import { toHex } from "./encoding.ts";
import { hmacSha256, HmacSha256Key } from "./sha256.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only (and what a version 1 intent's MAC covers). */
const LABEL = "thoth pending batch mac v1";

/** What a version 2 intent's MAC covers first: its leaves are its part's, from `done`. */
const LABEL_V2 = "thoth pending batch part v2";

/** The most leaf hashes an intent lists: a writer writes a batch in parts of at most this many records. */
export const MAX_PENDING_LEAVES = 64;

/** The most bytes an intent takes (64 leaf hashes and the rest); a reader reads no more. */
export const PENDING_FILE_BYTES = 8192;

/** A count of records and the leaf hash (hex) of the last of them. */
export interface LogPoint {
  size: number;
  last: string;
}

/** What a writer is about to write. */
export interface PendingBatch {
  /** The state file the writer read and vouched for everything up to. */
  base: LogPoint;
  /** Where the writer's own records start (`base`, or past records it took in and vouched for). */
  start: LogPoint;
  /** Where the lines of the batch already written end (a batch is written in parts: of at most 64 records, and around a checkpoint). */
  done: LogPoint;
  /** Where the log ends once the lines are written. */
  end: LogPoint;
  /**
   * The leaf hashes of the records from `done` to `end`: the part about to
   * be written, at most {@linkcode MAX_PENDING_LEAVES} (a version 2 intent,
   * the one a writer writes).
   */
  part?: string[];
  /**
   * A version 1 intent's (an earlier release's): the leaf hashes of the
   * records from `start` to `end`, when at most {@linkcode MAX_PENDING_LEAVES}.
   */
  leaves?: string[];
}

/** The intent's MAC key, derived from the device's audit HMAC key (raw bytes). */
export function pendingMacKey(auditKey: Uint8Array): HmacSha256Key {
  return new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
}

function macOf(key: HmacSha256Key, batch: PendingBatch): string {
  const { base, start, done, end, leaves, part } = batch;
  const input = JSON.stringify([
    part === undefined ? LABEL : LABEL_V2,
    base.size,
    base.last,
    start.size,
    start.last,
    done.size,
    done.last,
    end.size,
    end.last,
    part ?? leaves ?? null,
  ]);
  return toHex(key.mac(encoder.encode(input)));
}

/**
 * The intent's file content: its JSON with its MAC, on one line; version 2
 * when it names a `part` (a version 1 intent is what earlier releases
 * wrote). Written in place over a longer one, the older one's tail stays
 * past the line break, and the reader stops there.
 */
export function encodePendingBatch(key: HmacSha256Key, batch: PendingBatch): Uint8Array {
  const { base, start, done, end, leaves, part } = batch;
  const mac = macOf(key, batch);
  const json = part === undefined
    ? JSON.stringify({
      v: 1,
      base,
      start,
      done,
      end,
      ...(leaves === undefined ? {} : { leaves }),
      mac,
    })
    : JSON.stringify({ v: 2, base, start, done, end, part, mac });
  return encoder.encode(json + "\n");
}

/** The intent on the first line of `text` when its MAC verifies under `key`; undefined otherwise. */
export function parsePendingBatch(key: HmacSha256Key, text: string): PendingBatch | undefined {
  let raw: Record<string, unknown>;
  const lineEnd = text.indexOf("\n");
  if (lineEnd < 0) return undefined;
  try {
    raw = JSON.parse(text.slice(0, lineEnd));
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || (raw["v"] !== 1 && raw["v"] !== 2)) {
    return undefined;
  }
  const base = point(raw["base"]);
  const start = point(raw["start"]);
  const done = point(raw["done"]);
  const end = point(raw["end"]);
  if (base === undefined || start === undefined || done === undefined || end === undefined) {
    return undefined;
  }
  let batch: PendingBatch;
  if (raw["v"] === 2) {
    const part = hashList(raw["part"]);
    // Its part is every record from `done` to `end`, and no more than a part holds.
    if (part === undefined || part.length !== end.size - done.size) return undefined;
    batch = { base, start, done, end, part };
  } else {
    const leaves = raw["leaves"] === undefined ? undefined : hashList(raw["leaves"]);
    if (raw["leaves"] !== undefined && leaves === undefined) return undefined;
    batch = { base, start, done, end, ...(leaves === undefined ? {} : { leaves }) };
  }
  const carried = raw["mac"];
  return typeof carried === "string" && sameText(carried, macOf(key, batch)) ? batch : undefined;
}

/**
 * How many records from the log's start `batch` lets a writer vouch for:
 * `logEnd.size`, when the intent was built on the state it read (`base`)
 * and the log, taken in from there, ends where the intent ends, where its
 * writer's own records start, where the part of the batch written before it
 * ends, or at one of the leaves it lists (a batch cut short by a kill);
 * `undefined` otherwise. A leaf hash commits to every record before it.
 * Only a version 1 intent of a batch of more than 64 records leaves a point
 * inside the batch it cannot name (see {@linkcode insideUnnamedBatch}).
 */
export function pendingVouch(
  batch: PendingBatch | undefined,
  base: LogPoint,
  logEnd: LogPoint,
): number | undefined {
  if (batch === undefined) return undefined;
  if (batch.base.size !== base.size || batch.base.last !== base.last) return undefined;
  if (batch.start.size < base.size || batch.end.size < batch.start.size) return undefined;
  const at = (p: LogPoint) => p.size === logEnd.size && p.last === logEnd.last;
  if (at(batch.end) || at(batch.done) || at(batch.start)) return logEnd.size;
  if (logEnd.size >= batch.end.size) return undefined;
  const [from, leaves] = batch.part !== undefined
    ? [batch.done.size, batch.part]
    : [batch.start.size, batch.leaves];
  const index = logEnd.size - 1 - from;
  if (leaves === undefined || index < 0) return undefined;
  return leaves[index] === logEnd.last ? logEnd.size : undefined;
}

/**
 * Whether the log, taken in from the state `base`, ends strictly inside the
 * batch of a version 1 intent (an earlier release's) built on that state
 * that lists none of its leaves (a batch of more than 64 records): a kill in
 * the middle of writing that batch leaves the same, so records there that
 * no intent vouches for may still be a thoth's. Never true of the intents
 * this release writes, which name every point of a batch a kill can leave.
 */
export function insideUnnamedBatch(
  batch: PendingBatch | undefined,
  base: LogPoint,
  logSize: number,
): boolean {
  return batch !== undefined && batch.part === undefined && batch.leaves === undefined &&
    batch.base.size === base.size && batch.base.last === base.last &&
    logSize > batch.start.size && logSize < batch.end.size;
}

/** `value` when it is a list of at most {@linkcode MAX_PENDING_LEAVES} strings. */
function hashList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length <= MAX_PENDING_LEAVES &&
      value.every((leaf) => typeof leaf === "string")
    ? value as string[]
    : undefined;
}

function point(value: unknown): LogPoint | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { size, last } = value as Record<string, unknown>;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return undefined;
  return typeof last === "string" ? { size, last } : undefined;
}

/** Compares two strings in constant time for their length. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
