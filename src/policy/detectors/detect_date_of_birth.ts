/**
 * Dates of birth: a date next to a birth label ("DOB 03/04/1961", "date of
 * birth: 1961-03-04"), next to a person's name ("Jane Doe, born 4 March
 * 1961", "Patient: Jane Doe 03/04/1961"), or under a key such as `dob`. A date
 * alone is not a date of birth.
 *
 * @example
 * ```ts
 * detectDateOfBirth("DOB: 03/04/1961", undefined); // true
 * detectDateOfBirth("meeting on 03/04/2024", undefined); // false
 * ```
 */

const MONTH =
  "(?:[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Mm]ay|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ept?|[Oo]ct|[Nn]ov|[Dd]ec)[a-z]{0,6}\\.?";
const DATE =
  `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|${MONTH}\\s{1,3}\\d{1,2},?\\s{1,3}\\d{4}|\\d{1,2}\\s{1,3}${MONTH},?\\s{1,3}\\d{4})`;
const NAME = "[A-Z][a-z'-]{1,30}(?:\\s{1,3}[A-Z]\\.)?(?:\\s{1,3}[A-Z][a-z'-]{1,30}){1,3}";
const LABELED = new RegExp(
  `\\b(?:DOB|D\\.O\\.B\\.?|date\\s{1,3}of\\s{1,3}birth|birth\\s{0,3}date|birthday)\\s{0,3}[:=-]?\\s{0,3}${DATE}(?!\\d)`,
  "i",
);
const NAMED_BORN = new RegExp(
  `${NAME},?\\s{1,3}(?:born|b\\.)\\s{1,3}(?:on\\s{1,3})?${DATE}(?!\\d)`,
);
const PATIENT = new RegExp(
  `\\b(?:[Pp]atient|[Nn]ame|PATIENT|NAME)\\s{0,3}[:=]\\s{0,3}${NAME}\\s{0,3}[,;(]?\\s{0,3}${DATE}(?!\\d)`,
);
const KEY = /^(?:dob|date_?of_?birth|birth_?date|birthday)$/i;
const BARE = new RegExp(`^${DATE}$`, "i");

/** Whether `text` holds a date of birth. */
export function detectDateOfBirth(text: string, key: string | undefined): boolean {
  if (key !== undefined && KEY.test(key) && BARE.test(text.trim())) return true;
  return LABELED.test(text) || NAMED_BORN.test(text) || PATIENT.test(text);
}
