/**
 * Values as a lenient server reads them, for `min`, `max`, `equals` and
 * `oneOf` (see `compile_predicate.ts`): a string a server would read as a
 * number ({@linkcode numeric}: Python's `int()`/`float()`, JavaScript's
 * `Number()`, pydantic's lax mode), and whether a value is coerced to a
 * wanted boolean or number ({@linkcode coercesTo}).
 *
 * @example
 * ```ts
 * numeric(" +5_000 "); // 5000
 * numeric("0x1388"); // 5000
 * numeric([5000], true); // 5000
 * coercesTo("yes", true); // true
 * ```
 */

/**
 * `value` as `min` and `max` see it: a number, or a string a lenient server
 * would read as one (Python's `int()`/`float()`, JavaScript's `Number()`,
 * pydantic's lax mode): surrounding spaces (Python's, which include U+0085
 * and U+001C–U+001F), a sign, `_` between digits, `0x`/`0o`/`0b`, `inf`,
 * and the decimal digits of any script (`٥٠٠٠`, `５０００`), as `int()`
 * reads them. Reading more strings as numbers only ever makes a bound see
 * what the server will see. NaN is no number.
 *
 * In a rule that blocks or steps up (`lax`), also what `Number()` (and so
 * zod's `z.coerce.number()`) reads as a number that is no string: `null`,
 * `false`, `""` and white space are 0, `true` is 1, and an array is read as
 * the string it joins to (`[5000]`, `["5000"]`, `[[5000]]` are 5000, `[]` and
 * `[null]` are 0, `[true]` and `[1, 2]` are no number). An allow rule needs a
 * number or a numeric string.
 */
export function numeric(value: unknown, lax = false): number | undefined {
  if (typeof value === "number") return Number.isNaN(value) ? undefined : value;
  if (lax && typeof value !== "string") return coercedNumber(value);
  if (typeof value !== "string") return undefined;
  if (lax && value.trim() === "") return 0;
  if (value.length > 400) return undefined;
  let text = asciiDigits(value).replace(PYTHON_SPACE, "");
  let sign = 1;
  if (text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45) {
    if (text.charCodeAt(0) === 45) sign = -1;
    text = text.slice(1);
  }
  if (INFINITY.test(text)) return sign * Infinity;
  if (!DECIMAL.test(text) && !RADIX.test(text)) return undefined;
  const n = Number(text.includes("_") ? text.replaceAll("_", "") : text);
  return Number.isNaN(n) ? undefined : sign * n;
}

/**
 * A value that is neither a number nor a string as `Number()` reads it: an
 * array as the string `join()` makes of it (a one-element array as its
 * element, `null` in it as `""`), `null` and `false` as 0, `true` as 1.
 */
function coercedNumber(value: unknown): number | undefined {
  let v = value;
  let inArray = false;
  while (Array.isArray(v)) {
    if (v.length === 0) return 0;
    if (v.length > 1) return undefined;
    v = v[0];
    inArray = true;
  }
  if (v === null || v === undefined) return inArray || v === null ? 0 : undefined;
  // In an array a boolean joins to "true" or "false", which are no number.
  if (typeof v === "boolean") return inArray ? undefined : v ? 1 : 0;
  if (typeof v === "number" || typeof v === "string") return numeric(v, true);
  return undefined;
}

/** Leading and trailing white space as JavaScript's `trim()` or Python's `strip()` sees it. */
// deno-lint-ignore no-control-regex -- Python strips U+001C to U+001F as white space
const PYTHON_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;
const NON_ASCII_DIGIT = /[^ -~]/;
const UNICODE_DIGIT = /\p{Nd}/gu;
const IS_UNICODE_DIGIT = /^\p{Nd}$/u;

/**
 * `text` with every decimal digit of another script as its ASCII digit. A
 * script's digits are ten code points in a row, zero first, and blocks of
 * them may follow one another (U+1D7CE…U+1D7FF): a digit's value is its
 * distance from the start of its run, modulo 10.
 */
function asciiDigits(text: string): string {
  if (!NON_ASCII_DIGIT.test(text)) return text;
  return text.replace(UNICODE_DIGIT, (digit) => {
    const code = digit.codePointAt(0)!;
    let start = code;
    while (IS_UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((code - start) % 10);
  });
}

const DECIMAL = /^(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?$/;
const RADIX = /^0(?:[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|[oO][0-7](?:_?[0-7])*|[bB][01](?:_?[01])*)$/;
const INFINITY = /^(?:inf|infinity)$/i;

/**
 * Whether a lax server would read `value` as `want`, a boolean or a number
 * (pydantic's lax mode: `"true"`, `"yes"`, `"on"`, `"1"`, `1` for `true`;
 * `"0"`, `" 0 "`, `"0.0"`, `false` for `0`). Other wanted values are compared
 * as they are.
 */
export function coercesTo(value: unknown, want: unknown): boolean {
  if (typeof want === "boolean") {
    if (typeof value === "number") return value === (want ? 1 : 0);
    if (typeof value !== "string") return false;
    const word = value.replace(PYTHON_SPACE, "").toLowerCase();
    return (want ? TRUE_WORDS : FALSE_WORDS).has(word) || numeric(value) === (want ? 1 : 0);
  }
  if (typeof want === "number") {
    if (typeof value === "boolean") return want === (value ? 1 : 0);
    return numeric(value) === want;
  }
  return false;
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "off", "0"]);
