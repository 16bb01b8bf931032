/**
 * ICD-10 diagnosis codes. A short or undotted code such as `I10`, `E119` or
 * `S72001A` only counts after a label ("ICD-10", "diagnosis", "dx", an X12
 * 837 `HI` qualifier such as `ABK:`, an HL7 `DG1` or `PRB` segment), or
 * under a key such as `icd10`, `diagnosis_code`, `Diagnosis Code` or
 * `primaryDxCode`. The dotted form
 * (`E11.9`, `S72.001A`, uppercase) is also a shoe size (`M10.5`), a waypoint
 * (`N47.6`), a part (`R10.1`), a test (`S12.4`), a model (`S23.1`) or an
 * error code, so in free text it counts only with a clinical signal:
 *
 * - a clinical word within 40 characters ("diagnosed", "patient",
 *   "diabetes", "history of", "assessment", "ICD", "pain", "CPT", "reason
 *   for visit", "seen today", "claim 88421", …) or an office visit's CPT
 *   code (`99213`);
 * - a word that heads a clinical document ("discharge", "admission",
 *   "encounter", "diagnosis", "chief complaint") up to 800 characters
 *   before it;
 * - a list of two or more codes (`E11.9, F32.9`) with no word right before
 *   it and not in comma-separated cells (`WP1,N40.7,W74.0`);
 * - a key that says so: a clinical key (`patient_notes`, `comorbidities`,
 *   `encounter`) takes every dotted code; a key naming codes, conditions, a
 *   history, an assessment or a reason (`codes`, `conditions`, `history`,
 *   `Reason For Visit`) takes one that no word marks as something else, and
 *   a key that ranks diagnoses (`primary`, `secondary`) takes a value that
 *   is one dotted code and nothing else;
 * - the whole value, under no key at all (nothing else to read).
 *
 * A word right before a code can still mark it as something else, whatever
 * clinical word stands nearby: "Room", "Section", "Table", "Error",
 * "firmware", "build", "flight", "run test" (`Room B12.3`, `Error code
 * E11.9`), or "bolt", "firmware", "error" right after it (`M12.5 bolt`); so
 * does a spreadsheet formula or cell range (`=SUM(A10.5)`, `A10.5:B12.3`),
 * or a key that names a place, a part or a release (`location`,
 * `clinic_room`, `firmware_version`) for a code alone.
 *
 * @example
 * ```ts
 * detectIcd10Code("dx: I10", undefined); // true
 * detectIcd10Code("Type 2 diabetes mellitus without complications (E11.9)", undefined); // true
 * detectIcd10Code("HI*ABK:E119*ABF:I10~", undefined); // true
 * detectIcd10Code("DG1|1||F32.9^^I10||20240101|A", undefined); // true
 * detectIcd10Code("E119", "Diagnosis Code"); // true
 * detectIcd10Code("E11.9", "codes"); // true
 * detectIcd10Code("M10.5", "option1"); // false
 * detectIcd10Code("Tests S12.4, S12.5 failed on CI", undefined); // false
 * detectIcd10Code("part E119 is in stock", undefined); // false
 * detectIcd10Code("upgrade to v12.3", undefined); // false
 * detectIcd10Code("Room B12.3", undefined); // false
 * ```
 */
import { DOTTED_ICD10, dottedIcd10Counts } from "./dotted_icd10_counts.ts";
import {
  isClinicalKey,
  isCodeKey,
  isIcd10Key,
  isNotClinicalKey,
  isRankKey,
} from "./icd10_key_kinds.ts";

/** Category (letter, digit, digit or A/B), then up to four more characters, the dot optional. */
const CODE = "[A-Z]\\d[0-9AB](?:\\.?[0-9A-Z]{1,4})?";
/**
 * An ICD label not inside a word, or the X12 837 `HI` qualifiers for ICD-10-CM
 * codes after their `*` (`ABK` principal, `ABF` other, `ABJ` admitting, `ABN`
 * external cause, `APR` reason for visit): any code may follow.
 */
const ICD_LABEL =
  "(?:(?<![A-Za-z])ICD(?:[\\s-]?10(?:-CM)?)?(?![a-z])|(?:ABK|ABF|ABJ|ABN|APR)(?<=\\*...))";
/** "dx" or "diagnosis" not inside a word (`primary_dx` counts). */
const DX_LABEL = "(?<![A-Za-z])(?:diagnos(?:is|es)|dx)(?![a-z])";
/** Between label and code: white space, "code(s)", `:` `#` `=` `_`, quotes. */
const SEP = "(?:[\\s:#=_\"'`\\\\]|codes?){0,8}";
/**
 * After "dx" or "diagnosis": a dotted code or a category, or a longer code
 * without its dot only in a list (`dx: E119, F329`), not before words, which
 * fault and error codes are (`Diagnosis: P0420 catalyst…`, `DX: A770 driver`).
 */
const DX_CODE = "(?:[A-Z]\\d[0-9AB](?:\\.[0-9A-Z]{1,4})?(?![\\w.])" +
  "|[A-Z]\\d[0-9AB][0-9A-Z]{1,4}(?=\\s{0,8}(?:[,;~*|)\"'}\\]\\\\]|$)))";
/**
 * An HL7 v2 diagnosis (`DG1`) or problem (`PRB`) segment at a line's start:
 * a code in any of its first fields or their components
 * (`DG1|1||F32.9^Major depressive disorder^I10||20240101|A`). Each field is
 * read one way (up to its `|`), so a segment costs one pass over its start.
 */
const HL7_SEGMENT = `(?<![^\\r\\n])(?:DG1|PRB)\\|(?:[^|\\r\\n]{0,64}\\|){0,4}` +
  `(?:[^|^\\r\\n]{0,64}\\^){0,2}${CODE}(?=[|^~&\\r\\n]|$)`;
const LABELED = new RegExp(
  `${ICD_LABEL}${SEP}${CODE}(?![\\w.])|${DX_LABEL}${SEP}${DX_CODE}|${HL7_SEGMENT}`,
  "i",
);
const BARE = new RegExp(`^${CODE}$`, "i");
/** A value that is one dotted code and nothing else. */
const WHOLE_CODE = new RegExp(`^\\s{0,8}${DOTTED_ICD10.source}\\s{0,8}$`);

/** Whether `text` holds an ICD-10 code in a context that makes it one. */
export function detectIcd10Code(text: string, key: string | undefined): boolean {
  if (key !== undefined && isIcd10Key(key)) {
    if (BARE.test(text.trim())) return true;
  }
  if (LABELED.test(text)) return true;
  if (!DOTTED_ICD10.test(text)) return false;
  if (key === undefined) return WHOLE_CODE.test(text) || dottedIcd10Counts(text, false);
  if (isIcd10Key(key)) return true;
  // `clinic_room`, `medical_device_firmware`: the place or the part decides, for a code
  // alone; any other text there is read as text.
  if (isNotClinicalKey(key)) return !WHOLE_CODE.test(text) && dottedIcd10Counts(text, false);
  if (isClinicalKey(key)) return true;
  return dottedIcd10Counts(text, isCodeKey(key) || (isRankKey(key) && WHOLE_CODE.test(text)));
}
