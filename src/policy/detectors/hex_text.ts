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
  const need = (to - from) >> 1;
  const bytes = need <= scratch.length
    ? scratch
    : need <= MAX_SCRATCH
    ? (scratch = new Uint8Array(MAX_SCRATCH))
    : new Uint8Array(need);
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
    // UTF-8's shape, as a base64 run's bytes are checked: a lead byte announces its
    // continuation bytes (0x80 to 0xbf); an ASCII byte is printable, a tab or a line break.
    if (pending > 0) {
      if ((b & 0xc0) !== 0x80) return undefined;
      pending--;
    } else if (b >= 0x80) {
      if (b < 0xc2 || b > 0xf4) return undefined;
      pending = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    } else if (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0d : b === 0x7f) {
      return undefined;
    }
    bytes[length++] = b;
  }
  if (high >= 0 || pending > 0 || length * 2 < MIN_HEX_DIGITS) return undefined;
  const decoded = UTF8.decode(bytes.subarray(0, length));
  return decoded.includes("\ufffd") ? undefined : decoded;
}
