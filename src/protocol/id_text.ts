/**
 * The exact text of a message's numeric id, as its peer wrote it: `2`,
 * `2.0`, `2e0` and `20e-1` are one number to `JSON.parse`, and
 * `1152921504606846977` and `1152921504606847000` one double, but a client
 * that matches answers to requests by the id's text (Go's `int64`, some Java
 * SDKs) waits forever for an answer under another spelling. The relay
 * compares these texts (see `relay_session.ts`). Pure.
 *
 * An ordinary message costs a search for `"id"` over its text and a look at
 * the few characters after it; only a text where `"id"` stands more than
 * once (a nested `id`, a key escaped as `"\u0069d"`) is walked member by
 * member at its top level, jumping from quote to quote.
 *
 * @example
 * ```ts
 * idTextOf('{"jsonrpc":"2.0","id":2.0,"result":{}}'); // "2.0"
 * idTextOf('{"result":{"id":7},"id":3}');               // "3"
 * idTextOf('{"id":1,"x":0,"id":1.0}');                  // "1.0": the last
 * ```
 */
import { closingQuote } from "./duplicate_key.ts";

const ID = '"id"';
/** A JSON value that is no object or array, after the colon of a member. */
const SCALAR_AFTER_COLON =
  /[ \t\n\r]*:[ \t\n\r]*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/y;

/**
 * The text of the top-level `id` member's value in `text`, the text of one
 * JSON object (valid JSON, as parsed) that has a top-level `id` (an object
 * without one may give a nested id's text); undefined when the value is an
 * object or an array. Of an `id` that stands twice at its top level, the
 * last, which `JSON.parse` and the client's parser keep.
 */
export function idTextOf(text: string): string | undefined {
  const first = text.indexOf(ID);
  const once = first !== -1 && text.indexOf(ID, first + 1) === -1;
  // An escape of a letter of `id` (`"\u0069d"`) may spell the key elsewhere.
  if (once && !text.includes("\\u0069") && !text.includes("\\u0064")) {
    // The only `"id"` in the text: the object has an id, so this is its key.
    return scalarAfter(text, first + ID.length);
  }
  return topLevelIdText(text);
}

/** The scalar value after the colon at `at`, as written; undefined when none stands there. */
function scalarAfter(text: string, at: number): string | undefined {
  const plain = plainIntegerAfter(text, at);
  if (plain !== undefined) return plain;
  SCALAR_AFTER_COLON.lastIndex = at;
  return SCALAR_AFTER_COLON.exec(text)?.[1];
}

/**
 * The common spelling read without the pattern: a colon right at `at`, then
 * an integer (`-` and digits) that a comma or a closing brace ends. What
 * {@linkcode SCALAR_AFTER_COLON} would read there, exactly (no fraction or
 * exponent can follow); undefined for anything else, which the pattern reads.
 */
function plainIntegerAfter(text: string, at: number): string | undefined {
  if (text.charCodeAt(at) !== 0x3a) return undefined;
  const start = at + 1;
  let i = text.charCodeAt(start) === 0x2d ? start + 1 : start;
  const digits = i;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i));
  if (i === digits) return undefined;
  const end = text.charCodeAt(i);
  return end === 0x2c || end === 0x7d ? text.slice(start, i) : undefined;
}

/** {@linkcode idTextOf} by a walk of the object's top-level members. */
function topLevelIdText(text: string): string | undefined {
  let depth = 0;
  let found: string | undefined;
  // Whether the next string at the top level is a key: after `{` or `,`, not after `:`.
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = closingQuote(text, i);
      if (depth === 1 && keyNext) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? decoded(text.slice(i, end + 1)) : raw;
        if (key === "id") {
          // The last wins, as with `JSON.parse` and the client's parser.
          found = scalarAfter(text, end + 1);
        }
      }
      keyNext = false;
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      keyNext = depth === 1 && c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && depth === 1) {
      keyNext = true;
    }
  }
  return found;
}

function decoded(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}
