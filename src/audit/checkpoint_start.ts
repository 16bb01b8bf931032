/**
 * Where the audit writer starts checking a state's Merkle frontier from: a
 * frontier known good (`SpanBase`), such as the one a checkpoint record
 * carries whose note a device key signed over the root that frontier folds
 * to (`signedCheckpointAt`). Only the records after it are then read.
 *
 * @example
 * ```ts
 * const base = await signedCheckpointAt(line, { segment, offset: 0 }, 0, keys.publicKeys);
 * // { size: 1000, frontier: [...], from: { segment, offset: 0 }, line, what: "the signed checkpoint of size 1000" }
 * ```
 */
import { parseCheckpoint } from "./checkpoint.ts";
import { type PublicKeyEntry, verifiersOf } from "./device_keys.ts";
import { bytesEqual, fromHex } from "./encoding.ts";
import { nodeHashSync } from "./merkle_hash.ts";
import { isFrontierOf } from "./merkle_frontier.ts";
import { openNote } from "./signed_note.ts";
import type { RecordPlace } from "./segment_reads.ts";

/** A frontier known good, and where the records after it start. */
export interface SpanBase {
  size: number;
  frontier: readonly string[];
  from: { segment: string; offset: number };
  /** What it is, for messages. */
  what: string;
}

/** A checkpoint record verified as a start (see `VerifiedCheckpoint.verify`), with its line. */
export interface CheckpointBase extends SpanBase {
  line: Uint8Array;
}

/** The root of the tree a non-empty frontier stands for (as `MerkleFrontier.root`, synchronously). */
function foldFrontier(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHashSync(hashes[i]!, acc);
  return acc;
}

/** Whether two frontiers (hex) are the same. */
export function sameHashes(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((h, i) => h === b[i]);
}

/**
 * The checkpoint record `line` (starting at `place`) as a start, when it is
 * one later than size `after`: its seq is its size, its frontier folds to
 * the root its note states, and its note a key of `publicKeys` signed.
 * Undefined when it is not; throws when `line` is not JSON.
 */
export async function signedCheckpointAt(
  line: Uint8Array,
  place: RecordPlace,
  after: number,
  publicKeys: readonly PublicKeyEntry[],
): Promise<CheckpointBase | undefined> {
  const record = JSON.parse(new TextDecoder().decode(line)) as Record<string, unknown>;
  const { seq, size, note, frontier } = record;
  if (
    record["type"] !== "checkpoint" || typeof size !== "number" || size <= 0 || seq !== size ||
    typeof note !== "string" || !isFrontierOf(size, frontier) || size <= after
  ) {
    return undefined;
  }
  const opened = await openNote(note, verifiersOf(publicKeys));
  if (opened === undefined || opened.verified.length === 0) return undefined;
  const body = parseCheckpoint(opened.text);
  if (body === undefined || body.size !== size) return undefined;
  if (!bytesEqual(foldFrontier(frontier.map((h) => fromHex(h)!)), body.root)) return undefined;
  return {
    size,
    frontier,
    from: { segment: place.segment, offset: place.offset },
    line: line.slice(),
    what: `the signed checkpoint of size ${size}`,
  };
}
