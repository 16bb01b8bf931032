/**
 * Which reading of hex spread over lines, bytes or groups a run of base64's
 * alphabet starts, by its shape: hex wrapped in short lines (`xxd -p -c
 * 16`), written a byte at a time (`67:68:70`, `\x67`, `0x67 0x68`, or glued
 * to a word by a dash: `token-67-68-…`), or in groups (`xxd`'s `6768 705f`,
 * `hexdump -x`'s `6867    5f70`).
 * Pure.
 *
 * @example
 * ```ts
 * spreadHex("x 67:68", 2, 4, 58, false)?.end; // 7
 * spreadHex("plain words", 0, 5, 32, false); // undefined
 * ```
 */
import { groupedHexReading } from "./grouped_hex.ts";
import {
  type HexReading,
  isHex,
  MIN_HEX_DIGITS,
  MIN_HEX_LINE,
  separatedHexReading,
  wrappedHexReading,
} from "./hex_text.ts";

/**
 * The reading of hex spread over lines or written a byte at a time that
 * the run `text[start, end)`, ended by `code`, starts: a line of hex
 * ({@linkcode wrappedHexReading}), or a byte (2 digits, after `0x`, or
 * after `\x` just before the run) then a separator
 * ({@linkcode separatedHexReading}), or bytes between dashes after a dash
 * inside the run; when the run was read as base64 in groups of 4 between
 * spaces (`grouped`), bytes after `0x` between spaces or hex in groups
 * ({@linkcode groupedHexReading}), as when it is 4 digits 4 spaces before
 * the next (`hexdump -x`); `undefined` when it starts none.
 */
export function spreadHex(
  text: string,
  start: number,
  end: number,
  code: number,
  grouped: boolean,
): HexReading | undefined {
  if (end - start < 2) return undefined;
  if (grouped) {
    return text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120
      ? separatedHexReading(text, start)
      : groupedHexReading(text, start);
  }
  const read = code === 10 || code === 13
    ? (end - start >= MIN_HEX_LINE ? wrappedHexReading(text, start) : undefined)
    : code === 32 && end - start >= 6 && end - start <= 32 && (end - start) % 2 === 0
    ? separatedAt(text, start, end) ?? groupedHexReading(text, start) // `xxd -g 4`
    : code === 32 && end - start === 4 && text.charCodeAt(end + 3) === 32
    ? separatedAt(text, start, end) ?? groupedHexReading(text, start) // `hexdump -x`
    : separatedAt(text, start, end);
  // 12 bytes between dashes and a character before them.
  return read ??
    (end - start > MIN_HEX_DIGITS * 3 / 2 ? dashedHexReading(text, start, end) : undefined);
}

/** The reading of bytes and separators at the run `text[start, end)`'s start, if any. */
function separatedAt(text: string, start: number, end: number): HexReading | undefined {
  const escaped = start > 0 && text.charCodeAt(start - 1) === 92 &&
    (text.charCodeAt(start) | 32) === 120;
  const from = escaped ? start - 1 : start;
  const after =
    escaped || (text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 32) === 120)
      ? from + 4
      : from + 2;
  const separator = text.charCodeAt(after);
  if (after > end && separator !== 45) return undefined;
  return separator === 58 || separator === 45 || separator === 32 || separator === 44 ||
      separator === 92
    ? separatedHexReading(text, from)
    : undefined;
}

/**
 * Bytes between dashes glued to a word by one (`token-67-68-…`): the
 * reading from the first dash inside the run `text[start, end)` that is
 * followed by a byte and another dash and starts 2 bytes or more.
 */
function dashedHexReading(text: string, start: number, end: number): HexReading | undefined {
  for (let at = start + 1; at + 4 < end; at++) {
    if (
      text.charCodeAt(at) !== 45 || !isHex(text.charCodeAt(at + 1)) ||
      !isHex(text.charCodeAt(at + 2)) || text.charCodeAt(at + 3) !== 45
    ) continue;
    const read = separatedHexReading(text, at + 1);
    if (read !== undefined) return read;
  }
  return undefined;
}
