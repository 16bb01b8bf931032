/**
 * A small reader for well-formed JSONC (JSON with comments and trailing
 * commas), for files read on every `thoth run` start: the policy and the
 * intent map. It accepts only what is certainly fine: strict JSON grammar,
 * `//` and block comments, trailing commas, no duplicate keys, no
 * `"__proto__"` key. For anything else it answers `undefined`, and the caller
 * falls back to the full parser (`jsonc-parser`), which explains the problem
 * with a line and column. Values come from `JSON.parse` of the text with its
 * comments and trailing commas blanked out.
 *
 * @example
 * ```ts
 * readStrictJsonc('{ "a": [1, 2,], // two\n }'); // { value: { a: [1, 2] } }
 * readStrictJsonc('{ "a": 1, "a": 2 }'); // undefined: a duplicate key
 * ```
 */

const QUOTE = 0x22;
const SLASH = 0x2f;
const STAR = 0x2a;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LF = 0x0a;
const CR = 0x0d;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// A string's characters: anything but a quote, a backslash or a control character, or an escape.
// deno-lint-ignore no-control-regex -- JSON forbids raw control characters in strings
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

const LITERALS = ["true", "false", "null"] as const;

class Decline extends Error {}

/** The parsed value, or undefined when the text is not certainly well-formed. */
export function readStrictJsonc(text: string): { value: unknown } | undefined {
  const blanks: [number, number][] = [];
  let pos = 0;

  const decline = (): never => {
    throw new Decline();
  };

  /** Skips whitespace and comments (recording comments to blank). */
  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === LF || c === CR) {
        pos++;
      } else if (c === SLASH && text.charCodeAt(pos + 1) === SLASH) {
        const start = pos;
        while (pos < text.length && text.charCodeAt(pos) !== LF && text.charCodeAt(pos) !== CR) {
          pos++;
        }
        blanks.push([start, pos]);
      } else if (c === SLASH && text.charCodeAt(pos + 1) === STAR) {
        const end = text.indexOf("*/", pos + 2);
        if (end === -1) decline();
        blanks.push([pos, end + 2]);
        pos = end + 2;
      } else {
        return;
      }
    }
  };

  /** Reads a string token; returns its raw text including quotes. */
  const string = (): string => {
    if (text.charCodeAt(pos) !== QUOTE) decline();
    STRING_BODY.lastIndex = pos + 1;
    if (!STRING_BODY.test(text)) decline();
    const raw = text.slice(pos, STRING_BODY.lastIndex);
    pos = STRING_BODY.lastIndex;
    return raw;
  };

  const value = (depth: number): void => {
    if (depth > 512) decline();
    skip();
    const c = text.charCodeAt(pos);
    if (c === OPEN_BRACE) return object(depth);
    if (c === OPEN_BRACKET) return array(depth);
    if (c === QUOTE) {
      string();
      return;
    }
    for (const word of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return;
      }
    }
    NUMBER.lastIndex = pos;
    if (!NUMBER.test(text)) decline();
    pos = NUMBER.lastIndex;
  };

  /** After a comma: a trailing comma before `close` is blanked out. */
  const trailing = (comma: number, close: number): boolean => {
    skip();
    if (text.charCodeAt(pos) !== close) return false;
    blanks.push([comma, comma + 1]);
    return true;
  };

  const object = (depth: number): void => {
    pos++;
    skip();
    if (text.charCodeAt(pos) === CLOSE_BRACE) {
      pos++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      skip();
      const raw = string();
      const key = raw.includes("\\") ? JSON.parse(raw) as string : raw.slice(1, -1);
      if (keys.has(key) || key === "__proto__") decline();
      keys.add(key);
      skip();
      if (text.charCodeAt(pos) !== COLON) decline();
      pos++;
      value(depth + 1);
      if (closes(CLOSE_BRACE)) return;
    }
  };

  const array = (depth: number): void => {
    pos++;
    skip();
    if (text.charCodeAt(pos) === CLOSE_BRACKET) {
      pos++;
      return;
    }
    for (;;) {
      value(depth + 1);
      if (closes(CLOSE_BRACKET)) return;
    }
  };

  /**
   * After a member or element: true once `close` ends the object or array
   * (directly or after a trailing comma), false after a separating comma;
   * anything else declines.
   */
  const closes = (close: number): boolean => {
    skip();
    const c = text.charCodeAt(pos);
    if (c === close) {
      pos++;
      return true;
    }
    if (c !== COMMA) decline();
    const comma = pos++;
    if (trailing(comma, close)) {
      pos++;
      return true;
    }
    return false;
  };

  try {
    value(0);
    skip();
    if (pos !== text.length) decline();
    return { value: JSON.parse(blankOut(text, blanks)) };
  } catch (error) {
    if (error instanceof Decline || error instanceof SyntaxError || error instanceof RangeError) {
      return undefined;
    }
    throw error;
  }
}

/** The text with each range replaced by spaces (line breaks kept). */
function blankOut(text: string, ranges: readonly [number, number][]): string {
  if (ranges.length === 0) return text;
  let out = "";
  let from = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    out += text.slice(from, start) + text.slice(start, end).replace(/[^\n\r]/g, " ");
    from = end;
  }
  return out + text.slice(from);
}
