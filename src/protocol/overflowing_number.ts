/**
 * Finds a JSON number too large for any double (`1e400`, or `1` and 250
 * zeros then `e60`). Readers disagree on it: JavaScript reads `Infinity`,
 * Python `inf`, Go refuses the message, and what thoth writes back when it
 * must re-serialize a message (an element of a batch it splits) is `null`. A
 * rule would decide on one value while the server acts on another, so a client
 * line with one is refused (see `relay_session.ts`). A number too small for a
 * double (`1e-400`) is not one of them: readers make it zero or the nearest
 * tiny double, as `JSON.parse` does.
 *
 * The text must be valid JSON (it was parsed first). The scan is one pass that
 * jumps from quote to quote over strings and reads a number twice only when it
 * has an exponent or 309 characters. Pure.
 *
 * @example
 * ```ts
 * hasOverflowingNumber('{"limit":1e400}'); // true
 * hasOverflowingNumber(`{"limit":1${"0".repeat(250)}e60}`); // true
 * hasOverflowingNumber('{"limit":"1e400","floor":1e-400}'); // false
 * ```
 */
import { closingQuote } from "./duplicate_key.ts";

const QUOTE = 0x22;
const MINUS = 0x2d;
const PLUS = 0x2b;
const POINT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** The decimal order of the largest finite double (1.79…e308). */
const MAX_ORDER = 308;

/**
 * Whether the JSON `text` holds a number that `JSON.parse` reads as ±Infinity.
 * The verdict comes from the text alone, so a number that a repeated key hides
 * from the parsed value is found too.
 */
export function hasOverflowingNumber(text: string): boolean {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i) + 1;
      continue;
    }
    if (c !== MINUS && (c < ZERO || c > NINE)) {
      i++;
      continue;
    }
    // A number: outside strings, only a number holds a digit or a minus sign.
    const start = i;
    let exponent = -1;
    for (i++; i < length; i++) {
      const d = text.charCodeAt(i);
      if (d === LOWER_E || d === UPPER_E) exponent = i;
      else if ((d < ZERO || d > NINE) && d !== POINT && d !== PLUS && d !== MINUS) break;
    }
    // Without an exponent, only 309 digits or more before the point pass 1.79…e308.
    if ((exponent >= 0 || i - start > MAX_ORDER) && overflows(text, start, exponent, i)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether the number `text[start, end)`, with its exponent marker at
 * `exponent` (-1 if none), reads as ±Infinity: its first significant digit's
 * order plus its exponent decide, and at exactly 308 the reader's own rounding.
 */
function overflows(text: string, start: number, exponent: number, end: number): boolean {
  const mantissaEnd = exponent >= 0 ? exponent : end;
  const power = exponent >= 0 ? exponentValue(text, exponent + 1, end) : 0;
  // The first significant digit's order is less than the mantissa's length.
  if (mantissaEnd - start + power <= MAX_ORDER) return false;
  let at = text.charCodeAt(start) === MINUS ? start + 1 : start;
  while (at < mantissaEnd && text.charCodeAt(at) === ZERO) at++;
  let point = at;
  while (point < mantissaEnd && text.charCodeAt(point) !== POINT) point++;
  let order: number;
  if (at < point) {
    order = point - at - 1; // a significant digit before the point
  } else {
    at = point + 1;
    while (at < mantissaEnd && text.charCodeAt(at) === ZERO) at++;
    if (at >= mantissaEnd) return false; // zero, whatever its exponent
    order = point - at;
  }
  if (order + power !== MAX_ORDER) return order + power > MAX_ORDER;
  return !Number.isFinite(Number(text.slice(start, end)));
}

/**
 * The exponent written in `text[start, end)`; ±Infinity past 10^15, where no
 * string is long enough for its digits to bring the number back to 1e308.
 */
function exponentValue(text: string, start: number, end: number): number {
  const sign = text.charCodeAt(start);
  let value = 0;
  for (let at = sign === MINUS || sign === PLUS ? start + 1 : start; at < end; at++) {
    value = value * 10 + text.charCodeAt(at) - ZERO;
    if (value > 1e15) {
      value = Infinity;
      break;
    }
  }
  return sign === MINUS ? -value : value;
}
