/**
 * ICD-10 diagnosis codes. A short code such as `I10` only counts after a
 * label ("ICD-10", "diagnosis", "dx") or under a key such as `icd10`; on its
 * own only the dotted form counts (`E11.9`, `S72.001A`, uppercase), which
 * ordinary words and version numbers do not take.
 *
 * @example
 * ```ts
 * detectIcd10Code("dx: I10", undefined); // true
 * detectIcd10Code("diagnosed with E11.9", undefined); // true
 * detectIcd10Code("upgrade to v12.3", undefined); // false
 * ```
 */

const CODE = "[A-TV-Z]\\d[0-9AB](?:\\.[0-9A-TV-Z]{1,4})?";
const LABELED = new RegExp(
  `\\b(?:ICD-?10(?:-CM)?|ICD|diagnos(?:is|es)(?:\\s{1,3}codes?)?|dx(?:\\s{1,3}codes?)?)\\s{0,3}(?:codes?)?\\s{0,3}[:#=]?\\s{0,3}${CODE}(?![\\w.])`,
  "i",
);
const DOTTED = /(?<![\w.-])[A-TW-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}(?![\w.-])/;
const KEY =
  /^(?:icd_?10(?:_?cm)?(?:_?codes?)?|icd(?:_?codes?)?|diagnosis_?codes?|dx(?:_?codes?)?)$/i;
const BARE = new RegExp(`^${CODE}$`, "i");

/** Whether `text` holds an ICD-10 code in a context that makes it one. */
export function detectIcd10Code(text: string, key: string | undefined): boolean {
  if (key !== undefined && KEY.test(key) && BARE.test(text.trim())) return true;
  return DOTTED.test(text) || LABELED.test(text);
}
