/**
 * Hex written in groups of 2 bytes or more between single spaces, as `xxd`
 * writes it by default: an offset column, 8 groups of 4 digits, two spaces
 * and the bytes as text (`00000000: 6768 705f 4131 …  ghp_A1…`), line after
 * line. Pure; one pass over the stretch it reads.
 *
 * @example
 * ```ts
 * groupedHexReading("6170 695f 6b65 793d 3966 5132", 0)?.text; // "api_key=9fQ2"
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
 * as wide, one space apart, but a line's last, which may be narrower (an
 * even number) and then ends the stretch. A line may end in two spaces or
 * more and a text column, up to its line break; the next line may start
 * with an offset column (4 hex digits or more, a colon, spaces). A group
 * of another width, or a line of other characters, ends the stretch before
 * it. `undefined` when `from` starts no group followed by another; the
 * stretch's text when it decodes to text ({@linkcode textPending}), 12
 * bytes or more.
 */
export function groupedHexReading(text: string, from: number): HexReading | undefined {
  let width = 0;
  while (width <= MAX_GROUP && isHex(text.charCodeAt(from + width))) width++;
  if (width < 4 || width > MAX_GROUP || width % 2 !== 0) return undefined;
  if (text.charCodeAt(from + width) !== 32 || !isHex(text.charCodeAt(from + width + 1))) {
    return undefined;
  }
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
      if (text.charCodeAt(at) !== 32 || !isHex(text.charCodeAt(at + 1))) break;
      at++;
    }
    const next = last ? -1 : nextLine(text, at, width);
    if (next < 0) break;
    at = next;
  }
  return bytesReading(end, bytes, length, pending);
}

/**
 * Where the next line's first group starts when `at`, after a line's last
 * group, ends the line (a text column after two spaces or more, a line
 * break, an offset column); -1 when it does not, or the next line starts
 * with no group `width` digits wide.
 */
function nextLine(text: string, at: number, width: number): number {
  if (text.charCodeAt(at) === 32 && text.charCodeAt(at + 1) === 32) {
    // The text column: up to the line break, within a column's width (a search to the text's
    // end from each line would cost the square of its length).
    const limit = Math.min(text.length, at + MAX_TEXT_COLUMN);
    while (at < limit && text.charCodeAt(at) !== 10 && text.charCodeAt(at) !== 13) at++;
  }
  at = breakEnd(text, at);
  if (at < 0) return -1;
  let digits = 0;
  while (digits <= MAX_GROUP && isHex(text.charCodeAt(at + digits))) digits++;
  if (text.charCodeAt(at + digits) === 58 && digits >= 4) {
    // An offset column.
    at += digits + 1;
    if (text.charCodeAt(at) !== 32) return -1;
    while (text.charCodeAt(at) === 32) at++;
    digits = 0;
    while (digits <= width && isHex(text.charCodeAt(at + digits))) digits++;
  }
  return digits === 0 || digits > width || digits % 2 !== 0 ? -1 : at;
}
