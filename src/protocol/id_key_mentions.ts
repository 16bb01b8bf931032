/**
 * How many times the bytes of a line could spell the keys a line too long to
 * parse whole is routed on. `id`: the exact four bytes `"id"`, plus two for
 * every `\u0069` or `\u0064` escape (a key written `"\u0069d"` is `id` to a
 * JSON parser). `method`: the exact bytes `"method"` followed by a colon
 * (whitespace between, or the end of a part, counts too), plus one for every
 * escape of one of its letters (`\u006d`, `\u0065`, `\u0074`, `\u0068`,
 * `\u006f`, `\u0064`, in either case). A large line is relayed as the answer
 * its first bytes show only when `id` is 1 and `method` is 0: a second `id`
 * anywhere in it, even in bytes thoth never reads as JSON, could be the one
 * the client's parser keeps (the last of duplicate keys wins), and a
 * `method` makes the line a request to the client, not an answer. `variant`:
 * whether the line may hold a key that differs from a JSON-RPC key only by
 * case (`"ID"`, `"Result"`; an escape of an ASCII letter or of `ſ`, which Go
 * folds to `s`), which a client that folds key case reads as that key.
 * Counting errs high, never low: a key inside a string counts too, and such a
 * line is then parsed whole. Pure; one pass over the bytes, across the parts
 * they arrived in.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('{"id":3,"result":{},"id":2}');
 * idKeyMentions([bytes]); // 2
 * keyMentions([bytes]);   // { id: 2, method: 0, variant: false }
 * ```
 */

import { ENVELOPE_KEYS } from "./key_case.ts";

/** Bytes to text one for one: the bytes searched for are ASCII, which no UTF-8 sequence holds. */
const latin1 = new TextDecoder("latin1");
const ID = '"id"';
const METHOD = '"method"';
const ESCAPE = "\\u00";
/** The two hex digits after {@linkcode ESCAPE} that spell a letter of `id`. */
const ID_LETTERS = new Set(["69", "64"]);
/** The two hex digits after {@linkcode ESCAPE} that spell a letter of `method` (either case). */
const METHOD_LETTERS = new Set(["6d", "65", "74", "68", "6f", "64", "6D", "6F"]);
/** `[iI][dD]` for `id`: a word in either case of each letter, as a pattern. */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c}${c.toUpperCase()}]`).join("");
}
/**
 * What could be a key that differs from a JSON-RPC key only by case: the key
 * in quotes in any case but its own, or an escape of an ASCII letter
 * (`"\u0049D"` is `"ID"`) or of `ſ`.
 */
const KEY_VARIANT = new RegExp(
  `"(?!(?:${ENVELOPE_KEYS.join("|")})")(?:${ENVELOPE_KEYS.map(anyCase).join("|")})"` +
    String.raw`|\u00[4-7][0-9a-fA-F]|\u017[fF]`,
);
/** `ſ` in UTF-8, read one byte to a character. */
const LONG_S = "\xc5\xbf";
/** The end of one part kept to find a match that spans two: shorter than any pattern. */
const CARRY = '"jsonrpc"'.length - 1;

/** The possible `id` and `method` keys in a line (see the module doc). */
export interface KeyMentions {
  id: number;
  method: number;
  /** Whether a key differing from a JSON-RPC key only by case may be in it. */
  variant: boolean;
}

/** Counts the possible `id` and `method` keys in `parts` (see the module doc). */
export function keyMentions(parts: readonly Uint8Array[]): KeyMentions {
  let id = 0;
  let method = 0;
  let variant = false;
  let carry = "";
  for (const part of parts) {
    // Native substring search over each part: about a millisecond per MiB.
    const text = carry + latin1.decode(part);
    const from = carry.length;
    if (!variant) variant = text.includes(LONG_S) || KEY_VARIANT.test(text);
    // A match wholly inside the carry was counted with the part before.
    for (let at = text.indexOf(ID); at !== -1; at = text.indexOf(ID, at + 1)) {
      if (at + ID.length > from) id++;
    }
    for (let at = text.indexOf(METHOD); at !== -1; at = text.indexOf(METHOD, at + 1)) {
      if (at + METHOD.length > from && keyLooking(text, at + METHOD.length)) method++;
    }
    for (let at = text.indexOf(ESCAPE); at !== -1; at = text.indexOf(ESCAPE, at + 1)) {
      const end = at + ESCAPE.length + 2;
      if (end <= from || end > text.length) continue;
      const digits = text.slice(at + ESCAPE.length, end);
      if (ID_LETTERS.has(digits)) id += 2;
      if (METHOD_LETTERS.has(digits)) method++;
    }
    carry = text.slice(-CARRY);
  }
  return { id, method, variant };
}

/** The count of possible `id` keys in `parts` (see the module doc). */
export function idKeyMentions(parts: readonly Uint8Array[]): number {
  return keyMentions(parts).id;
}

/** Whether a colon follows at `at`, after any whitespace; true at the end of `text` (unknown). */
function keyLooking(text: string, at: number): boolean {
  for (; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x3a) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}
