/**
 * Finds decision and approval ids recorded twice in a log, in memory that
 * stays small for a log of millions of records: each id is kept as a 64-bit
 * fingerprint and the seq it was first seen at, in typed arrays (16 bytes a
 * slot, open addressing), never as a string. Two different ids that share a
 * fingerprint (odds about n² / 2^65: 3 in 100 million for a million ids)
 * would be reported as one id recorded twice: a warning to look at, never
 * a proof of tampering. Pure.
 *
 * @example
 * ```ts
 * const ids = new RepeatedIds();
 * ids.add("decision", "d-1", 4);
 * ids.add("decision", "d-1", 9); // recorded twice: seqs 4 and 9
 * ids.count; // 1
 * ```
 */

/** What kind of record an id was recorded by. */
export type IdKind = "decision" | "approval";

/** One id recorded again, with the seq of its first record and of this one. */
export interface RepeatedId {
  kind: IdKind;
  id: string;
  firstSeq: number;
  seq: number;
}

/** How many repeats are kept by name: the rest are only counted. */
export const REPEATS_NAMED = 10;

const EMPTY = 0;

/** The table of fingerprints seen, and the repeats found. */
export class RepeatedIds {
  /** Fingerprint halves of each slot; a slot whose both halves are 0 is empty. */
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #seqs = new Float64Array(1024);
  #used = 0;
  /** The first {@linkcode REPEATS_NAMED} repeats. */
  readonly named: RepeatedId[] = [];
  /** Every repeat found. */
  count = 0;

  /**
   * Notes that a record of `kind` at `seq` carries `key` (its id, or more
   * than its id: an approval's key names the retry that carried it too),
   * named `id` in a repeat.
   */
  add(kind: IdKind, key: string, seq: number, id = key): void {
    // Two independent 32-bit hashes of the kind and the id.
    let h1 = kind === "decision" ? 0x811c9dc5 : 0x01000193;
    let h2 = kind === "decision" ? 0x9747b28c : 0x5bd1e995;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = (h1 ^ (h1 >>> 16)) >>> 0;
    h2 = (Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) ^ key.length) >>> 0;
    // A fingerprint of two zero halves would read as an empty slot.
    if (h1 === EMPTY && h2 === EMPTY) h2 = 1;
    if ((this.#used + 1) * 4 > this.#high.length * 3) this.#grow();
    const at = this.#find(h1, h2);
    if (this.#high[at] === h1 && this.#low[at] === h2) {
      this.count++;
      if (this.named.length < REPEATS_NAMED) {
        this.named.push({ kind, id, firstSeq: this.#seqs[at]!, seq });
      }
      return;
    }
    this.#high[at] = h1;
    this.#low[at] = h2;
    this.#seqs[at] = seq;
    this.#used++;
  }

  /** The slot that holds the fingerprint, or the empty one it goes in. */
  #find(h1: number, h2: number): number {
    const mask = this.#high.length - 1;
    for (let at = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;; at = (at + 1) & mask) {
      const high = this.#high[at]!;
      const low = this.#low[at]!;
      if ((high === EMPTY && low === EMPTY) || (high === h1 && low === h2)) return at;
    }
  }

  #grow(): void {
    const high = this.#high;
    const low = this.#low;
    const seqs = this.#seqs;
    this.#high = new Uint32Array(high.length * 2);
    this.#low = new Uint32Array(high.length * 2);
    this.#seqs = new Float64Array(high.length * 2);
    for (let i = 0; i < high.length; i++) {
      if (high[i] === EMPTY && low[i] === EMPTY) continue;
      const at = this.#find(high[i]!, low[i]!);
      this.#high[at] = high[i]!;
      this.#low[at] = low[i]!;
      this.#seqs[at] = seqs[i]!;
    }
  }
}
