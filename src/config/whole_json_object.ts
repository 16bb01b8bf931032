/**
 * Whether a file's bytes are one whole JSON object (comments allowed, as in
 * JSONC): it opens with `{` (after a BOM, blanks and comments), every
 * bracket it opens is closed by its match, every string and block comment
 * ends, and after the object come only blanks and comments. This is what a
 * file cut short lacks (a write stopped by a full disk or a kill), so a
 * backup that fails it holds no whole config. It judges the frame only, not
 * every value: a full parse of a config of tens of MiB on every run would
 * cost seconds. It reads the UTF-8 bytes as they are (every byte of a
 * character past ASCII is above 0x7F, so none is taken for a quote or a
 * bracket) and skips through strings with `indexOf`. One pass, no
 * recursion. Pure.
 *
 * @example
 * ```ts
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * isWholeJsonObject(bytes('{ "mcpServers": {} } // kept\n')); // true
 * isWholeJsonObject(bytes('{ "mcpServers": { "fs": { "comm')); // false
 * isWholeJsonObject(bytes("")); // false
 * ```
 */

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Whether `bytes` hold one whole JSON object (see the module). */
export function isWholeJsonObject(bytes: Uint8Array): boolean {
  const open: number[] = [];
  let closed = false;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  for (let i = bom ? 3 : 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === SPACE || c === LF || c === CR || c === TAB) continue;
    if (c === SLASH && bytes[i + 1] === SLASH) {
      while (i < bytes.length && bytes[i] !== LF && bytes[i] !== CR) i++;
      continue;
    }
    if (c === SLASH && bytes[i + 1] === STAR) {
      const end = commentEnd(bytes, i + 2);
      if (end === -1) return false;
      i = end;
      continue;
    }
    // Only blanks and comments after the object, and nothing but an object first.
    if (closed || (open.length === 0 && c !== OPEN_BRACE)) return false;
    if (c === QUOTE) {
      const end = stringEnd(bytes, i + 1);
      if (end === -1) return false;
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (open.pop() !== c) return false;
      closed = open.length === 0;
    }
  }
  return closed;
}

/** The index of the quote that ends a string begun before `from`; -1 when none does. */
function stringEnd(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(QUOTE, from); at !== -1; at = bytes.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH && at - 1 - backslashes >= from) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** The index of the `/` that ends a block comment begun before `from`; -1 when none does. */
function commentEnd(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(STAR, from); at !== -1; at = bytes.indexOf(STAR, at + 1)) {
    if (bytes[at + 1] === SLASH) return at + 1;
  }
  return -1;
}
