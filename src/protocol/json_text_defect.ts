/**
 * What makes a line of JSON text one the relay refuses even though
 * `JSON.parse` reads it: a NUL character in a string (C-based servers cut the
 * string there), a number too large for any double (read as Infinity, so
 * `max` rules see another value than a server with big numbers does), or a
 * key twice in one object (parsers disagree on which one wins, so the policy
 * could judge another value than the server uses). Shared by the relay and
 * `policy explain`, which must refuse the same arguments in the same words.
 * Pure.
 *
 * @example
 * ```ts
 * jsonTextDefect('{"a":1,"a":2}'); // 'the key "a" twice in one object'
 * jsonTextDefect('{"a":1}'); // undefined
 * ```
 */
import { duplicateKey } from "./duplicate_key.ts";
import { hasEscapedNul } from "./escaped_nul.ts";
import { hasOverflowingNumber } from "./overflowing_number.ts";

/** The defect of `text` (valid JSON) in words, or undefined when there is none. */
export function jsonTextDefect(text: string): string | undefined {
  if (hasEscapedNul(text)) return "a NUL character (\\u0000) in a string";
  if (hasOverflowingNumber(text)) return "a number too large for any double (such as 1e400)";
  const key = duplicateKey(text);
  if (key === undefined) return undefined;
  // A key can be data (an address, an identifier): it is named only when it looks like a name.
  return /^[A-Za-z_$][\w$-]{0,39}$/.test(key)
    ? `the key ${JSON.stringify(key)} twice in one object`
    : "a key twice in one object";
}
