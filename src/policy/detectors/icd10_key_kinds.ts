/**
 * The keys an ICD-10 code is read under, by what they say of it: a diagnosis
 * label (`icd10`, `Diagnosis Code`, `primaryDxCode`), a clinical key
 * (`patient_notes`, `comorbidities`), a key naming codes or conditions
 * (`codes`, `Reason For Visit`), a key ranking diagnoses (`primary`), or a key
 * naming a place, a part or a release (`clinic_room`, `firmware_version`).
 * Each test is remembered per key (see `keyNamed`).
 *
 * @example
 * ```ts
 * isIcd10Key("primaryDxCode"); // true
 * isClinicalKey("patient_notes"); // true
 * isCodeKey("Reason For Visit"); // true
 * isRankKey("secondary"); // true
 * isNotClinicalKey("clinic_room"); // true
 * ```
 */
import { keyNamed } from "./key_names.ts";

/**
 * Keys that end in a diagnosis label: `icd10`, `icd10_code`, `diagnosis_codes`,
 * `primary_dx`, and as a form or a sheet writes them, `Diagnosis Code`, `ICD-10 Code`.
 */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_ -]){0,3}(?:icd[_ -]?(?:10)?(?:[_ -]?cm)?|diagnosis|dx)(?:[_ -]?codes?)?$/i;
/** `primaryDxCode`, `admittingDiagnosis`, `claimIcd10Codes`, `PrimaryDxCode`. */
const CAMEL_KEY =
  /^[A-Za-z][A-Za-z0-9]{0,30}(?:ICD10|Icd10|ICD|Icd|Diagnosis|DX|Dx)(?:Codes?|CODES?|Cm|CM)?$/;
export const isIcd10Key = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
/**
 * Keys that say a value is clinical whatever its words: `patient_notes`,
 * `clinicalSummary`, `comorbidities`, `problem_list`, `pmh`, `hcc_codes`,
 * `encounter`, `dx1`. Generic words (`history`, `conditions`, `codes`,
 * `assessment`) are not among them: chat histories and terms and conditions
 * name rooms and sections too (a plain code under them counts anyway).
 */
const CLINICAL_KEY =
  /patient|diagnos|clinic|medical|comorbid|problem_?list|encounter|icd|(?:^|[^a-z])(?:pmh|hx|hcc|dx\d*)(?:[^a-z]|$)/i;
export const isClinicalKey = keyNamed((key) =>
  CLINICAL_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))
);
/**
 * Keys that name codes, conditions, a history, an assessment or a reason
 * (`reason`, `Reason For Visit`): generic
 * words (a chat history, terms and conditions, a discount code), so they are
 * a clinical signal for a dotted code that nothing marks as something else,
 * not for `Room B12.3`.
 */
const CODE_KEY =
  /(?:^|[^a-z])(?:codes?|conditions?|history|assessments?|problems?|reasons?)(?:[^a-z]|$)/;
export const isCodeKey = keyNamed((key) =>
  CODE_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
);
/**
 * Keys that rank diagnoses (`primary`, `secondary`): a signal for a value
 * that is one dotted code and nothing else (`{"primary":"F32.9"}`).
 */
const RANK_KEY = /(?:^|[^a-z])(?:primary|secondary)(?:[^a-z]|$)/;
export const isRankKey = keyNamed((key) =>
  RANK_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
);
/**
 * Keys under which a value that is one dotted code and nothing else is a
 * place, a part or a release: `location`, `clinic_room`, `meetingRoom`,
 * `firmware_version`.
 */
const NOT_CLINICAL_KEY =
  /(?:^|[^a-z])(?:room|location|loc|address|addr|venue|place|gate|floor|suite|seat|section|chapter|table|figure|page|version|build|release|firmware|model|sku|part|serial|sprint|flight|error|cell|range|formula)s?(?:[^a-z]|$)/;
export const isNotClinicalKey = keyNamed((key) =>
  NOT_CLINICAL_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
);
