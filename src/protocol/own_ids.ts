/**
 * The ids of thoth's own requests: `thoth-<nonce>-…`, with one random nonce
 * for the requests it sends the client (approval forms) and another for those
 * it sends the server (its own `tools/list`), so that what the server sees
 * tells it nothing of the ids the client sees. {@linkcode underOwnPrefix}
 * tells whether an id a peer wrote is one of thoth's, or would pass for one
 * with a peer that compares ids loosely: case, surrounding or inner white
 * space, invisible format characters and compatibility forms (a fullwidth
 * `ｔｈｏｔｈ`) are not told apart. No number reads as one of these ids (they
 * are never numeric text, see `id_spellings.ts`), so only strings can be.
 *
 * @example
 * ```ts
 * const prefixes = [ownIdPrefix("5f0c"), ownIdPrefix("a91e")];
 * underOwnPrefix("thoth-5f0c-3", prefixes); // true
 * underOwnPrefix(" THOTH-5f0c-3", prefixes); // true
 * underOwnPrefix("thoth-approval", prefixes); // false
 * underOwnPrefix(3, prefixes); // false
 * ```
 */

/** The prefix of the ids thoth sends requests under with `nonce`. */
export function ownIdPrefix(nonce: string): string {
  return `thoth-${nonce}-`;
}

/**
 * A fresh random nonce for {@linkcode ownIdPrefix}: 16 hex digits (64 bits)
 * from the system's secure random source, never derived from another.
 *
 * @example
 * ```ts
 * newIdNonce(); // "3f9a0c51d2e47b86"
 * ```
 */
export function newIdNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether `id` is, or would pass for, an id under one of `prefixes`: a string
 * that holds one of them anywhere once read loosely (see the module doc).
 */
export function underOwnPrefix(id: unknown, prefixes: readonly string[]): boolean {
  if (typeof id !== "string") return false;
  const text = looseText(id);
  return prefixes.some((prefix) => text.includes(looseText(prefix)));
}

/** An id as a loose peer may compare it: compatibility forms folded, no spaces or format characters, lower case. */
function looseText(text: string): string {
  return text.normalize("NFKC").replace(/[\s\p{Cc}\p{Cf}]/gu, "").toLowerCase();
}
