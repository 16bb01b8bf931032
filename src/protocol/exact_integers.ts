/**
 * Parses a JSON text keeping the digits of integers too large for a double.
 * `JSON.parse` turns `12345678901234567890` into `12345678901234567000`: a
 * 17- to 19-digit card number sent as a JSON number would reach the
 * detectors with its check digit gone, and a message thoth re-serializes
 * (an element of a batch it split) would reach the server changed. Such an
 * integer becomes a `JSON.rawJSON` value here, which `JSON.stringify` writes
 * back digit for digit and the detectors read as text.
 *
 * Only text with a run of 16 or more digits outside its strings can hold one
 * (every number of 15 significant digits is exact enough), so
 * {@linkcode mayHoldLongInteger} is the cheap test first. Pure.
 *
 * @example
 * ```ts
 * const value = parseExactIntegers('{"card":6212345678901234567}') as { card: unknown };
 * JSON.stringify(value); // '{"card":6212345678901234567}'
 * ```
 */

import { closingQuote } from "./duplicate_key.ts";

/** `JSON.rawJSON`, where the runtime has it (the TypeScript library does not declare it yet). */
const rawJson = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;

/** `JSON.isRawJSON`, where the runtime has it: whether a value is one this module made. */
export const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;

const LONG_DIGITS = /\d{16}/g;
const NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Texts longer than this are not parsed a second time: the detectors scan at
 * most 1 Mi characters of a call anyway, and a reviver over a huge message
 * would hold the relay for a noticeable time. (A long integer in a longer
 * message makes the detectors report their scan as incomplete.)
 */
export const EXACT_PARSE_MAX_CHARS = 4 * 1024 * 1024;

/**
 * Whether `text` (valid JSON) may hold a number a double cannot keep
 * exactly, and is worth parsing again: a run of 16 or more digits outside
 * its strings (every number of 15 significant digits is exact enough).
 */
export function mayHoldLongInteger(text: string): boolean {
  if (rawJson === undefined || text.length > EXACT_PARSE_MAX_CHARS) return false;
  // The next digit run at or after `from`, found once and kept until passed,
  // so the text is searched in one pass however many strings it has.
  let run = -1;
  let from = 0;
  while (from < text.length) {
    if (run < from) {
      LONG_DIGITS.lastIndex = from;
      const found = LONG_DIGITS.exec(text);
      if (found === null) return false;
      run = found.index;
    }
    const quote = text.indexOf('"', from);
    if (quote === -1 || run < quote) return true;
    from = closingQuote(text, quote) + 1;
  }
  return false;
}

/**
 * `JSON.parse(text)`, except that a number whose value is an integer
 * outside the safe range is a raw JSON value holding its text as written
 * (`12345678901234567891`, `6212345678901234569.0`, `6.2e18`). Throws as
 * `JSON.parse` does, and with a `RangeError` on very deep nesting.
 */
export function parseExactIntegers(text: string): unknown {
  if (rawJson === undefined) return JSON.parse(text);
  return JSON.parse(text, keepLongIntegers);
}

/**
 * The decimal digits of the integer a JSON number text stands for, without
 * its sign: `"-6.2e3"` is `"6200"`, `"12.0"` is `"12"`; undefined when it is
 * not a whole number (or would take more than 64 digits).
 */
export function integerDigits(text: string): string | undefined {
  const parts = NUMBER.exec(text);
  if (parts === null) return undefined;
  const fraction = parts[2] ?? "";
  let digits = parts[1]! + fraction;
  const shift = (parts[3] === undefined ? 0 : Number(parts[3])) - fraction.length;
  if (shift >= 0) {
    if (digits.length + shift > 64) return undefined;
    digits += "0".repeat(shift);
  } else {
    if (-shift > digits.length) return /^0*$/.test(digits) ? "0" : undefined;
    if (!/^0*$/.test(digits.slice(shift))) return undefined;
    digits = digits.slice(0, shift);
  }
  return digits.replace(/^0+(?=\d)/, "");
}

function keepLongIntegers(
  this: unknown,
  _key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value) || !Number.isInteger(value)) {
    return value;
  }
  const source = context?.source;
  return typeof source === "string" && NUMBER.test(source) ? rawJson!(source) : value;
}
