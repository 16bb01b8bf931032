/**
 * What a `tools_snapshot` record holds of one `tools/list` answer, made a
 * tool at a time: a SHA-256 digest per tool definition (of its canonical
 * JSON), one root digest over them all, and the entries themselves only up
 * to a bound ({@linkcode SNAPSHOT_MAX_TOOLS} tools, about
 * {@linkcode SNAPSHOT_MAX_BYTES} bytes), so a listing of a million tools
 * makes a record of the same size as one of ten thousand.
 *
 * The root is the RFC 6962 Merkle tree hash (hex) over the tools in the
 * order listed, each leaf the canonical JSON of the tool's entry as the
 * record writes it: `{"digest":"…","name":"…"}`, or
 * `{"name":"…","undigested":true}` for a definition nested too deep to
 * digest. Two listings with the same root list the same definitions in the
 * same order, so the relay compares roots to leave out a listing it recorded
 * last, and a reader can compare them across records and sessions. Only the
 * frontier of the tree is kept (at most 53 hashes): the digesting holds no
 * copy of the listing. Pure.
 *
 * @example
 * ```ts
 * const digest = new ToolsListingDigest();
 * for (const definition of definitions) digest.add(definition);
 * const { root, count, tools, partial } = await digest.finish();
 * ```
 */
import { canonicalJson } from "./canonical_json.ts";
import { toHex } from "./encoding.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { leafHashSync } from "./merkle_hash.ts";
import { sha256 } from "./sha256.ts";

/** The most tool entries a `tools_snapshot` record lists; past it, it says `partial`. */
export const SNAPSHOT_MAX_TOOLS = 10_000;

/** About the most bytes of tool entries a `tools_snapshot` record holds (1 MiB). */
export const SNAPSHOT_MAX_BYTES = 1024 * 1024;

/** A listing as a `tools_snapshot` record keeps it. */
export interface ToolsListing {
  /** The Merkle tree hash (hex) over every named tool listed (see the module's comment). */
  root: string;
  /** How many named tools were listed (a definition without a string name is left out). */
  count: number;
  /** The first tools' names and digests, as many as the bounds allow. */
  tools: { name: string; digest: string }[];
  /** The first of the tools that could not be digested, within the same bounds. */
  undigested: string[];
  /** How many tools could not be digested, all told. */
  undigestedCount: number;
  /** The first reason a definition could not be digested, when one could not. */
  why: unknown;
  /** Whether `tools` and `undigested` hold only the first of the listed tools. */
  partial: boolean;
}

const encoder = new TextEncoder();

/** Digests a listing one definition at a time, keeping only what its record holds. */
export class ToolsListingDigest {
  readonly #tree = new MerkleFrontier();
  readonly #tools: { name: string; digest: string }[] = [];
  readonly #undigested: string[] = [];
  #undigestedCount = 0;
  #why: unknown;
  #kept = 0;
  #bytes = 0;
  #partial = false;

  /**
   * Adds one listed definition; one without a string `name` is no tool and
   * is left out. Returns about how much work it was (characters hashed), so
   * a caller can yield to other work now and then.
   */
  add(definition: unknown): number {
    const name = (definition as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return 0;
    let text: string | undefined;
    try {
      text = canonicalJson(definition);
    } catch (error) {
      this.#why ??= error;
    }
    const digest = text === undefined ? undefined : toHex(sha256(encoder.encode(text)));
    const leaf = encoder.encode(
      canonicalJson(digest === undefined ? { name, undigested: true } : { digest, name }),
    );
    this.#tree.appendSync(leafHashSync(leaf));
    if (digest === undefined) this.#undigestedCount += 1;
    this.#keep(name, digest, leaf.length);
    return (text?.length ?? 0) + leaf.length;
  }

  /** The listing as its record keeps it. */
  async finish(): Promise<ToolsListing> {
    return {
      root: toHex(await this.#tree.root()),
      count: this.#tree.size,
      tools: this.#tools,
      undigested: this.#undigested,
      undigestedCount: this.#undigestedCount,
      why: this.#why,
      partial: this.#partial,
    };
  }

  /** Keeps an entry while the bounds allow; past them, none after it either. */
  #keep(name: string, digest: string | undefined, bytes: number): void {
    if (this.#partial) return;
    if (this.#kept >= SNAPSHOT_MAX_TOOLS || this.#bytes + bytes + 1 > SNAPSHOT_MAX_BYTES) {
      this.#partial = true;
      return;
    }
    this.#kept += 1;
    this.#bytes += bytes + 1;
    if (digest === undefined) this.#undigested.push(name);
    else this.#tools.push({ name, digest });
  }
}
