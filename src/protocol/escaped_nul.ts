/**
 * Finds a NUL character written into a JSON string (`\u0000`). JSON allows
 * it, and thoth reads `"method\u0000"` as a key of its own and
 * `"/etc/shadow\u0000.txt"` as a path that ends in `.txt`. A server whose
 * parser keeps strings as C strings cuts both at the NUL: the key becomes a
 * second `method` (a tool call where thoth saw a ping), the path becomes
 * `/etc/shadow`. So a client line with one is refused (see
 * `relay_session.ts`). A raw NUL byte cannot stand in a JSON string, so the
 * escape is the only spelling. Pure.
 *
 * @example
 * ```ts
 * hasEscapedNul('{"method\\u0000":"tools/call"}'); // true
 * hasEscapedNul('{"text":"a backslash and u0000: \\\\u0000"}'); // false: an escaped backslash
 * ```
 */

const ESCAPE = "\\u0000";
const BACKSLASH = 0x5c;

/** Whether `text` (valid JSON) holds a string with a NUL character in it. */
export function hasEscapedNul(text: string): boolean {
  for (let at = text.indexOf(ESCAPE); at !== -1; at = text.indexOf(ESCAPE, at + 1)) {
    // The backslash starts an escape when the run of backslashes it ends is odd.
    let run = 1;
    while (text.charCodeAt(at - run) === BACKSLASH) run++;
    if (run % 2 === 1) return true;
  }
  return false;
}
