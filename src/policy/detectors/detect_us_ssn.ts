/**
 * US Social Security numbers: `123-45-6789` on its own, or nine digits (with
 * spaces, dashes or nothing) right after an "SSN" / "social security" label.
 * Numbers the SSA never issues are skipped: area 000, 666 or 900-999, group 00,
 * serial 0000.
 *
 * @example
 * ```ts
 * detectUsSsn("ssn 123-45-6789", undefined); // true
 * detectUsSsn("000-12-3456", undefined); // false
 * ```
 */

const DASHED = /(?<![\w-])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/;
const LABELED =
  /\b(?:ssn|social\s{1,3}security(?:\s{1,3}(?:number|no\.?|#))?)\s{0,3}[:#=]?\s{0,3}(?!000|666|9)\d{3}[ -]?(?!00)\d{2}[ -]?(?!0000)\d{4}(?!\d)/i;

/** Whether `text` holds a valid-looking US SSN. */
export function detectUsSsn(text: string, _key: string | undefined): boolean {
  return DASHED.test(text) || LABELED.test(text);
}
