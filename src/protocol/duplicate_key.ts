/**
 * Finds a key that occurs twice in one JSON object. `JSON.parse` keeps the
 * last value of a repeated key, as most parsers do, but not every parser
 * does: some keep the first, some look a key up by scanning for its first
 * occurrence. A client line like `{"method":"tools/call",…,"method":"ping"}`
 * would then be a harmless ping to thoth and a tool call to its server, so a
 * client line with a repeated key is refused (see `relay_session.ts`).
 *
 * Keys are compared as decoded text: `"a"` and `"\u0061"` are the same key.
 * The text must be valid JSON (it was parsed first); the scan is one pass
 * that jumps from quote to quote, so a large string value costs a search,
 * not a walk. Pure.
 *
 * @example
 * ```ts
 * duplicateKey('{"id":1,"params":{"a":1,"\\u0061":2}}'); // "a"
 * duplicateKey('{"a":{"a":1}}'); // undefined: the same name in two objects
 * ```
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Objects with more keys than this are checked with a set instead of a list. */
const LIST_LIMIT = 16;

/** The keys seen so far in one open object. */
type Frame = string[] | Set<string>;

/** The first key found twice in one object of `text` (valid JSON), or undefined. */
export function duplicateKey(text: string): string | undefined {
  // One frame per open object; an open array has `null`.
  const frames: (Frame | null)[] = [];
  let frame: Frame | null = null;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (frame !== null && isKey(text, end + 1)) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? JSON.parse(text.slice(i, end + 1)) as string : raw;
        if (Array.isArray(frame)) {
          if (frame.includes(key)) return key;
          frame.push(key);
          if (frame.length > LIST_LIMIT) {
            frame = new Set(frame);
            frames[frames.length - 1] = frame;
          }
        } else {
          if (frame.has(key)) return key;
          frame.add(key);
        }
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      frame = c === OPEN_OBJECT ? [] : null;
      frames.push(frame);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frames.pop();
      frame = frames.length === 0 ? null : frames[frames.length - 1]!;
    }
    i++;
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `open` (the end if none does). */
export function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  // Not valid JSON after all: treat the rest as the string.
  return text.length;
}

/** Whether the next character after `from` that is not JSON whitespace is a colon. */
function isKey(text: string, from: number): boolean {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    return c === COLON;
  }
}
