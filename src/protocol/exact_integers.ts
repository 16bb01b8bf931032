/**
 * Parses a JSON text keeping the digits of integers too large for a double.
 * `JSON.parse` turns `12345678901234567890` into `12345678901234567000`: a
 * 17- to 19-digit card number sent as a JSON number would reach the
 * detectors with its check digit gone, and a message thoth re-serializes
 * (an element of a batch it split) would reach the server changed. Such an
 * integer becomes a `JSON.rawJSON` value here, which `JSON.stringify` writes
 * back digit for digit and the detectors read as text.
 *
 * Only text with a run of 16 or more digits can hold one (every integer of
 * 15 digits is exact in a double), so {@linkcode mayHoldLongInteger} is the
 * cheap test first. Pure.
 *
 * @example
 * ```ts
 * const value = parseExactIntegers('{"card":6212345678901234567}') as { card: unknown };
 * JSON.stringify(value); // '{"card":6212345678901234567}'
 * ```
 */

/** `JSON.rawJSON`, where the runtime has it (the TypeScript library does not declare it yet). */
const rawJson = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;

/** `JSON.isRawJSON`, where the runtime has it: whether a value is one this module made. */
export const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON;

const LONG_DIGITS = /\d{16}/;
const INTEGER = /^-?\d+$/;

/**
 * Texts longer than this are not parsed a second time: the detectors scan at
 * most 1 Mi characters of a call anyway, and a reviver over a huge message
 * would hold the relay for a noticeable time.
 */
export const EXACT_PARSE_MAX_CHARS = 4 * 1024 * 1024;

/** Whether `text` may hold an integer a double cannot keep exactly (and is worth parsing again). */
export function mayHoldLongInteger(text: string): boolean {
  return rawJson !== undefined && text.length <= EXACT_PARSE_MAX_CHARS && LONG_DIGITS.test(text);
}

/**
 * `JSON.parse(text)`, except that an integer literal outside the safe
 * integer range is a raw JSON value with its digits. Throws as `JSON.parse` does.
 */
export function parseExactIntegers(text: string): unknown {
  if (rawJson === undefined) return JSON.parse(text);
  return JSON.parse(text, keepLongIntegers);
}

function keepLongIntegers(
  this: unknown,
  _key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  if (typeof value !== "number" || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return typeof source === "string" && INTEGER.test(source) ? rawJson!(source) : value;
}
