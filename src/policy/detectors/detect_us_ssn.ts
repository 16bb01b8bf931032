/**
 * US Social Security numbers: `123-45-6789` on its own, nine digits (with
 * spaces, dashes or nothing) right after an "SSN" / "social security" label,
 * or nine digits alone under a key such as `ssn`, `patient_ssn` or
 * `socialSecurityNumber`. Numbers the SSA never issues are skipped: area 000,
 * 666 or 900-999, group 00, serial 0000.
 *
 * @example
 * ```ts
 * detectUsSsn("ssn 123-45-6789", undefined); // true
 * detectUsSsn("123456789", "ssn"); // true
 * detectUsSsn("123456789", "order_id"); // false
 * detectUsSsn("000-12-3456", undefined); // false
 * ```
 */

const DASHED = /(?<![\w-])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/;
const LABELED =
  /\b(?:ssn|social\s{1,3}security(?:\s{1,3}(?:number|no\.?|#))?)\s{0,3}[:#=]?\s{0,3}(?!000|666|9)\d{3}[ -]?(?!00)\d{2}[ -]?(?!0000)\d{4}(?!\d)/i;
/** Keys that end in the label: `ssn`, `patient_ssn`, `social_security_number`, `Social-Security-No`. */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_-]){0,3}(?:ssn|social[_-]?security(?:[_-]?(?:number|no|num))?)$/i;
/** `patientSSN`, `primarySsn`. */
const CAMEL_KEY = /^[a-z][A-Za-z0-9]{0,30}(?:SSN|Ssn)$/;
/** Nine digits, as one run or grouped 3-2-4 by one kind of separator. */
const KEYED_VALUE = /^(?!000|666|9)\d{3}(?:(?!00)\d{2}|-(?!00)\d{2}-| (?!00)\d{2} )(?!0000)\d{4}$/;

/** Whether `text` (under object key `key`) holds a valid-looking US SSN. */
export function detectUsSsn(text: string, key: string | undefined): boolean {
  if (key !== undefined && (SNAKE_KEY.test(key) || CAMEL_KEY.test(key))) {
    if (KEYED_VALUE.test(text.trim())) return true;
  }
  return DASHED.test(text) || LABELED.test(text);
}
