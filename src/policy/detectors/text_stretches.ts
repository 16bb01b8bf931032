/**
 * The text inside decoded bytes that are not all text, as `strings` finds
 * it: a token ended by a NUL (`ghp_…\0`), hex of a binary that holds one,
 * base64 of a file with a header. Each stretch of
 * {@linkcode MIN_STRETCH_BYTES} bytes or more that is text (UTF-8 without
 * control characters other than tab and line breaks) is kept, the stretches
 * one to a line. 16 bytes, not `strings`' 4: no secret's shape is shorter
 * (the fewest characters strings are read joined for), and random bytes
 * (a digest, an image, machine code) almost never hold 16 printable ones in
 * a row, so what a binary's reading holds is the text it was built with.
 * Pure; one pass over the bytes.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("\x7fELF\0\0ghp_ZRwYhCxzScmYCnVo6e5B\0");
 * textStretches(bytes, bytes.length); // "ghp_ZRwYhCxzScmYCnVo6e5B"
 * runStretches("00ff00ff00ff00ff00ff00ff", 0, 24); // undefined (no text)
 * ```
 */
/** The fewest bytes a stretch of text holds to be read. */
export const MIN_STRETCH_BYTES = 16;

const UTF8 = new TextDecoder("utf-8");

/**
 * The continuation bytes still owed after byte `b` when `pending` were
 * owed before it, or -1 when `b` breaks UTF-8 text. UTF-8's shape, as a
 * base64 run's bytes are checked: a lead byte announces its continuation
 * bytes (0x80 to 0xbf); an ASCII byte is printable, a tab or a line break.
 */
export function textPending(b: number, pending: number): number {
  if (pending > 0) return (b & 0xc0) === 0x80 ? pending - 1 : -1;
  if (b >= 0x80) return b < 0xc2 || b > 0xf4 ? -1 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
  return (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0d : b === 0x7f) ? -1 : 0;
}

/**
 * The stretches of text of {@linkcode MIN_STRETCH_BYTES} bytes or more in
 * `bytes[0, length)`, one to a line; `undefined` when there is none.
 */
export function textStretches(bytes: Uint8Array, length: number): string | undefined {
  let out: string[] | undefined;
  const keep = (start: number, end: number) => {
    if (end - start < MIN_STRETCH_BYTES) return;
    const text = UTF8.decode(bytes.subarray(start, end));
    if (!text.includes("\ufffd")) (out ??= []).push(text);
  };
  let start = 0;
  // Where the character being read starts, and the continuation bytes it still owes.
  let lead = 0;
  let pending = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[i]!;
    if (pending === 0) lead = i;
    const next = textPending(b, pending);
    if (next >= 0) {
      pending = next;
      continue;
    }
    keep(start, lead);
    // The byte that broke a character may start the next stretch.
    pending = textPending(b, 0);
    if (pending < 0) {
      pending = 0;
      start = i + 1;
    } else {
      start = lead = i;
    }
  }
  keep(start, pending > 0 ? lead : length);
  return out?.join("\n");
}

/** Each base64 and base64url character's six bits; -1 for any other character. */
export const SEXTETS: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table[43] = table[45] = 62; // + -
  table[47] = table[95] = 63; // / _
  return table;
})();

/**
 * The stretches of text ({@linkcode textStretches}) in what the run
 * `text[from, end)` decodes to: as hex when it is all hex digits, an even
 * number of them (after a `0x`), else as base64 from its start (padding and
 * line breaks skipped); `undefined` when it holds none.
 */
export function runStretches(text: string, from: number, end: number): string | undefined {
  if (text.charCodeAt(from) === 48 && (text.charCodeAt(from + 1) | 32) === 120) {
    if (allHex(text, from + 2, end)) return hexStretches(text, from + 2, end);
  }
  if (allHex(text, from, end)) return hexStretches(text, from, end);
  const bytes = new Uint8Array(Math.ceil((end - from) * 3 / 4));
  let length = 0;
  let bits = 0;
  let held = 0;
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 61 || code === 10 || code === 13) continue;
    const sextet = code < 128 ? SEXTETS[code]! : -1;
    if (sextet < 0) return undefined;
    bits = ((bits << 6) | sextet) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes[length++] = (bits >> held) & 0xff;
    }
  }
  return textStretches(bytes, length);
}

/** Whether `code` is a hexadecimal digit. */
function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 102);
}

/** Whether `text[from, end)` is hex digits and line breaks, an even number of digits. */
function allHex(text: string, from: number, end: number): boolean {
  let digits = 0;
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) continue;
    if (!isHex(code)) return false;
    digits++;
  }
  return digits > 0 && digits % 2 === 0;
}

/** {@linkcode textStretches} of the hex digits of `text[from, end)` (line breaks skipped). */
function hexStretches(text: string, from: number, end: number): string | undefined {
  const bytes = new Uint8Array((end - from) >> 1);
  let length = 0;
  let high = -1;
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) continue;
    const digit = code <= 57 ? code - 48 : (code | 32) - 87;
    if (high < 0) high = digit;
    else {
      bytes[length++] = (high << 4) | digit;
      high = -1;
    }
  }
  return textStretches(bytes, length);
}
