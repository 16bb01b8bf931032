/**
 * ICD-10 diagnosis codes. A short or undotted code such as `I10`, `E119` or
 * `S72001A` only counts after a label ("ICD-10", "diagnosis", "dx", an X12
 * 837 `HI` qualifier such as `ABK:`), or under a key such as `icd10`,
 * `diagnosis_code` or `primaryDxCode`. The dotted form (`E11.9`, `S72.001A`,
 * uppercase), which ordinary words and version numbers do not take, needs a
 * clinical word near it ("patient", "diagnosed", "fracture", "ICD"…) or a
 * clinical key: rooms, sections, tables, bolts, firmware and error codes
 * (`Room B12.3`, `Error E11.9`) take that shape too.
 *
 * @example
 * ```ts
 * detectIcd10Code("dx: I10", undefined); // true
 * detectIcd10Code("diagnosed with E11.9", undefined); // true
 * detectIcd10Code("HI*ABK:E119*ABF:I10~", undefined); // true
 * detectIcd10Code("E119", "diagnosis_code"); // true
 * detectIcd10Code("part E119 is in stock", undefined); // false
 * detectIcd10Code("upgrade to v12.3", undefined); // false
 * detectIcd10Code("Room B12.3", undefined); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";

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
const LABELED = new RegExp(
  `${ICD_LABEL}${SEP}${CODE}(?![\\w.])|${DX_LABEL}${SEP}${DX_CODE}`,
  "i",
);
const DOTTED = /(?<![\w.-])[A-TW-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}(?![\w.-])/;
const DOTTED_ALL = new RegExp(DOTTED.source, "g");
/**
 * What makes a dotted code a diagnosis: a patient, a diagnosis, an ICD label
 * or a clinical word, not inside a word ("diagnosed", "fractured" count).
 */
const CLINICAL =
  /(?<![A-Za-z])(?:patient|diagnos|dx(?![a-z])|icd(?![a-z])|clinic|medical|hospital|admitted|disorder|disease|syndrome|fracture|injur|symptom|chronic|comorbid|pregnan|treatment|treated|therap)/gi;
/** How far around a dotted code to look for that context, in characters. */
const CONTEXT_BEFORE = 200;
const CONTEXT_AFTER = 100;
/** Keys that end in a diagnosis label: `icd10`, `icd10_code`, `diagnosis_codes`, `primary_dx`. */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_-]){0,3}(?:icd[_-]?(?:10)?(?:[_-]?cm)?|diagnosis|dx)(?:[_-]?codes?)?$/i;
/** `primaryDxCode`, `admittingDiagnosis`, `claimIcd10Codes`. */
const CAMEL_KEY =
  /^[a-z][A-Za-z0-9]{0,30}(?:ICD10|Icd10|ICD|Icd|Diagnosis|DX|Dx)(?:Codes?|CODES?|Cm|CM)?$/;
const isIcd10Key = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
/** Keys under which a dotted code is a diagnosis: the ICD keys, and `patient_notes`, `clinicalSummary`. */
const CLINICAL_KEY = /patient|diagnos|clinic|medical/i;
const isClinicalKey = keyNamed((key) => isIcd10Key(key) || CLINICAL_KEY.test(key));
const BARE = new RegExp(`^${CODE}$`, "i");

/** Whether `text` holds an ICD-10 code in a context that makes it one. */
export function detectIcd10Code(text: string, key: string | undefined): boolean {
  if (key !== undefined && isIcd10Key(key)) {
    if (BARE.test(text.trim())) return true;
  }
  if (LABELED.test(text)) return true;
  if (!DOTTED.test(text)) return false;
  if (key !== undefined && isClinicalKey(key)) return true;
  return dottedNearClinical(text);
}

/** Whether a dotted code in `text` has a clinical word within the context window around it. */
function dottedNearClinical(text: string): boolean {
  let context: number[] | undefined;
  let next = 0;
  for (const m of text.matchAll(DOTTED_ALL)) {
    context ??= Array.from(text.matchAll(CLINICAL), (c) => c.index);
    if (context.length === 0) return false;
    while (next < context.length && context[next]! < m.index - CONTEXT_BEFORE) next++;
    if (next === context.length) return false;
    if (context[next]! <= m.index + m[0].length + CONTEXT_AFTER) return true;
  }
  return false;
}
