/**
 * An incremental RFC 6962 Merkle tree: the "frontier" (compact range) keeps
 * only the roots of the perfect subtrees that make up the first `size`
 * leaves, one per set bit of `size`, so an append costs on average one node
 * hash and the root is at most log2(size) hashes away. Pure.
 *
 * @example
 * ```ts
 * const tree = new MerkleFrontier();
 * await tree.append(await leafHash(new Uint8Array([0])));
 * const root = await tree.root();
 * ```
 */
import { emptyTreeHash, HASH_SIZE, nodeHashSync } from "./merkle_hash.ts";

/** A compact Merkle range over the leaves `[0, size)`. */
export class MerkleFrontier {
  #size: number;
  /**
   * The subtree roots from the largest (leftmost) to the smallest, 32 bytes
   * each, in one array: an append hashes into it in place instead of
   * allocating a digest per node (each new array costs the runtime about
   * half a microsecond, more than a small hash's bookkeeping).
   */
  readonly #store = new Uint8Array((MAX_HASHES + 1) * HASH_SIZE);
  #count: number;

  /**
   * Starts from a saved frontier: `hashes` are the perfect subtree roots of
   * `[0, size)`, largest first (empty for a new tree).
   */
  constructor(size = 0, hashes: readonly Uint8Array[] = []) {
    if (!Number.isSafeInteger(size) || size < 0 || popCount(size) !== hashes.length) {
      throw new RangeError(`a frontier of size ${size} needs ${popCount(size)} hashes`);
    }
    for (const [i, hash] of hashes.entries()) {
      if (hash.length !== HASH_SIZE) {
        throw new RangeError(`frontier hash ${i} has ${hash.length} bytes, not ${HASH_SIZE}`);
      }
      this.#store.set(hash, i * HASH_SIZE);
    }
    this.#size = size;
    this.#count = hashes.length;
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** The subtree roots, largest first (copies). */
  get hashes(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < this.#count; i++) out.push(this.#slot(i).slice());
    return out;
  }

  /** Appends one leaf hash. */
  append(leaf: Uint8Array): Promise<void> {
    this.appendSync(leaf);
    return Promise.resolve();
  }

  /** {@linkcode append}, synchronously. The leaf is copied; the caller may reuse its array. */
  appendSync(leaf: Uint8Array): void {
    if (leaf.length !== HASH_SIZE) {
      throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes, not ${leaf.length}`);
    }
    let top = this.#count;
    this.#store.set(leaf, top * HASH_SIZE);
    let size = this.#size;
    while (size & 1) {
      // The carry (slot top) merges into its left sibling (slot top - 1), in place.
      const left = this.#slot(top - 1);
      nodeHashSync(left, this.#slot(top), left);
      top -= 1;
      size = Math.floor(size / 2);
    }
    this.#count = top + 1;
    this.#size += 1;
  }

  /** The Merkle Tree Hash of the leaves so far. */
  async root(): Promise<Uint8Array> {
    if (this.#count === 0) return await emptyTreeHash();
    let acc: Uint8Array = this.#slot(this.#count - 1).slice();
    for (let i = this.#count - 2; i >= 0; i--) {
      acc = nodeHashSync(this.#slot(i), acc);
    }
    return acc;
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, this.hashes);
  }

  #slot(i: number): Uint8Array {
    return this.#store.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}

/** A safe-integer size has at most 53 set bits, so at most 53 subtree roots. */
const MAX_HASHES = 53;

/** How many subtree roots a frontier over `size` leaves has: one per set bit of `size`. */
export function frontierLength(size: number): number {
  return popCount(size);
}

/**
 * Whether `frontier` has the shape of a saved frontier (hex) of `size`
 * leaves: one 64-digit lowercase hex hash per set bit of `size`.
 *
 * @example
 * ```ts
 * isFrontierOf(3, ["ab".repeat(32), "cd".repeat(32)]); // true
 * ```
 */
export function isFrontierOf(size: number, frontier: unknown): frontier is string[] {
  return Number.isSafeInteger(size) && size >= 0 && Array.isArray(frontier) &&
    frontier.length === popCount(size) &&
    frontier.every((h) => typeof h === "string" && /^[0-9a-f]{64}$/.test(h));
}

function popCount(n: number): number {
  let count = 0;
  while (n > 0) {
    count += n % 2;
    n = Math.floor(n / 2);
  }
  return count;
}
