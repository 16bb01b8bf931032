/**
 * The top-level keys of a line too long to parse whole, found by tracking
 * nesting: a key counts only where it names a member of the outermost
 * object, never inside a nested value (`structuredContent: {error: null}`)
 * or a string (`"text": "\"error\": x"`), however far from the line's ends
 * it stands. With them, the value of a top-level `jsonrpc` when it is a
 * string. Keys are read as a JSON parser reads them (`"\u0065rror"` is
 * `error`). Pure; one linear pass over the bytes, across the parts they
 * arrived in, never decoded whole: a string is skipped with a native search
 * for its closing quote (one after an even run of backslashes; escapes are
 * never visited one by one), only the bytes between strings are looked at
 * one by one. Bytes that are not UTF-8 inside a string are skipped like any
 * other.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"result":{"error":null}}');
 * topLevelKeys([bytes]); // { keys: ["jsonrpc", "id", "result"], jsonrpc: "2.0" }
 * ```
 */

/** A key's bytes to text one for one: the keys looked for are ASCII, which no UTF-8 holds. */
const latin1 = new TextDecoder("latin1");

/** The longest top-level key read (as written, escapes and all); a longer one is unreadable. */
const MAX_KEY_TEXT = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** What {@linkcode topLevelKeys} finds. */
export interface TopLevelKeys {
  /** The keys of the outermost object, in order, repeated ones as often as they stand. */
  keys: string[];
  /**
   * The text of the last top-level `jsonrpc` value when it is a string (as
   * written between its quotes, escapes kept); undefined when there is no
   * such member or its value is not a string.
   */
  jsonrpc: string | undefined;
}

/**
 * The top-level keys of the one JSON object `parts` hold (see the module
 * doc); undefined when they hold no such object as far as nesting shows
 * (another value, brackets that do not balance, a string left open, bytes
 * after the object other than whitespace) or a key too long to read.
 */
export function topLevelKeys(parts: readonly Uint8Array[]): TopLevelKeys | undefined {
  const keys: string[] = [];
  let jsonrpc: string | undefined;
  let depth = 0;
  let started = false;
  let inString = false;
  let escaped = false;
  /** At depth 1: whether the next string is a key (after `{` or `,`), not a value. */
  let expectKey = false;
  /** The top-level key whose value comes next. */
  let key: string | undefined;
  /** The text of the string read now, when it is kept (a top-level key, jsonrpc's value). */
  let kept: string | undefined;
  for (const part of parts) {
    const n = part.length;
    let i = 0;
    while (i < n) {
      if (inString) {
        if (escaped) {
          // The previous part ended with an escape's backslash: this byte is escaped.
          escaped = false;
          if (kept !== undefined) kept += String.fromCharCode(part[i]!);
          i++;
          continue;
        }
        // The closing quote: the next quote after an even run of backslashes. Escapes
        // are never visited one by one, only the backslashes just before a quote.
        let quote = part.indexOf(QUOTE, i);
        while (quote !== -1 && backslashesBefore(part, quote, i) % 2 === 1) {
          quote = part.indexOf(QUOTE, quote + 1);
        }
        const end = quote === -1 ? n : quote;
        if (kept !== undefined) {
          kept += latin1.decode(part.subarray(i, end));
          if (kept.length > MAX_KEY_TEXT) return undefined;
        }
        if (quote === -1) {
          escaped = backslashesBefore(part, n, i) % 2 === 1;
          break;
        }
        inString = false;
        i = quote + 1;
        if (kept !== undefined) {
          if (expectKey) {
            key = keyText(kept);
            if (key === undefined) return undefined;
            keys.push(key);
          } else {
            jsonrpc = kept;
          }
          kept = undefined;
        }
        continue;
      }
      const c = part[i++]!;
      if (c === QUOTE) {
        if (depth === 0) return undefined;
        inString = true;
        if (depth === 1) {
          if (expectKey) kept = "";
          else if (key === "jsonrpc") kept = "";
        }
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === 0) {
          if (started || c !== OPEN_OBJECT) return undefined;
          started = true;
          expectKey = true;
        } else if (depth === 1 && key === "jsonrpc") {
          jsonrpc = undefined;
        }
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 0) return undefined;
        depth--;
      } else if (depth === 1 && c === COLON) {
        expectKey = false;
        if (key === "jsonrpc") jsonrpc = undefined;
      } else if (depth === 1 && c === COMMA) {
        expectKey = true;
      } else if (depth === 0 && !isSpace(c)) {
        return undefined;
      }
    }
  }
  if (!started || depth !== 0 || inString) return undefined;
  return { keys, jsonrpc };
}

/** How many backslashes stand just before `at` in `bytes`, not looking before `from`. */
function backslashesBefore(bytes: Uint8Array, at: number, from: number): number {
  let j = at - 1;
  while (j >= from && bytes[j] === BACKSLASH) j--;
  return at - 1 - j;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A key as a JSON parser reads it, from its text between the quotes. */
function keyText(written: string): string | undefined {
  if (!written.includes("\\")) return written;
  try {
    const key: unknown = JSON.parse(`"${written}"`);
    return typeof key === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}
