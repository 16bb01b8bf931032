/**
 * US Social Security numbers: `123-45-6789` on its own (hyphen or en dash);
 * nine digits (in one run, or grouped 3-2-4 by spaces, dots, dashes, `/` or
 * `_`) after
 * an "SSN", "SS#" or "social security" label, as people and programs write
 * it (`Patient SSN is 123456789`, `SSN #: 123.45.6789`, `patient_ssn:
 * 123456789`, `patientSSN`, `"ssn":"123456789"`, `ssn = '123456789'`); the
 * SSN field of an HL7 PID segment; or nine digits alone under a key such as
 * `ssn`, `patient_ssn`, `ssnNumber` or `socialSecurityNumber` (grouped so
 * too), where seven or
 * eight digits count as a number that lost its leading zeros
 * (`{"ssn": 78051121}` is 078-05-1121). Numbers the SSA never issues are
 * skipped: area 000, 666 or 900-999, group 00, serial 0000. A dashed number
 * on its own that a commerce reference word names (`Order ID 512-34-7788`,
 * `Invoice #…`, or the key `order_id`; see `commerce_reference.ts`) is an
 * order or invoice id, unless the key is an SSN key, an SSN label is anywhere
 * in the text (`Social Security Administration … Order no. …`), or words
 * near the number or the keys beside the value say it is a person's
 * (`… for Jane Doe, Medicare beneficiary`, `{"ticket": …, "employee": …}`;
 * see `person_context.ts`).
 *
 * @example
 * ```ts
 * detectUsSsn("ssn 123-45-6789", undefined); // true
 * detectUsSsn("SSN #: 123456789", undefined); // true
 * detectUsSsn("123456789", "ssn"); // true
 * detectUsSsn("78051121", "ssn"); // true (078051121)
 * detectUsSsn("123456789", "order_id"); // false
 * detectUsSsn("000-12-3456", undefined); // false
 * detectUsSsn("Order ID 512-34-7788", undefined); // false
 * detectUsSsn("Order ID 512-34-7788 (SSN)", undefined); // true
 * detectUsSsn("Ticket 512-34-7788: employee John Smith", undefined); // true
 * detectUsSsn("512-34-7788", "ticket", ["ticket", "employee"]); // true
 * ```
 */
import { keyNamed } from "./key_names.ts";
import { commerceReferenceBefore, isCommerceReferenceKey } from "./commerce_reference.ts";
import { holdsPersonKey, personContextNear } from "./person_context.ts";

/** Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign. */
const DASH = "[-\\u2010-\\u2015\\u2212]";
const DASHED_SOURCE =
  `(?<![\\w\\u2010-\\u2015\\u2212-])(?!000|666|9)\\d{3}${DASH}(?!00)\\d{2}${DASH}(?!0000)\\d{4}(?![\\w\\u2010-\\u2015\\u2212-])`;
const DASHED = new RegExp(DASHED_SOURCE);
const EVERY_DASHED = new RegExp(DASHED_SOURCE, "g");
/**
 * The label: `ssn` not inside a word (`patient_ssn` counts, `lessn` does not),
 * `SSN` ending a camelCase name, `SS#`, or "social security". The camelCase
 * test looks behind after the letters: before them, it would run at every
 * position of the text.
 */
const LABEL = "(?:(?<![A-Za-z])(?:ssn|ss#|s\\.s\\.n\\.?|social[\\s_-]{1,3}security" +
  "|soc\\.?[\\s_-]{0,3}sec\\.?)" +
  "|(?-i:(?:SSN|Ssn|SocialSecurity)(?<=[a-z](?:SSN|Ssn|SocialSecurity))))";
/**
 * Between label and number, a few of: white space, `:` `=` `#` `_`, a dash
 * or an opening parenthesis, quotes (JSON, SQL, YAML), "no", "number", "is",
 * "on file" (`SSN No.: `, `"ssn": "`, `SSN is `, `SSN - `, `SSN (`, `SSN on file: `).
 */
const SEP =
  "(?:[\\s:=#_(\"'`\\\\\\u2013\\u2014-]|no\\.?|nbr|num(?:ber)?|is|was|on\\s{1,3}file){0,8}";
/** A group separator inside a labelled number: white space (NBSP too), `.`, `/`, `_` or a dash. */
const GROUP = "[\\s./_\\u2010-\\u2015\\u2212-]?";
const LABELED = new RegExp(
  `${LABEL}${SEP}(?!000|666|9)\\d{3}${GROUP}(?!00)\\d{2}${GROUP}(?!0000)\\d{4}(?!\\d)`,
  "i",
);
/** The label anywhere: in the same text, it makes an order id an SSN again. */
const ANY_LABEL = new RegExp(LABEL, "i");
/** What may stand between the numbers a reference key names: no word. */
const NO_WORDS = /^[\s,;:#./|()[\]"'`-]*$/;
/** PID-19 (the patient's SSN) of an HL7 v2 PID segment. */
const HL7_PID =
  /(?<![A-Za-z])PID\|(?:[^|\r\n]{0,200}\|){18}(?!000|666|9)\d{3}-?(?!00)\d{2}-?(?!0000)\d{4}(?![\w-])/;
/**
 * The words a key may end in after the label: `ssn_number`, `ssnNum`,
 * `SSN_NO`, and a plural over a list (`ssns`, `ssn_numbers`).
 */
const KEY_SUFFIX = "(?:[_-]?(?:number|num|nbr|no))?s?";
/**
 * Keys that end in the label: `ssn`, `patient_ssn`, `ssn_number`,
 * `Social-Security-No`, and the labels written for people as the scan joins
 * them (`Social_Security_Number`, `S_S_N`, `Soc_Sec_No`).
 */
const SNAKE_KEY = new RegExp(
  `^(?:[a-z0-9]{1,30}[_-]){0,3}(?:ssn|s_s_n|social[_-]?security|soc_?sec)${KEY_SUFFIX}$`,
  "i",
);
/** `patientSSN`, `primarySsn`, `patientSsnNumber`, `dependentSSNs`. */
const CAMEL_KEY = /^[a-z][A-Za-z0-9]{0,30}(?:SSN|Ssn)(?:Number|Num|Nbr|No|NUMBER|NUM|NO)?s?$/;
const isSsnKey = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
/** Nine digits, as one run or grouped 3-2-4 by dashes, spaces, dots, `/` or `_`. */
const KEYED_VALUE = new RegExp(
  `^(?!000|666|9)\\d{3}(?:(?!00)\\d{2}|${DASH}(?!00)\\d{2}${DASH}|[\\s./_](?!00)\\d{2}[\\s./_])(?!0000)\\d{4}$`,
);
/** Seven or eight digits: a number whose leading zeros a JSON number dropped. */
const UNPADDED = /^\d{7,8}$/;

/**
 * Whether `text` (under object key `key`, beside the keys `siblings` of the
 * object it sits in, when known) holds a valid-looking US SSN.
 */
export function detectUsSsn(
  text: string,
  key: string | undefined,
  siblings?: readonly string[],
): boolean {
  const ssnKey = key !== undefined && isSsnKey(key);
  if (ssnKey) {
    const value = text.trim();
    if (KEYED_VALUE.test(UNPADDED.test(value) ? value.padStart(9, "0") : value)) return true;
  }
  return (DASHED.test(text) && (ssnKey || dashedSsn(text, key, siblings))) ||
    LABELED.test(text) || (text.includes("PID|") && HL7_PID.test(text));
}

/**
 * Whether a dashed number in `text` is no commerce reference: one that no
 * reference word names (written before it, or the key `key`, with no word
 * between the value's start or the number before and it), or that is a
 * person's by the words near it or by a key among `siblings`, or any
 * number when an SSN label is anywhere in `text`. The label is looked for
 * once; each number costs a look at a bounded stretch around it, and the
 * stretches between numbers are read once.
 */
function dashedSsn(
  text: string,
  key: string | undefined,
  siblings: readonly string[] | undefined,
): boolean {
  if (ANY_LABEL.test(text) || (siblings !== undefined && holdsPersonKey(siblings))) return true;
  const referenceKey = key !== undefined && isCommerceReferenceKey(key);
  let after = 0;
  for (const m of text.matchAll(EVERY_DASHED)) {
    const start = m.index;
    const end = start + m[0].length;
    const from = referenceKey && NO_WORDS.test(text.slice(after, start))
      ? start
      : commerceReferenceBefore(text, start);
    if (from === undefined || personContextNear(text, from, end)) return true;
    after = end;
  }
  return false;
}
