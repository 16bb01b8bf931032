/**
 * A whole RFC 6962 Merkle tree held level by level (every perfect subtree),
 * built with batched hashing so that a million leaves hash in seconds. From
 * it: the root at any size, the frontier at any size, and RFC 6962 inclusion
 * (PATH) and consistency (PROOF) proofs. Pure.
 *
 * @example
 * ```ts
 * const tree = await MerkleLevels.build(leafHashes);
 * const root = await tree.root(tree.size);
 * const proof = await tree.inclusionProof(3, tree.size);
 * ```
 */
import { emptyTreeHash, HASH_SIZE, nodeHashSync } from "./merkle_hash.ts";

/** Every perfect subtree root of a tree, by level (level 0 = the leaves). */
export class MerkleLevels {
  readonly #levels: Uint8Array[];
  readonly size: number;

  private constructor(levels: Uint8Array[], size: number) {
    this.#levels = levels;
    this.size = size;
  }

  /**
   * Builds the levels over `leaves`: either an array of 32-byte hashes or one
   * buffer of concatenated hashes.
   */
  // deno-lint-ignore require-await -- the API stays async; hashing is synchronous
  static async build(leaves: readonly Uint8Array[] | Uint8Array): Promise<MerkleLevels> {
    let level: Uint8Array;
    if (leaves instanceof Uint8Array) {
      level = leaves;
    } else {
      level = new Uint8Array(leaves.length * HASH_SIZE);
      leaves.forEach((leaf, i) => level.set(leaf, i * HASH_SIZE));
    }
    const size = level.length / HASH_SIZE;
    const levels = [level];
    while (level.length / HASH_SIZE >= 2) {
      const count = Math.floor(level.length / HASH_SIZE / 2);
      const next = new Uint8Array(count * HASH_SIZE);
      for (let i = 0; i < count; i++) {
        const left = level.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE);
        const right = level.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE);
        next.set(nodeHashSync(left, right), i * HASH_SIZE);
      }
      levels.push(next);
      level = next;
    }
    return new MerkleLevels(levels, size);
  }

  /** The root of the perfect subtree at `level` and `index`. */
  node(level: number, index: number): Uint8Array {
    const row = this.#levels[level];
    if (row === undefined || (index + 1) * HASH_SIZE > row.length || index < 0) {
      throw new RangeError(`no node at level ${level} index ${index}`);
    }
    return row.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    return this.node(0, index);
  }

  /**
   * The perfect subtree roots that make up `[0, n)`, largest first: the
   * frontier an incremental writer keeps.
   */
  frontier(n: number): Uint8Array[] {
    this.#checkSize(n);
    const out: Uint8Array[] = [];
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (Math.floor(n / width) % 2 === 1) out.push(this.node(level, Math.floor(n / width) - 1));
    }
    return out;
  }

  /** The Merkle Tree Hash of the first `n` leaves. */
  async root(n: number): Promise<Uint8Array> {
    if (n === 0) return await emptyTreeHash();
    return await this.#rangeHash(0, n);
  }

  /** RFC 6962 PATH(m, D[n]): the audit path of leaf `m` in the tree of size `n`. */
  async inclusionProof(m: number, n: number): Promise<Uint8Array[]> {
    this.#checkSize(n);
    if (!Number.isSafeInteger(m) || m < 0 || m >= n) {
      throw new RangeError(`leaf ${m} is not in a tree of size ${n}`);
    }
    return await this.#path(m, 0, n);
  }

  /** RFC 6962 PROOF(m, D[n]): the consistency proof from size `m` to size `n`. */
  async consistencyProof(m: number, n: number): Promise<Uint8Array[]> {
    this.#checkSize(n);
    if (!Number.isSafeInteger(m) || m < 1 || m > n) {
      throw new RangeError(`no consistency proof from size ${m} to size ${n}`);
    }
    return await this.#subproof(m, 0, n, true);
  }

  async #path(m: number, lo: number, hi: number): Promise<Uint8Array[]> {
    if (hi - lo === 1) return [];
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m - lo < k) return [...await this.#path(m, lo, lo + k), await this.#rangeHash(lo + k, hi)];
    return [...await this.#path(m, lo + k, hi), await this.#rangeHash(lo, lo + k)];
  }

  async #subproof(m: number, lo: number, hi: number, complete: boolean): Promise<Uint8Array[]> {
    const n = hi - lo;
    if (m === n) return complete ? [] : [await this.#rangeHash(lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      return [...await this.#subproof(m, lo, lo + k, complete), await this.#rangeHash(lo + k, hi)];
    }
    return [...await this.#subproof(m - k, lo + k, hi, false), await this.#rangeHash(lo, lo + k)];
  }

  /**
   * MTH(D[lo:hi]) where `lo` is aligned to the subtree split (as in every
   * recursion of RFC 6962), so the range splits into stored perfect subtrees.
   */
  // deno-lint-ignore require-await -- the API stays async; hashing is synchronous
  async #rangeHash(lo: number, hi: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let start = lo;
    let remaining = hi - lo;
    while (remaining > 0) {
      let width = 1;
      while (width * 2 <= remaining) width *= 2;
      parts.push(this.node(Math.log2(width), start / width));
      start += width;
      remaining -= width;
    }
    let acc = parts[parts.length - 1]!;
    for (let i = parts.length - 2; i >= 0; i--) acc = nodeHashSync(parts[i]!, acc);
    return acc;
  }

  #checkSize(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size) {
      throw new RangeError(`tree size ${n} is outside 0..${this.size}`);
    }
  }
}

/** The largest power of two strictly less than `n` (n >= 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
