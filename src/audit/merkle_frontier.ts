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
import { emptyTreeHash, nodeHashSync } from "./merkle_hash.ts";

/** A compact Merkle range over the leaves `[0, size)`. */
export class MerkleFrontier {
  #size: number;
  /** Subtree roots from the largest (leftmost) to the smallest. */
  #hashes: Uint8Array[];

  /**
   * Starts from a saved frontier: `hashes` are the perfect subtree roots of
   * `[0, size)`, largest first (empty for a new tree).
   */
  constructor(size = 0, hashes: readonly Uint8Array[] = []) {
    if (!Number.isSafeInteger(size) || size < 0 || popCount(size) !== hashes.length) {
      throw new RangeError(`a frontier of size ${size} needs ${popCount(size)} hashes`);
    }
    this.#size = size;
    this.#hashes = [...hashes];
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** The subtree roots, largest first (a copy). */
  get hashes(): Uint8Array[] {
    return [...this.#hashes];
  }

  /** Appends one leaf hash. */
  append(leaf: Uint8Array): Promise<void> {
    this.appendSync(leaf);
    return Promise.resolve();
  }

  /** {@linkcode append}, synchronously. */
  appendSync(leaf: Uint8Array): void {
    let carry = leaf;
    let size = this.#size;
    while (size & 1) {
      const left = this.#hashes.pop()!;
      carry = nodeHashSync(left, carry);
      size = Math.floor(size / 2);
    }
    this.#hashes.push(carry);
    this.#size += 1;
  }

  /** The Merkle Tree Hash of the leaves so far. */
  async root(): Promise<Uint8Array> {
    if (this.#hashes.length === 0) return await emptyTreeHash();
    let acc = this.#hashes[this.#hashes.length - 1]!;
    for (let i = this.#hashes.length - 2; i >= 0; i--) {
      acc = nodeHashSync(this.#hashes[i]!, acc);
    }
    return acc;
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, this.#hashes);
  }
}

function popCount(n: number): number {
  let count = 0;
  while (n > 0) {
    count += n % 2;
    n = Math.floor(n / 2);
  }
  return count;
}
