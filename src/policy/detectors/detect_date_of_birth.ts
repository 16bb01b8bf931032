/**
 * Dates of birth: a date after a birth label, in prose or in data ("DOB
 * 03/04/1961", "The patient's date of birth is 1961-03-04", "was born on
 * March 4th, 1961", `patient_dob: 19610304`, `"dob":"04-Mar-1961"`,
 * "Geburtsdatum: 04.03.1961", "né le 04/03/1961"); after a patient's name
 * ("Jane Doe, b. 4 March 1961", "Patient: Jane Doe 03/04/1961", and "Name:
 * Jane Doe 03/04/1961" when a patient, MRN or birth is mentioned nearby); in
 * the birth date field of an HL7 PID segment; or under a key such as `dob`,
 * `patientDOB` or `birth_dt`. A date alone is not a date of birth, nor is a
 * date after a name with no patient in sight ("Name: Sprint Planning
 * 2024-06-03").
 *
 * @example
 * ```ts
 * detectDateOfBirth("DOB: 03/04/1961", undefined); // true
 * detectDateOfBirth("1961-03-04T00:00:00.000Z", "dob"); // true
 * detectDateOfBirth("meeting on 03/04/2024", undefined); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";

const MONTH =
  "(?:[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Mm]ay|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ept?|[Oo]ct|[Nn]ov|[Dd]ec)[a-z]{0,6}\\.?";
const DAY = "\\d{1,2}(?:st|nd|rd|th)?";
/**
 * 03/04/1961, 04.03.61, 1961-03-04, 1961/03/04, 19610304, March 4th, 1961,
 * Mar-04-1961, 4 March 1961, 04-Mar-1961, 04MAR1961, 4th of March 1961.
 */
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}` +
  `|(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])` +
  `|${MONTH}[\\s.-]{1,3}${DAY},?[\\s.-]{1,3}\\d{4}` +
  `|${DAY}[\\s/.-]{0,3}(?:of\\s{1,3})?${MONTH},?[\\s/.-]{0,3}\\d{4})`;
/** A time after an ISO date, as a date-of-birth field often carries: `T00:00:00.000Z`. */
const TIME =
  "(?:[T\\s]\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?\\s?(?:Z|UTC|[+-]\\d{2}:?\\d{2})?)?";
const NAME = "[A-Z][a-z'-]{1,30}(?:\\s{1,3}[A-Z]\\.)?(?:\\s{1,3}[A-Z][a-z'-]{1,30}){1,3}";
/**
 * A birth label not inside a word (`patient_dob` counts, `adobe` does not),
 * in English, German, Spanish or French, or `DOB` ending a camelCase name.
 */
const LABEL = "(?:(?<![A-Za-z])(?:dob|d\\.o\\.b\\.?|date[\\s_-]{0,3}of[\\s_-]{0,3}birth" +
  "|birth[\\s_-]{0,3}(?:date|dt)|geburtsdatum|geboren(?:\\s{1,3}am)?|geb\\." +
  "|fecha[\\s_-]{1,3}de[\\s_-]{1,3}nacimiento|nacid[oa](?:\\s{1,3}el)?" +
  "|date[\\s_-]{1,3}de[\\s_-]{1,3}naissance|n\\u00e9e?(?:\\s{1,3}le)?)(?![a-z])" +
  "|(?-i:(?:DOB|Dob|DateOfBirth|BirthDate|Birthdate|Birthday|BirthDt)" +
  "(?<=[a-z](?:DOB|Dob|DateOfBirth|BirthDate|Birthdate|Birthday|BirthDt))))";
/**
 * Between label and date, a few of: white space, `:` `=` `#` `_` `-`, quotes,
 * "is", "was", "on", or a format in parentheses (`Date of Birth (MM/DD/YYYY):`).
 */
const SEP = "(?:[\\s:=#_\"'`\\\\-]|is|was|on|\\([A-Za-z/.\\s-]{1,16}\\)){0,8}";
const LABELED = new RegExp(`${LABEL}${SEP}${DATE}(?!\\d)`, "i");
/** "born on …", "birthday is …": a date of birth only with a patient, MRN or DOB nearby. */
const LOOSE = new RegExp(
  `(?<![A-Za-z])(?:born|birth[\\s_-]{0,3}day)(?![a-z])${SEP}${DATE}(?!\\d)`,
  "i",
);
/** What every loose birth wording holds: text without it skips those patterns. */
const BORN = /born|birth/i;
/** What makes a loose "born on …" a patient's: a patient, an MRN, a DOB or a medical record. */
const LOOSE_CONTEXT = /patient|(?<![A-Za-z])(?:mrn|dob|d\.o\.b)(?![a-z])|medical\s{1,3}record/i;
/** "Jane Doe was born on …", "Jane Doe, born …", "Jane Doe's birthday is …": a person's. */
const NAMED_LOOSE = new RegExp(
  `${NAME}(?:'s)?,?\\s{1,3}(?:was\\s{1,3})?(?:born|birth[\\s_-]{0,3}day)(?![a-z])${SEP}${DATE}(?!\\d)`,
);
/** A name, then "b." and a date: "Jane Doe, b. 03/04/1961". */
const NAMED_BORN = new RegExp(`${NAME},?\\s{1,3}b\\.\\s{1,3}${DATE}(?!\\d)`);
/** "Patient: Jane Doe 03/04/1961" (group 1 set) or "Name: Jane Doe, 03/04/1961". */
const PERSON_SOURCE =
  `(?<![A-Za-z])(?:([Pp]atient|PATIENT)|[Nn]ame|NAME)["']?\\s{0,3}[:=]\\s{0,3}["']?${NAME}\\s{0,3}[,;(]?\\s{0,3}${DATE}(?!\\d)`;
const PERSON = new RegExp(PERSON_SOURCE);
const PERSONS = new RegExp(PERSON_SOURCE, "g");
/** What makes a "Name: … date" about a patient: a patient, a birth, a DOB or an MRN. */
const PATIENT_CONTEXT =
  /patient|(?<![A-Za-z])(?:birth|born|dob(?![a-z])|d\.o\.b|mrn(?![a-z])|medical\s{1,3}record)/gi;
/** How far around a "Name: … date" to look for that context, in characters. */
const CONTEXT_BEFORE = 200;
const CONTEXT_AFTER = 100;
/** PID-7 (date/time of birth) of an HL7 v2 PID segment: `PID|1||…||DOE^JANE||19610304|F`. */
const HL7_PID =
  /(?<![A-Za-z])PID\|(?:[^|\r\n]{0,200}\|){6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{0,10}(?:[+-]\d{4})?(?=[|^~\r\n]|$)/;
/**
 * Keys that end in a birth label: `dob`, `patient_dob`, `birth_dt`,
 * `date-of-birth`, the labels written for people as the scan joins them
 * (`Date_of_Birth`, `Birth_Date`, `D_O_B`), and a plural over a list (`dobs`).
 */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_-]){0,3}(?:dob|d_o_b|dates?[_-]?of[_-]?birth|birth[_-]?(?:date|dt|day)|geburtsdatum|fecha[_-]?(?:de[_-]?)?nacimiento)s?$/i;
/** `patientDOB`, `patientDob`, `motherBirthDate`, `childrenDOBs`. */
const CAMEL_KEY =
  /^(?!next|upcoming)[a-z][A-Za-z0-9]{0,30}(?:DOB|Dob|DateOfBirth|BirthDate|Birthdate|Birthday|BirthDt)s?$/;
const isDobKey = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
const BARE = new RegExp(`^${DATE}${TIME}$`, "i");

/** Whether `text` holds a date of birth. */
export function detectDateOfBirth(text: string, key: string | undefined): boolean {
  if (key !== undefined && isDobKey(key)) {
    if (BARE.test(text.trim())) return true;
  }
  if (LABELED.test(text)) return true;
  if (BORN.test(text)) {
    if (NAMED_LOOSE.test(text)) return true;
    if (LOOSE.test(text) && LOOSE_CONTEXT.test(text)) return true;
  }
  if (text.includes("b.") && NAMED_BORN.test(text)) return true;
  if (text.includes("PID|") && HL7_PID.test(text)) return true;
  const first = PERSON.exec(text);
  if (first === null) return false;
  if (first[1] !== undefined) return true;
  // Where the text mentions a patient, found once, on the first "Name: … date".
  let context: number[] | undefined;
  let next = 0;
  for (const m of text.matchAll(PERSONS)) {
    if (m[1] !== undefined) return true;
    context ??= Array.from(text.matchAll(PATIENT_CONTEXT), (c) => c.index);
    if (context.length === 0) return false;
    while (next < context.length && context[next]! < m.index - CONTEXT_BEFORE) next++;
    if (next < context.length && context[next]! <= m.index + m[0].length + CONTEXT_AFTER) {
      return true;
    }
  }
  return false;
}
