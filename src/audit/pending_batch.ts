/**
 * The intent a writer leaves in `audit/.pending` before it writes a batch's
 * lines: the state file it builds on (its count and last leaf hash), where
 * its own records start (past any it took in and vouched for) and where the
 * log will end after the batch, with the batch's leaf hashes when there are
 * few, all under a MAC derived from the device's audit key. A writer killed
 * after its lines reached the segment but before it counted them in the
 * state file leaves records past the state's count: the next writer that
 * finds this intent, MAC valid, built on the very state it read, and the
 * log ending where the intent says (or at one of the leaves it lists), knows
 * a thoth wrote them, and writes no `tail_taken_in` record for them. The
 * intent names exact leaf hashes, each committing to every record before it
 * through the chain: an old one put back vouches for the records it named
 * and no others. One small write and one MAC per batch. Pure.
 *
 * @example
 * ```ts
 * const key = pendingMacKey(keys.hmacRaw);
 * const text = encodePendingBatch(key, { base, start, done, end, leaves });
 * pendingVouch(key, parsePendingBatch(text), base, logEnd); // logEnd.size, or undefined
 * ```
 */
import { toHex } from "./encoding.ts";
import { hmacSha256, HmacSha256Key } from "./sha256.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only. */
const LABEL = "thoth pending batch mac v1";

/** The most leaf hashes an intent lists (a larger batch is vouched for only whole). */
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
  /** Where the lines of the batch already written end (a batch is written in parts around a checkpoint). */
  done: LogPoint;
  /** Where the log ends once the lines are written. */
  end: LogPoint;
  /** The leaf hashes of the records from `start` to `end`, when at most {@linkcode MAX_PENDING_LEAVES}. */
  leaves?: string[];
}

/** The intent's MAC key, derived from the device's audit HMAC key (raw bytes). */
export function pendingMacKey(auditKey: Uint8Array): HmacSha256Key {
  return new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
}

function macOf(key: HmacSha256Key, batch: PendingBatch): string {
  const { base, start, done, end, leaves } = batch;
  const input = JSON.stringify([
    LABEL,
    base.size,
    base.last,
    start.size,
    start.last,
    done.size,
    done.last,
    end.size,
    end.last,
    leaves ?? null,
  ]);
  return toHex(key.mac(encoder.encode(input)));
}

/**
 * The intent's file content: its JSON with its MAC, on one line. Written in
 * place over a longer one, the older one's tail stays past the line break,
 * and the reader stops there.
 */
export function encodePendingBatch(key: HmacSha256Key, batch: PendingBatch): Uint8Array {
  return encoder.encode(JSON.stringify({ v: 1, ...batch, mac: macOf(key, batch) }) + "\n");
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
  if (typeof raw !== "object" || raw === null || raw["v"] !== 1) return undefined;
  const base = point(raw["base"]);
  const start = point(raw["start"]);
  const done = point(raw["done"]);
  const end = point(raw["end"]);
  const leaves = raw["leaves"];
  if (base === undefined || start === undefined || done === undefined || end === undefined) {
    return undefined;
  }
  if (
    leaves !== undefined &&
    (!Array.isArray(leaves) || leaves.length > MAX_PENDING_LEAVES ||
      !leaves.every((leaf) => typeof leaf === "string"))
  ) {
    return undefined;
  }
  const batch: PendingBatch = {
    base,
    start,
    done,
    end,
    ...(leaves === undefined ? {} : { leaves: leaves as string[] }),
  };
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
  const index = logEnd.size - 1 - batch.start.size;
  const leaves = batch.leaves;
  if (leaves === undefined || logEnd.size >= batch.end.size || index < 0) return undefined;
  return leaves[index] === logEnd.last ? logEnd.size : undefined;
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
