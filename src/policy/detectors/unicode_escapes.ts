/**
 * A text's `\uXXXX` escapes written out as text (`\u0067\u0068\u0070\u005f…`
 * outside any JSON string, where no parser decodes them) read as the
 * characters they stand for, as a JavaScript, Java, Python, C or JSON
 * reader of that text would: `\u` and exactly four hex digits, `\U` and
 * exactly eight (Python, C), or `\u{…}` with one to six (JavaScript), in
 * either case, up to U+10FFFF; surrogate pairs written as two escapes
 * become one character. Decoded again while a level decoded something and
 * left an escape (`\u005cu0067` is `\u0067` is `g`), up to
 * {@linkcode MAX_UNICODE_LEVELS} times. Pure; costs a substring check when
 * the text holds no `\u` or `\U`.
 *
 * @example
 * ```ts
 * unicodeEscapesDecoded("key=\\u0067hp_x"); // "key=ghp_x"
 * unicodeEscapesDecoded("\\U00000067\\u{68}p"); // "ghp"
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

/** Whether `text` holds a `\u` or a `\U`, which every escape read here starts with. */
export function holdsUnicodeMark(text: string): boolean {
  return text.indexOf("\\u") !== -1 || text.indexOf("\\U") !== -1;
}

/**
 * `text` with its escapes decoded, again while a level decoded one and
 * left a `\u` or `\U`, up to {@linkcode MAX_UNICODE_LEVELS} times;
 * `undefined` when it holds no escape.
 */
export function unicodeEscapesDecoded(text: string): string | undefined {
  if (!holdsUnicodeMark(text)) return undefined;
  let out: string | undefined;
  for (let level = 0; level < MAX_UNICODE_LEVELS; level++) {
    const next = decodeLevel(out ?? text);
    if (next === undefined) break;
    out = next;
    if (!holdsUnicodeMark(out)) break;
  }
  return out;
}

/**
 * Whether a reading {@linkcode unicodeEscapesDecoded} made still holds an
 * escape: it stopped at {@linkcode MAX_UNICODE_LEVELS} with more to decode.
 */
export function leftUnicodeEscaped(reading: string): boolean {
  for (let at = reading.indexOf("\\"); at !== -1; at = reading.indexOf("\\", at + 1)) {
    if (escapeAt(reading, at) >= 0) return true;
  }
  return false;
}

/**
 * The escape at `at` (`\uXXXX`, `\UXXXXXXXX` or `\u{X…}`) as its code
 * point times 16 plus its length, or -1 when there is none.
 */
function escapeAt(text: string, at: number): number {
  const mark = text.charCodeAt(at + 1);
  if (text.charCodeAt(at) !== 92 || (mark !== 117 && mark !== 85)) return -1;
  const braced = mark === 117 && text.charCodeAt(at + 2) === 123;
  const from = braced ? at + 3 : at + 2;
  // Braces hold 1 to 6 digits; `\U` is followed by 8, `\u` by 4.
  const most = braced ? 6 : mark === 85 ? 8 : 4;
  let value = 0;
  let i = from;
  for (; i < from + most && i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? HEX[code]! : -1;
    if (digit < 0) break;
    value = value * 16 + digit;
  }
  if (braced ? i === from || text.charCodeAt(i) !== 125 : i !== from + most) return -1;
  if (value > 0x10ffff) return -1;
  return value * 16 + (braced ? i + 1 : i) - at;
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
      if (escapeAt(text, at + 1) >= 0) escapes++;
      out += text.slice(done, at + 1);
      done = at + 2;
      at++;
      continue;
    }
    if (code !== 117 && code !== 85) continue;
    const escape = escapeAt(text, at);
    if (escape < 0) continue;
    const value = Math.floor(escape / 16);
    out += text.slice(done, at) +
      (value > 0xffff ? String.fromCodePoint(value) : String.fromCharCode(value));
    escapes++;
    done = at + (escape % 16);
    at = done - 1;
  }
  return escapes === 0 ? undefined : out + text.slice(done);
}
