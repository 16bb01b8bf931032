/**
 * Medical record numbers, which have no universal format, recognized by their
 * label: "MRN: 12345678", "MRN #: 1234-5678", "Medical Record Number
 * #A-0012345", `patient_mrn: 12345678`, `patientMRN`, `"mrn":"12345678"`,
 * "MR# 12345678" (seven digits or more: "MR #4521" is more often a merge
 * request), an HL7 identifier typed `MR` (`12345678^^^HOSP^MR`), or a value of
 * five to twelve digits under a key such as `mrn`, `mrn_id`, `mrnNumber` or
 * `medical_record_number`.
 *
 * @example
 * ```ts
 * detectMrnLabel("MRN: 12345678", undefined); // true
 * detectMrnLabel("12345678", "patient_mrn"); // true
 * detectMrnLabel("the MRN field is required", undefined); // false
 * detectMrnLabel("mRNA-12345 lot", undefined); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";

/** A record number: letters, then five to twelve digits in one run or in two or three groups. */
const VALUE = "[A-Z]{0,3}-?(?:\\d{5,12}|\\d{2,6}-\\d{2,6}(?:-\\d{1,6})?)";
/**
 * The label: `mrn` (or `mrn_id`, `mrnNumber`) not inside a word nor followed
 * by a letter (`patient_mrn` counts, `mRNA` does not), `MRN` ending a
 * camelCase name, "medical record", "med rec".
 */
const LABEL =
  "(?:(?<![A-Za-z])(?:mrn(?:[_-]?(?:number|num|nbr|no|id))?(?![a-z])|medical[\\s_-]{1,3}record|med[\\s_-]{0,3}rec)|(?-i:(?:MRN|Mrn|MedicalRecord)(?<=[a-z](?:MRN|Mrn|MedicalRecord))))";
/**
 * Between label and number, a few of: white space, `:` `=` `#` `_`, quotes,
 * "no", "number", "id", "is" (`MRN #: `, `"mrn": "`, `MRN is `).
 */
const SEP = "(?:[\\s:=#_\"'`\\\\]|no\\.?|num(?:ber)?|id|is|was){0,8}";
const LABELED = new RegExp(
  `(?:${LABEL}${SEP}${VALUE}|(?<![A-Za-z])MR\\s?#${SEP}\\d{7,12})(?![\\w-])`,
  "i",
);
/** An HL7 v2 extended identifier (CX) whose type code is `MR`: `12345678^^^HOSP^MR`. */
const HL7_CX = /(?<![\w-])[A-Z]{0,3}\d{5,12}\^(?:[^|^\r\n~]{0,40}\^){3}MR(?![A-Za-z0-9])/;
/** What a key may end in after the label: `mrn_id`, `mrnNumber`, a plural (`mrns`). */
const KEY_SUFFIX = "(?:[_-]?(?:number|num|nbr|no|id))?s?";
/**
 * Keys that end in the label: `mrn`, `patient_mrn`, `mrn_id`, `mrnNumber`,
 * `medical_record_no`, `Medical_Record_Number` (as the scan joins a label
 * written for people).
 */
const SNAKE_KEY = new RegExp(
  `^(?:[a-z0-9]{1,30}[_-]|patient){0,3}(?:mrn|medical[_-]?record|med[_-]?rec)${KEY_SUFFIX}$`,
  "i",
);
/** `patientMRN`, `primaryMrnId`, `patientMedicalRecordNumber`. */
const CAMEL_KEY =
  /^[a-z][A-Za-z0-9]{0,30}(?:MRN|Mrn|MedicalRecord)(?:Number|Num|Nbr|No|Id|ID|NUMBER|NUM|NO)?s?$/;
const isMrnKey = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
const KEYED_VALUE = new RegExp(`^${VALUE}$`, "i");

/** Whether `text` holds a labeled medical record number. */
export function detectMrnLabel(text: string, key: string | undefined): boolean {
  if (
    key !== undefined && isMrnKey(key) &&
    KEYED_VALUE.test(text.trim())
  ) return true;
  return LABELED.test(text) || (text.includes("^MR") && HL7_CX.test(text));
}
