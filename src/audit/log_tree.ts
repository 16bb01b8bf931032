/**
 * The Merkle tree over a log's first records: each stored line's RFC 6962
 * leaf hash, hashed in batches (a million records are never a million
 * pending hashes at once) into one flat array, then the tree's levels.
 *
 * @example
 * ```ts
 * const tree = await logTree(await readLogLines(dir), 8);
 * await tree.root(8); // the root a checkpoint at size 8 signs
 * ```
 */
import { HASH_SIZE, leafHash } from "./merkle_hash.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import type { LogLine } from "./read_records.ts";

/** How many lines are hashed at a time. */
const BATCH = 256;

/** The tree over the first `size` of `lines` (no more than it holds). */
export async function logTree(lines: readonly LogLine[], size: number): Promise<MerkleLevels> {
  const count = Math.min(size, lines.length);
  const leaves = new Uint8Array(count * HASH_SIZE);
  for (let i = 0; i < count; i += BATCH) {
    const batch = lines.slice(i, Math.min(count, i + BATCH));
    const hashes = await Promise.all(batch.map((line) => leafHash(line.bytes)));
    hashes.forEach((hash, j) => leaves.set(hash, (i + j) * HASH_SIZE));
  }
  return await MerkleLevels.build(leaves);
}
