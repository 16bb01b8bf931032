/**
 * Hex written in groups of 2 bytes or more between single spaces, as `xxd`
 * writes it by default: an offset column, 8 groups of 4 digits, two spaces
 * and the bytes as text (`00000000: 6768 705f 4131 …  ghp_A1…`), line after
 * line; or as `hexdump` and `od -x` write it, an offset column without a
 * colon and 16-bit words whose bytes a little-endian machine writes swapped
 * (`0000000 6867 5f70 …` for `ghp_`), read in both byte orders (and
 * `xxd -e`'s and `od -t x4`'s 32-bit words, and `hexdump -x`'s 16-bit words
 * 4 spaces apart). Pure; one pass over the stretch it reads.
 *
 * @example
 * ```ts
 * groupedHexReading("00000000: 6170 695f 6b65 793d 3966 5132", 10)?.text; // "api_key=9fQ2"
 * groupedHexReading("0000000 7061 5f69 656b 3d79 6639 3251", 8)?.text;
 * // "pa_iek=yf92Q\napi_key=9fQ2" (as written, then each word's bytes swapped)
 * groupedHexReading("dead beef cafe babe", 0)?.text; // undefined (no text)
 * ```
 */
import {
  breakEnd,
  bytesReading,
  type HexReading,
  isHex,
  MAX_TEXT_COLUMN,
  textPending,
} from "./hex_text.ts";

/** The widest group read: 16 bytes (`xxd -g 16`). */
const MAX_GROUP = 32;

/** Each hexadecimal digit's value; -1 for any other character. */
const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[65 + i] = table[97 + i] = 10 + i;
  return table;
})();

/**
 * Hex in groups read from `from`: its first group, an even number of 4 to
 * 32 digits followed by a space, sets the width; the groups after it are
 * as wide, one space apart (or 4, as `hexdump -x` writes 4-digit groups
 * after an offset column: {@linkcode wordGapAt}), but a line's last, which
 * may be narrower (an even number) and then ends the stretch. A line may
 * end in two spaces or more and a text column, up to its line break; the
 * next line may start with an offset column (4 hex digits or more, a
 * colon, spaces). A group of another width, or a line of other characters,
 * ends the stretch before it. `undefined` when `from` starts no group followed by another; the
 * stretch's text when it decodes to text ({@linkcode textPending}), 12
 * bytes or more. Groups of 4 or 8 bytes (`od -t x4`, `xxd -e`), and of 2
 * after no offset column or one without a colon (`hexdump`, `od -x`: a
 * line may start with such a column, or with spaces), are also read with
 * each group's bytes reversed, the words of a little-endian machine
 * ({@linkcode swappedReading}), the two readings one to a line.
 */
export function groupedHexReading(text: string, from: number): HexReading | undefined {
  let width = 0;
  while (width <= MAX_GROUP && isHex(text.charCodeAt(from + width))) width++;
  if (width < 4 || width > MAX_GROUP || width % 2 !== 0) return undefined;
  // The spaces between two groups: one, or `hexdump -x`'s 4 between 16-bit words.
  const gap = gapAt(text, from + width, 1) ? 1 : width === 4 && wordGapAt(text, from) ? 4 : 0;
  if (gap === 0) return undefined;
  if (gap === 1 && atLineStart(text, from)) {
    // An offset column as wide as no group after it (`od -Ax`'s 6 digits): the groups follow.
    let next = 0;
    while (next <= MAX_GROUP && isHex(text.charCodeAt(from + width + 1 + next))) next++;
    if (
      next !== width && next >= 4 && next % 2 === 0 &&
      text.charCodeAt(from + width + 1 + next) === 32
    ) {
      return groupedHexReading(text, from + width + 1);
    }
  }
  const offset = offsetBefore(text, from);
  let bytes = new Uint8Array(256);
  let length = 0;
  let pending = 0;
  let at = from;
  let end = from;
  for (;;) {
    // One line's groups.
    let last = false;
    for (;;) {
      let digits = 0;
      while (digits <= width && isHex(text.charCodeAt(at + digits))) digits++;
      if (digits === 0 || digits > width || digits % 2 !== 0) {
        last = true;
        break;
      }
      for (let i = at; i < at + digits; i += 2) {
        const b = (HEX[text.charCodeAt(i)]! << 4) | HEX[text.charCodeAt(i + 1)]!;
        // Past a byte that is no text, the bytes are kept for the text inside them.
        if (pending >= 0) pending = textPending(b, pending);
        if (length === bytes.length) {
          const more = new Uint8Array(length * 2);
          more.set(bytes);
          bytes = more;
        }
        bytes[length++] = b;
      }
      at += digits;
      end = at;
      if (digits < width) {
        last = true;
        break;
      }
      if (!gapAt(text, at, gap)) {
        // A narrower last group written right-aligned in its column (`xxd -e`'s `    0a51`).
        const pad = alignedLast(text, at, width);
        if (pad === 0) break;
        at += pad;
        continue;
      }
      at += gap;
    }
    const next = last ? -1 : nextLine(text, at, width, offset);
    if (next < 0) break;
    at = next;
  }
  const read = bytesReading(end, bytes, length, pending);
  // `xxd` writes 2-byte groups as they come; `xxd -e` 4-byte ones little-endian.
  if (width !== 8 && width !== 16 && (width !== 4 || offset === "colon")) return read;
  return bothReadings(read, swappedReading(end, bytes, length, width >> 1));
}

/** Whether `gap` spaces, no more, stand at `at`, then a hexadecimal digit. */
function gapAt(text: string, at: number, gap: number): boolean {
  for (let i = at; i < at + gap; i++) if (text.charCodeAt(i) !== 32) return false;
  return isHex(text.charCodeAt(at + gap));
}

/**
 * Whether the 4-digit group at `from` starts a line as `hexdump -x` writes
 * it: after an offset column without a colon (`0000010`), 4 spaces apart
 * from it and from the next group (`0000000    6b41    4941`). Only there:
 * groups 4 spaces apart with no such column are columns of a table.
 */
function wordGapAt(text: string, from: number): boolean {
  return gapAt(text, from + 4, 4) && gapAt(text, from - 4, 4) &&
    offsetBefore(text, from) === "bare";
}

/**
 * Whether only spaces and quote marks (`>`, as a quoted reply indents a
 * dump) stand between `at` and the line's start.
 */
function atLineStart(text: string, at: number): boolean {
  at--;
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 62) at--;
  return at < 0 || text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13;
}

/**
 * The spaces at `at` before a last group narrower than `width` and written
 * right-aligned in a column `width` digits wide (one space apart from the
 * group before it), for groups of 4 bytes or more; 0 when there is none.
 */
function alignedLast(text: string, at: number, width: number): number {
  if (width < 8) return 0;
  let spaces = 0;
  while (spaces <= width && text.charCodeAt(at + spaces) === 32) spaces++;
  let digits = 0;
  while (digits < width && isHex(text.charCodeAt(at + spaces + digits))) digits++;
  return digits > 0 && digits < width && digits % 2 === 0 && spaces === 1 + width - digits &&
      !isHex(text.charCodeAt(at + spaces + digits))
    ? spaces
    : 0;
}

/**
 * The offset column before the group at `from`, after spaces: `colon` as
 * `xxd` writes it (`00000010: `), `bare` as `hexdump` and `od` do (4 digits
 * or more, then spaces, at a line's start), else `none`.
 */
function offsetBefore(text: string, from: number): "colon" | "bare" | "none" {
  let at = from - 1;
  if (text.charCodeAt(at) !== 32) return "none";
  while (text.charCodeAt(at) === 32) at--;
  const colon = text.charCodeAt(at) === 58;
  if (colon) at--;
  let digits = 0;
  while (at >= 0 && isHex(text.charCodeAt(at))) at--, digits++;
  if (digits < 4) return "none";
  if (colon) return "colon";
  return atLineStart(text, at + 1) ? "bare" : "none";
}

/**
 * The reading of `bytes[0, length)` with each group of `size` bytes
 * reversed (in place), as a little-endian machine's words hold them, the
 * zero bytes that pad the last word taken off.
 */
function swappedReading(end: number, bytes: Uint8Array, length: number, size: number): HexReading {
  for (let group = 0; group < length; group += size) {
    for (let i = group, k = Math.min(group + size, length) - 1; i < k; i++, k--) {
      const b = bytes[i]!;
      bytes[i] = bytes[k]!;
      bytes[k] = b;
    }
  }
  // The zero bytes that pad the last word (`od -x` of an odd count of bytes), size - 1 at most.
  let pad = 0;
  while (pad < size - 1 && pad < length && bytes[length - 1 - pad] === 0) pad++;
  length -= pad;
  let pending = 0;
  for (let i = 0; i < length && pending >= 0; i++) pending = textPending(bytes[i]!, pending);
  return bytesReading(end, bytes, length, pending);
}

/**
 * Two readings of one stretch as one: their texts one to a line, read
 * whole (not `stretched`) when either is.
 */
function bothReadings(a: HexReading, b: HexReading): HexReading {
  if (b.text === undefined || b.text === a.text) return a;
  if (a.text === undefined) return b;
  const whole = !a.stretched || !b.stretched;
  return { end: a.end, text: `${a.text}\n${b.text}`, stretched: !whole };
}

/**
 * Where the next line's first group starts when `at`, after a line's last
 * group, ends the line (a text column after two spaces or more, spaces and
 * a line break, a line break, an offset column); -1 when it does not, or
 * the next line starts with no group `width` digits wide.
 */
function nextLine(
  text: string,
  at: number,
  width: number,
  offset: "colon" | "bare" | "none",
): number {
  let spaces = 0;
  while (spaces <= MAX_TEXT_COLUMN && text.charCodeAt(at + spaces) === 32) spaces++;
  const after = text.charCodeAt(at + spaces);
  if (after === 10 || after === 13) {
    // Spaces at the line's end, any number (BSD's and busybox's `hexdump -x` end each line with one).
    at += spaces;
  } else if (spaces >= 2) {
    // The text column: up to the line break, within a column's width (a search to the text's
    // end from each line would cost the square of its length).
    const limit = Math.min(text.length, at + MAX_TEXT_COLUMN);
    while (at < limit && text.charCodeAt(at) !== 10 && text.charCodeAt(at) !== 13) at++;
  }
  at = breakEnd(text, at);
  if (at < 0) return -1;
  // A line's indent or quote marks (`> `), as its first line's.
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 62) at++;
  let digits = 0;
  while (digits <= MAX_GROUP && isHex(text.charCodeAt(at + digits))) digits++;
  const mark = text.charCodeAt(at + digits);
  if (
    digits >= 4 &&
    (offset === "colon" ? mark === 58 : offset === "bare" && mark === 32 && digits !== width)
  ) {
    // An offset column.
    at += digits + (mark === 58 ? 1 : 0);
    if (text.charCodeAt(at) !== 32) return -1;
    while (text.charCodeAt(at) === 32) at++;
    digits = 0;
    while (digits <= width && isHex(text.charCodeAt(at + digits))) digits++;
  }
  return digits === 0 || digits > width || digits % 2 !== 0 ? -1 : at;
}
