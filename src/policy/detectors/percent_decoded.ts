/**
 * Text with its percent escapes decoded, for what a server or a person
 * decodes before use (`GITHUB_TOKEN%3Dghp_…`, `patient%20SSN%3A%20078-05-1120`,
 * a whole `.env` passed through `encodeURIComponent`), again while a level
 * decodes something, and whether a reading still holds escapes. Pure; costs
 * a substring check when there is no escape.
 *
 * @example
 * ```ts
 * percentDecoded("token%3Dghp_abc%0Ax"); // "token=ghp_abc\nx"
 * percentDecoded("12% growth"); // undefined
 * leftEscaped(percentDecoded("x%252541")!); // false (decoded to the end)
 * ```
 */
import { holdsPercentEscape } from "../percent_escape.ts";

/**
 * How many times escapes are decoded at most (`%253D` is `%3D` is `=`): a
 * level is decoded only while the one before it decoded an escape and left
 * a `%`, so text encoded once costs one pass.
 */
export const MAX_PERCENT_LEVELS = 8;
const UTF8 = new TextDecoder("utf-8");

/** Each hexadecimal digit's value; -1 for any other character. */
const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[65 + i] = table[97 + i] = 10 + i;
  return table;
})();

/** Bytes a level is decoded into, kept between calls (grown as needed, up to a bound). */
let levelBytes = new Uint8Array(4096);
const MAX_LEVEL_BYTES = 256 * 1024;

/**
 * `text` with its percent escapes decoded (as UTF-8, an invalid sequence as
 * U+FFFD), again while a level decoded something and left a `%` (text
 * encoded more than once), up to {@linkcode MAX_PERCENT_LEVELS} times; or
 * `undefined` when it has no escape. Each level is one pass over the text
 * into one byte buffer, decoded once.
 */
export function percentDecoded(text: string): string | undefined {
  if (!holdsPercentEscape(text)) return undefined;
  // One buffer for every level: each is no longer than the one before.
  const need = text.length * 3;
  const bytes = need <= levelBytes.length
    ? levelBytes
    : need <= MAX_LEVEL_BYTES
    ? (levelBytes = new Uint8Array(MAX_LEVEL_BYTES))
    : new Uint8Array(need);
  let out = text;
  for (let level = 0; level < MAX_PERCENT_LEVELS; level++) {
    const next = decodeLevel(out, bytes);
    if (next === undefined) break;
    out = next;
    if (out.indexOf("%") === -1) break;
  }
  return out;
}

/**
 * Whether a reading {@linkcode percentDecoded} made still holds an escape:
 * it stopped at {@linkcode MAX_PERCENT_LEVELS} with more to decode (text
 * encoded more times than that), so what it holds was not all read.
 */
export function leftEscaped(reading: string): boolean {
  return holdsPercentEscape(reading);
}

/**
 * `text` with each escape decoded once, the rest of it as UTF-8 around the
 * escapes' bytes, so that a UTF-8 sequence written in escapes stays whole;
 * `undefined` when it has no escape. `bytes` holds 3 bytes per character of
 * `text` (a character is at most 3 UTF-8 bytes; a surrogate pair 4 for 2).
 */
function decodeLevel(text: string, bytes: Uint8Array): string | undefined {
  let length = 0;
  let escapes = 0;
  const end = text.length;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code === 37 && i + 2 < end) {
        const a = text.charCodeAt(i + 1);
        const b = text.charCodeAt(i + 2);
        const high = a < 128 ? HEX[a]! : -1;
        const low = b < 128 ? HEX[b]! : -1;
        if (high >= 0 && low >= 0) {
          bytes[length++] = (high << 4) | low;
          escapes++;
          i += 2;
          continue;
        }
      }
      bytes[length++] = code;
    } else if (code < 0x800) {
      bytes[length++] = 0xc0 | (code >> 6);
      bytes[length++] = 0x80 | (code & 63);
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        bytes[length++] = 0xf0 | (point >> 18);
        bytes[length++] = 0x80 | ((point >> 12) & 63);
        bytes[length++] = 0x80 | ((point >> 6) & 63);
        bytes[length++] = 0x80 | (point & 63);
        i++;
      } else {
        length = replacement(bytes, length);
      }
    } else if (code >= 0xd800 && code <= 0xdfff) {
      length = replacement(bytes, length);
    } else {
      bytes[length++] = 0xe0 | (code >> 12);
      bytes[length++] = 0x80 | ((code >> 6) & 63);
      bytes[length++] = 0x80 | (code & 63);
    }
  }
  return escapes === 0 ? undefined : UTF8.decode(bytes.subarray(0, length));
}

/** A lone surrogate, which UTF-8 cannot hold, as U+FFFD (as `TextEncoder` writes it). */
function replacement(bytes: Uint8Array, length: number): number {
  bytes[length] = 0xef;
  bytes[length + 1] = 0xbf;
  bytes[length + 2] = 0xbd;
  return length + 3;
}
