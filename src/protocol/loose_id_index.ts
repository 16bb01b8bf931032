/**
 * Which ids in use a peer that matches ids loosely takes for one another
 * (`2`, `"2"`, `"2.0"`: one loose key, see `looseKeyOf`), found in constant
 * time: each id key in use is counted under its loose key, as it comes and
 * goes, so finding another id under the same loose key never walks the ids
 * in use. Only keys that can have such a twin are counted (numbers, and
 * strings that read as one); any other string is its only spelling. Pure.
 *
 * @example
 * ```ts
 * const index = new LooseIdIndex();
 * index.add("n:2");
 * index.twinOf("s:2.0"); // "n:2"
 * index.twinOf("n:2");   // undefined: no other id reads as 2
 * ```
 */
import { looseKeyOf } from "./id_spellings.ts";

/** Id keys in use, counted by key under their loose key. */
export class LooseIdIndex {
  readonly #byLoose = new Map<string, Map<string, number>>();

  /** An id key comes into use (once more, when it already is). */
  add(key: string): void {
    const loose = twinnable(key);
    if (loose === undefined) return;
    let keys = this.#byLoose.get(loose);
    if (keys === undefined) {
      keys = new Map();
      this.#byLoose.set(loose, keys);
    }
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }

  /** An id key goes out of use once (a key not in use is ignored). */
  delete(key: string): void {
    const loose = twinnable(key);
    if (loose === undefined) return;
    const keys = this.#byLoose.get(loose);
    const count = keys?.get(key);
    if (keys === undefined || count === undefined) return;
    if (count > 1) {
      keys.set(key, count - 1);
    } else {
      keys.delete(key);
      if (keys.size === 0) this.#byLoose.delete(loose);
    }
  }

  /**
   * An id key in use other than `key` under `key`'s loose key, the first for
   * which `accept` (when given) holds; undefined when there is none. Walks
   * only the keys that share that loose key.
   */
  twinOf(key: string, accept?: (other: string) => boolean): string | undefined {
    const loose = twinnable(key);
    const keys = loose === undefined ? undefined : this.#byLoose.get(loose);
    if (keys === undefined) return undefined;
    for (const other of keys.keys()) {
      if (other !== key && (accept === undefined || accept(other))) return other;
    }
    return undefined;
  }

  /** Forgets every key. */
  clear(): void {
    this.#byLoose.clear();
  }
}

/**
 * A map by id key whose keys are counted in a {@linkcode LooseIdIndex} while
 * they are in it, once the index is switched on ({@linkcode indexing}): a
 * session whose client never used a string id that reads as a number pays
 * nothing for it. Every way in and out (`set`, `delete`, `clear`) keeps the
 * count.
 *
 * @example
 * ```ts
 * const pending = new LooseIndexedMap<string>(new LooseIdIndex());
 * pending.set("n:2", "ping");
 * pending.indexing = true;
 * pending.index.twinOf("s:2"); // "n:2"
 * ```
 */
export class LooseIndexedMap<V> extends Map<string, V> {
  /** The index the map's keys are counted in (one index may count several maps). */
  readonly index: LooseIdIndex;
  #indexing = false;

  constructor(index: LooseIdIndex) {
    super();
    this.index = index;
  }

  /** Whether the keys are counted; switched on, it counts the keys already in. */
  get indexing(): boolean {
    return this.#indexing;
  }

  set indexing(on: boolean) {
    if (on === this.#indexing) return;
    this.#indexing = on;
    for (const key of super.keys()) {
      if (on) this.index.add(key);
      else this.index.delete(key);
    }
  }

  override set(key: string, value: V): this {
    if (this.#indexing && !super.has(key)) this.index.add(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted && this.#indexing) this.index.delete(key);
    return deleted;
  }

  override clear(): void {
    if (this.#indexing) { for (const key of super.keys()) this.index.delete(key); }
    super.clear();
  }
}

/** `key`'s loose key when another key may share it (a number, a numeric string), else undefined. */
function twinnable(key: string): string | undefined {
  const loose = looseKeyOf(key);
  return loose === key && !key.startsWith("n:") ? undefined : loose;
}
