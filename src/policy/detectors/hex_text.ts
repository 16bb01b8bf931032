/**
 * The text a run of hexadecimal digits decodes to, as `xxd -p`, `hexdump`,
 * `Buffer.toString("hex")` or Python's `.hex()` writes bytes: for a secret
 * re-encoded to pass as one long word. The run is read whole (after a `0x`
 * or `0X`, and across the line breaks of hex wrapped in lines, as `xxd -p`
 * wraps at 60 digits), an even number of 24 digits or more (12 bytes, the
 * least a base64 run is read for), in either case; its bytes must be text as
 * a base64 run's must: UTF-8 without control characters other than tab and
 * line breaks. Ordinary hex ids give up at once: a SHA-256 digest, a git
 * object id or a UUID written without dashes holds bytes that are no text
 * within its first few, and is left at the first. Pure.
 *
 * @example
 * ```ts
 * hexText("6170695f6b65793d3966513278", 0, 26); // "api_key=9fQ2x"
 * hexText("0x6170695f6b65793d3966513278", 0, 28); // "api_key=9fQ2x"
 * hexText("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0, 64); // undefined
 * ```
 */

import { textPending, textStretches } from "./text_stretches.ts";

export { textPending };

/** The fewest hex digits read: 12 bytes. */
export const MIN_HEX_DIGITS = 24;

/** Each hexadecimal digit's value; -1 for any other character. */
const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[65 + i] = table[97 + i] = 10 + i;
  return table;
})();

const UTF8 = new TextDecoder("utf-8");
/** Bytes decoded into, kept between calls (grown as needed, up to a bound). */
let scratch = new Uint8Array(1024);
const MAX_SCRATCH = 64 * 1024;

/**
 * The text `text[from, to)` decodes to when it is hex of text, else
 * `undefined`. Line breaks in the run are skipped; any other character
 * that is no hex digit, an odd number of digits, or a byte that is no text
 * gives up.
 */
export function hexText(text: string, from: number, to: number): string | undefined {
  if (to - from < MIN_HEX_DIGITS) return undefined;
  // A `0x` before the digits.
  if (text.charCodeAt(from) === 48 && (text.charCodeAt(from + 1) | 32) === 120) from += 2;
  const bytes = byteBuffer((to - from) >> 1);
  let length = 0;
  let high = -1;
  let pending = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) continue; // a wrapped line's break
    const digit = code < 128 ? HEX[code]! : -1;
    if (digit < 0) return undefined;
    if (high < 0) {
      high = digit;
      continue;
    }
    const b = (high << 4) | digit;
    high = -1;
    pending = textPending(b, pending);
    if (pending < 0) return undefined;
    bytes[length++] = b;
  }
  if (high >= 0 || pending > 0 || length * 2 < MIN_HEX_DIGITS) return undefined;
  return utf8Text(bytes, length);
}

/**
 * The text a stretch of hex digits inside the run `text[from, to)`
 * decodes to ({@linkcode hexText}), when a word or a path is glued to it:
 * before it (`/v1/6768…`, `cfg6768…`, with up to 15 hex letters of the
 * word's end, `code6768…`, taken off its start), after it (`6768…eof`, up
 * to 15 taken off its end) or both (`key_6768…_end`); each stretch of 24
 * digits or more is tried. A run all of hex digits is not (it was read
 * whole): a word of hex letters glued to hex (`facade6768…`) cannot be told
 * from hex cut at an odd digit. `undefined` when none decodes to text.
 */
export function gluedHexText(text: string, from: number, to: number): string | undefined {
  for (let start = from; start < to;) {
    let end = start;
    while (end < to && isHex(text.charCodeAt(end))) end++;
    if (end - start === to - from) return undefined;
    if (end - start >= MIN_HEX_DIGITS) {
      const read = stretchText(text, start, end);
      if (read !== undefined) return read;
    }
    start = end + 1;
  }
  return undefined;
}

/** {@linkcode gluedHexText} of one stretch of hex digits, with up to 15 taken off either end. */
function stretchText(text: string, start: number, end: number): string | undefined {
  for (let at = start; at < start + 16 && end - at >= MIN_HEX_DIGITS; at++) {
    const read = (end - at) % 2 === 0 ? hexText(text, at, end) : undefined;
    if (read !== undefined) return read;
  }
  for (let at = end - 1; at > end - 16 && at - start >= MIN_HEX_DIGITS; at--) {
    const read = (at - start) % 2 === 0 ? hexText(text, start, at) : undefined;
    if (read !== undefined) return read;
  }
  return undefined;
}

/** `bytes[0, length)` as text, or `undefined` when an overlong form made U+FFFD. */
export function utf8Text(bytes: Uint8Array, length: number): string | undefined {
  const decoded = UTF8.decode(bytes.subarray(0, length));
  return decoded.includes("\ufffd") ? undefined : decoded;
}

/** Bytes for `need` bytes: the kept scratch buffer when it fits. */
export function byteBuffer(need: number): Uint8Array {
  return need <= scratch.length
    ? scratch
    : need <= MAX_SCRATCH
    ? (scratch = new Uint8Array(MAX_SCRATCH))
    : new Uint8Array(need);
}

/** What a reading of hex spread over a stretch of text found. */
export interface HexReading {
  /** Where the stretch read ends (past a byte that is no text, when one ended it). */
  end: number;
  /** The text its bytes decode to; `undefined` when they are no text or fewer than 12. */
  text: string | undefined;
  /**
   * Whether `text` is the stretches of text inside bytes that are not all
   * text ({@linkcode bytesReading}), not the bytes whole.
   */
  stretched: boolean;
}

/** The widest text column of a dump read, bars and a `\r` included. */
export const MAX_TEXT_COLUMN = 4 + 256;

/** The fewest hex digits on the lines of wrapped hex (`xxd -p -c 8`). */
export const MIN_HEX_LINE = 16;

/** Whether `code` is a hexadecimal digit. */
export function isHex(code: number): boolean {
  return code < 128 && HEX[code]! >= 0;
}

/** Whether `code` is in base64's or base64url's alphabet. */
function isBase64(code: number): boolean {
  return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122) ||
    code === 43 || code === 45 || code === 47 || code === 95;
}

/** The end of the line break at `at` (`\n` or `\r\n`), or -1 when there is none. */
export function breakEnd(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === 10) return at + 1;
  return code === 13 && text.charCodeAt(at + 1) === 10 ? at + 2 : -1;
}

/**
 * Hex wrapped in lines of one width (`xxd -p -c 16` writes 32 digits a
 * line) read from `from`: its first line, an even number of
 * {@linkcode MIN_HEX_LINE} digits or more, sets the width; each line after
 * holds as many, but the last, which may hold fewer (an even number). A
 * line of other characters ends the stretch before it. `undefined` when
 * `from` starts no such first line followed by another; the stretch's text
 * when it decodes to text ({@linkcode textPending}), 12 bytes or more.
 */
export function wrappedHexReading(text: string, from: number): HexReading | undefined {
  let width = 0;
  while (isHex(text.charCodeAt(from + width))) width++;
  if (width < MIN_HEX_LINE || width % 2 !== 0) return undefined;
  let at = breakEnd(text, from + width);
  if (at < 0 || !isHex(text.charCodeAt(at))) return undefined;
  // The stretch's lines: each full, but the last.
  let end = from + width;
  for (;;) {
    let digits = 0;
    while (digits < width && isHex(text.charCodeAt(at + digits))) digits++;
    const after = text.charCodeAt(at + digits);
    if (digits === 0 || digits % 2 !== 0 || isBase64(after)) break;
    end = at + digits;
    const next = breakEnd(text, end);
    if (digits < width || next < 0 || !isHex(text.charCodeAt(next))) break;
    at = next;
  }
  const bytes = byteBuffer((end - from) >> 1);
  let length = 0;
  let pending = 0;
  for (let i = from; i < end; i += 2) {
    const high = text.charCodeAt(i);
    if (high === 10 || high === 13) {
      i--;
      continue;
    }
    const b = (HEX[high]! << 4) | HEX[text.charCodeAt(i + 1)]!;
    // Past a byte that is no text, the bytes are kept for the text inside them.
    if (pending >= 0) pending = textPending(b, pending);
    bytes[length++] = b;
  }
  return bytesReading(end, bytes, length, pending);
}

/**
 * The reading of a stretch ending at `end` whose bytes are `bytes[0,
 * length)`: their text when they are all text (`pending`, the continuation
 * bytes owed at their end, is 0; -1 when one was no text), 12 bytes or
 * more; else the stretches of text inside them ({@linkcode textStretches},
 * `stretched`); else no text.
 */
export function bytesReading(
  end: number,
  bytes: Uint8Array,
  length: number,
  pending: number,
): HexReading {
  if (pending !== 0) return { end, text: textStretches(bytes, length), stretched: true };
  const text = length * 2 < MIN_HEX_DIGITS ? undefined : utf8Text(bytes, length);
  return { end, text, stretched: false };
}

/**
 * Hex written a byte at a time read from `from`: two digits a byte, each
 * after one prefix (none, `0x` or `\x`) and the bytes between one separator
 * (`:`, `-` or a space without a prefix, `, `, `,` or a space after `0x`,
 * none after `\x`), as `hexdump -C`, `od -An -tx1`, `xxd -i`, a certificate
 * fingerprint or a C string writes them. A line break may take a separator's
 * place, with the spaces around it; in bytes between spaces, so may two
 * spaces after a line's 8th byte, the text column at a line's end, after
 * two spaces or more (`  |ghp_…|`, or without bars as `xxd -g 1` writes
 * it), and an offset column at a line's start (`00000010  `,
 * `00000010: `), as a dump writes them. `undefined` when `from` starts
 * fewer than 2 such bytes; the bytes' text when they decode to text
 * ({@linkcode textPending}), 12 bytes or more (a MAC address's 6 are not
 * read), else the stretches of text inside them ({@linkcode bytesText}).
 */
export function separatedHexReading(text: string, from: number): HexReading | undefined {
  const head = text.charCodeAt(from);
  const prefix = head === 92 && (text.charCodeAt(from + 1) | 32) === 120
    ? "\\x"
    : head === 48 && (text.charCodeAt(from + 1) | 32) === 120 && !isHex(text.charCodeAt(from + 4))
    ? "0x"
    : "";
  // The byte at `at` after the prefix, or -1.
  const byteAt = (at: number): number => {
    if (prefix !== "") {
      if (text.charCodeAt(at) !== prefix.charCodeAt(0)) return -1;
      if ((text.charCodeAt(at + 1) | 32) !== 120) return -1;
      at += 2;
    }
    const high = text.charCodeAt(at);
    const low = text.charCodeAt(at + 1);
    if (!isHex(high) || !isHex(low) || isHex(text.charCodeAt(at + 2))) return -1;
    return (HEX[high]! << 4) | HEX[low]!;
  };
  const size = prefix.length + 2;
  let b = byteAt(from);
  if (b < 0) return undefined;
  let at = from + size;
  const c = text.charCodeAt(at);
  const separator = prefix === "\\x"
    ? ""
    : prefix === "0x"
    ? (c === 44 ? (text.charCodeAt(at + 1) === 32 ? ", " : ",") : c === 32 ? " " : undefined)
    : c === 58 || c === 45 || c === 32
    ? text[at]!
    : undefined;
  if (separator === undefined) return undefined;
  const spaced = separator === " " && prefix === "";
  let bytes = scratch;
  let length = 0;
  let pending = 0;
  // The bytes read on the line so far.
  let onLine = 0;
  for (;;) {
    // Past a byte that is no text, the bytes are kept for the text inside them.
    if (pending >= 0) pending = textPending(b, pending);
    if (length === bytes.length) {
      const more = new Uint8Array(length * 2);
      more.set(bytes);
      bytes = more;
      if (more.length <= MAX_SCRATCH) scratch = more;
    }
    bytes[length++] = b;
    // The next byte's start: past the separator, two spaces, or a line's end and the next's start.
    let next = -1;
    onLine++;
    if (text.startsWith(separator, at) && byteAt(at + separator.length) >= 0) {
      next = at + separator.length;
    } else if (spaced && onLine === 8 && text.startsWith("  ", at) && byteAt(at + 2) >= 0) {
      // `hexdump -C`'s gap: two spaces after a line's 8th byte are no text column.
      next = at + 2;
    } else {
      next = nextLine(text, at, separator, spaced);
      onLine = 0;
    }
    if (next < 0) break;
    b = byteAt(next);
    if (b < 0) break;
    at = next + size;
  }
  if (length < 2) return undefined;
  return bytesReading(at, bytes, length, pending);
}

/**
 * Where the next line's first byte starts when `at`, after a byte, ends a
 * line of bytes (the separator's mark without its space, spaces, a dump's
 * text column between bars, a line break, spaces, a dump's offset column);
 * -1 when it does not.
 */
function nextLine(text: string, at: number, separator: string, spaced: boolean): number {
  const mark = separator.trim();
  if (mark !== "" && text.startsWith(mark, at)) at += mark.length;
  const blank = at;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  const code = text.charCodeAt(at);
  if (spaced && at - blank >= 2 && code !== 124 && code !== 10 && code !== 13) {
    // A text column without bars (`xxd -g 1`), up to the line break, within a column's width.
    const limit = Math.min(text.length, at + MAX_TEXT_COLUMN);
    while (at < limit && text.charCodeAt(at) !== 10 && text.charCodeAt(at) !== 13) at++;
  } else if (spaced && code === 124) {
    // A dump's text column: up to a bar that ends the line, within a column's width
    // (a search to the text's end from each line would cost the square of its length).
    let close = at + 1;
    while (close < at + MAX_TEXT_COLUMN && close < text.length && text.charCodeAt(close) !== 10) {
      close++;
    }
    if (text.charCodeAt(close) !== 10) return -1;
    if (text.charCodeAt(close - 1) === 13) close--;
    if (text.charCodeAt(close - 1) !== 124) return -1;
    at = close;
  }
  at = breakEnd(text, at);
  if (at < 0) return -1;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++;
  if (spaced) {
    // An offset column: 4 digits or more, then a colon or spaces.
    let digits = 0;
    while (isHex(text.charCodeAt(at + digits))) digits++;
    if (digits >= 4) {
      at += digits;
      if (text.charCodeAt(at) === 58) at++;
      if (text.charCodeAt(at) !== 32) return -1;
      while (text.charCodeAt(at) === 32) at++;
    }
  }
  return at;
}
