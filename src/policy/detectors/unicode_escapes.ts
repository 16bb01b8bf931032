/**
 * A text's `\uXXXX` escapes written out as text (`\u0067\u0068\u0070\u005f…`
 * outside any JSON string, where no parser decodes them) read as the
 * characters they stand for, as a JavaScript, Java, Python or JSON reader
 * of that text would: `\u` and exactly four hex digits, in either case;
 * surrogate pairs written as two escapes become one character. Decoded
 * again while a level decoded something and left an escape (`\u005cu0067`
 * is `\u0067` is `g`), up to {@linkcode MAX_UNICODE_LEVELS} times. Pure;
 * costs a substring check when the text holds no `\u`.
 *
 * @example
 * ```ts
 * unicodeEscapesDecoded("key=\\u0067hp_x"); // "key=ghp_x"
 * unicodeEscapesDecoded("C:\\users\\ana"); // undefined (no escape)
 * leftUnicodeEscaped("\\u0041"); // true
 * ```
 */

/** How many times escapes are decoded at most. */
export const MAX_UNICODE_LEVELS = 4;

/** Each hexadecimal digit's value; -1 for any other character. */
const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[65 + i] = table[97 + i] = 10 + i;
  return table;
})();

/**
 * `text` with its `\uXXXX` escapes decoded, again while a level decoded one
 * and left a `\u`, up to {@linkcode MAX_UNICODE_LEVELS} times; `undefined`
 * when it holds no escape.
 */
export function unicodeEscapesDecoded(text: string): string | undefined {
  if (text.indexOf("\\u") === -1) return undefined;
  let out: string | undefined;
  for (let level = 0; level < MAX_UNICODE_LEVELS; level++) {
    const next = decodeLevel(out ?? text);
    if (next === undefined) break;
    out = next;
    if (out.indexOf("\\u") === -1) break;
  }
  return out;
}

/**
 * Whether a reading {@linkcode unicodeEscapesDecoded} made still holds an
 * escape: it stopped at {@linkcode MAX_UNICODE_LEVELS} with more to decode.
 */
export function leftUnicodeEscaped(reading: string): boolean {
  for (let at = reading.indexOf("\\u"); at !== -1; at = reading.indexOf("\\u", at + 1)) {
    if (escapeAt(reading, at) >= 0) return true;
  }
  return false;
}

/** The value of the escape `\uXXXX` at `at`, or -1 when there is none. */
function escapeAt(text: string, at: number): number {
  if (at + 6 > text.length) return -1;
  let value = 0;
  for (let i = at + 2; i < at + 6; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? HEX[code]! : -1;
    if (digit < 0) return -1;
    value = (value << 4) | digit;
  }
  return value;
}

/**
 * `text` with each escape decoded once, and each escaped backslash (`\\`)
 * as one backslash, as the same reader reads it (`\\u0067`, an escape
 * written in a string that is itself escaped, is `\u0067`); `undefined`
 * when it has no escape, escaped or not.
 */
function decodeLevel(text: string): string | undefined {
  let out = "";
  let done = 0;
  let escapes = 0;
  for (let at = text.indexOf("\\"); at !== -1; at = text.indexOf("\\", at + 1)) {
    const code = text.charCodeAt(at + 1);
    if (code === 92) {
      // An escaped backslash: before an escape, one level of it.
      if (text.charCodeAt(at + 2) === 117 && escapeAt(text, at + 1) >= 0) escapes++;
      out += text.slice(done, at + 1);
      done = at + 2;
      at++;
      continue;
    }
    if (code !== 117) continue;
    const value = escapeAt(text, at);
    if (value < 0) continue;
    out += text.slice(done, at) + String.fromCharCode(value);
    escapes++;
    done = at + 6;
    at += 5;
  }
  return escapes === 0 ? undefined : out + text.slice(done);
}
