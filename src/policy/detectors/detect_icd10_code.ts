/**
 * ICD-10 diagnosis codes. A short or undotted code such as `I10`, `E119` or
 * `S72001A` only counts after a label ("ICD-10", "diagnosis", "dx", an X12
 * 837 `HI` qualifier such as `ABK:`), or under a key such as `icd10`,
 * `diagnosis_code` or `primaryDxCode`. The dotted form (`E11.9`, `S72.001A`,
 * uppercase), which ordinary words and version numbers do not take, counts
 * wherever it stands (a code list, a problem list, a description, a note),
 * failing closed, except where the text says it is something else: right
 * after a word such as "Room", "Section", "Table", "Error", "firmware",
 * "build", "flight" or "test" (`Room B12.3`, `Error code E11.9`), before
 * "bolt" or "screw" (`M12.5 bolt`), in a spreadsheet formula or cell range
 * (`=SUM(A10.5)`, `A10.5:B12.3`), or alone as the value of a key that
 * names a place, a part or a release (`location`, `clinic_room`,
 * `firmware_version`). A label still makes it a diagnosis, and so does a
 * second code next to it in a list (`Error E11.9, F32.9`), formulas aside.
 * Under a clinical key (`patient_notes`, `comorbidities`, `encounter`) that
 * names no place or part, every dotted code counts. A clinical word nearby
 * does not ("Error E11.9 on the printer in the patient lounge").
 *
 * @example
 * ```ts
 * detectIcd10Code("dx: I10", undefined); // true
 * detectIcd10Code("Type 2 diabetes mellitus without complications (E11.9)", undefined); // true
 * detectIcd10Code("HI*ABK:E119*ABF:I10~", undefined); // true
 * detectIcd10Code("E119", "diagnosis_code"); // true
 * detectIcd10Code("E11.9", "codes"); // true
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
/**
 * The dotted form: uppercase, not inside a word, a version (`R1.2.3`) or a
 * name (`x-A10.1`); a full stop may end the sentence after it.
 */
const DOTTED = /(?<![\w.-])[A-UW-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}(?![\w-]|\.[\w.-])/;
const DOTTED_ALL = new RegExp(DOTTED.source, "g");
/**
 * Words that, right before a dotted code, say it is no diagnosis: places,
 * parts of documents, things built and released, parts (each also read with
 * a final `s`: "Rooms", "Tables"). Not "line" ("PICC line T82.7XXA") or "patch"
 * ("nicotine patch F17.210"): complications and treatments take them.
 */
const NOT_CLINICAL_BEFORE = new Set(
  ("room rm section sect sec table tbl chapter figure fig appendix annex clause paragraph " +
    "para page row col column step item exhibit slide gate unit floor suite level " +
    "aisle bay shelf bin seat lot model error err firmware fw build release version ver rev " +
    "revision sprint flight bolt screw part sku serial")
    .split(" "),
);
/**
 * Words that say so only after one of their own: "run test S12.4" but not
 * "glucose tolerance test R73.02", "Excel cell A10.5" but not "sickle cell D57.1".
 */
const NOT_CLINICAL_AFTER_WORD = new Map([
  [
    "test",
    new Set(
      "run runs ran rerun unit integration failing failed flaky smoke regression e2e automated"
        .split(" "),
    ),
  ],
  ["cell", new Set("excel spreadsheet sheet in the table".split(" "))],
]);
/** Words between such a word and the code: "Room no. B12.3", "Error code E11.9". */
const FILLERS = new Set(["no", "nr", "num", "number", "code", "id", "ref"]);
/** Words that, right after a dotted code, make it a part size: "M12.5 bolt". */
const NOT_CLINICAL_AFTER = new Set(
  "bolt bolts screw screws nut nuts thread threads washer washers stud studs tap taps"
    .split(" "),
);
/** Inside a spreadsheet function after `=` (`=SUM(A10.5`, `=ROUND(SUM(B1, A10.5`). */
const FORMULA = /^=\s{0,2}(?:[A-Z][A-Z0-9.]{0,15}\(\s{0,2}){1,3}[^()=]*$/i;
/** How far before a code a formula's `=` is looked for, in characters. */
const FORMULA_REACH = 48;
/** A cell before a range's `:` (`A10.5:` or `$A$10:`), at the end of the text before a code. */
const RANGE_START = /(?<![\w.$])\$?[A-Z]{1,3}\$?\d{1,7}(?:\.\d{1,4})?:$/i;
/** A range's `:` and cell right after a code (`:B12.3`), read at the code's end. */
const RANGE_END = /:\$?[A-Z]{1,3}\$?\d/iy;
/** What separates two codes of one list: a comma or semicolon, white space around it. */
const LIST_GAP = /^\s{0,3}[,;]\s{0,3}$/;
const LIST_GAP_MAX = 7;
/** Keys that end in a diagnosis label: `icd10`, `icd10_code`, `diagnosis_codes`, `primary_dx`. */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_-]){0,3}(?:icd[_-]?(?:10)?(?:[_-]?cm)?|diagnosis|dx)(?:[_-]?codes?)?$/i;
/** `primaryDxCode`, `admittingDiagnosis`, `claimIcd10Codes`. */
const CAMEL_KEY =
  /^[a-z][A-Za-z0-9]{0,30}(?:ICD10|Icd10|ICD|Icd|Diagnosis|DX|Dx)(?:Codes?|CODES?|Cm|CM)?$/;
const isIcd10Key = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
/**
 * Keys that say a value is clinical whatever its words: `patient_notes`,
 * `clinicalSummary`, `comorbidities`, `problem_list`, `pmh`, `hcc_codes`,
 * `encounter`, `dx1`. Generic words (`history`, `conditions`, `codes`,
 * `assessment`) are not among them: chat histories and terms and conditions
 * name rooms and sections too (a plain code under them counts anyway).
 */
const CLINICAL_KEY =
  /patient|diagnos|clinic|medical|comorbid|problem_?list|encounter|icd|(?:^|[^a-z])(?:pmh|hx|hcc|dx\d*)(?:[^a-z]|$)/i;
const isClinicalKey = keyNamed((key) =>
  CLINICAL_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))
);
/**
 * Keys under which a value that is one dotted code and nothing else is a
 * place, a part or a release: `location`, `clinic_room`, `meetingRoom`,
 * `firmware_version`.
 */
const NOT_CLINICAL_KEY =
  /(?:^|[^a-z])(?:room|location|loc|address|addr|venue|place|gate|floor|suite|seat|section|chapter|table|figure|page|version|build|release|firmware|model|sku|part|serial|sprint|flight|error|cell|range|formula)s?(?:[^a-z]|$)/;
const isNotClinicalKey = keyNamed((key) =>
  NOT_CLINICAL_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
);
const BARE = new RegExp(`^${CODE}$`, "i");
/** A value that is one dotted code and nothing else. */
const WHOLE_CODE = new RegExp(`^\\s{0,8}${DOTTED.source}\\s{0,8}$`);
/** How a dotted code's surroundings read it: a diagnosis, something else (`soft`), a formula (`hard`). */
const COUNTS = 0;
const SOFT = 1;
const HARD = 2;

/** Whether `text` holds an ICD-10 code in a context that makes it one. */
export function detectIcd10Code(text: string, key: string | undefined): boolean {
  if (key !== undefined && isIcd10Key(key)) {
    if (BARE.test(text.trim())) return true;
  }
  if (LABELED.test(text)) return true;
  if (!DOTTED.test(text)) return false;
  if (key !== undefined) {
    if (isIcd10Key(key)) return true;
    // `clinic_room`, `medical_device_firmware`: the place or the part decides, for a code
    // alone; any other text there is read as text.
    if (isNotClinicalKey(key)) return !WHOLE_CODE.test(text) && dottedCounts(text);
    if (isClinicalKey(key)) return true;
  }
  return dottedCounts(text);
}

/**
 * Whether a dotted code in `text` counts: one that nothing marks as something
 * else, or one marked so only by a word (`soft`) next to another
 * such code in a list. One pass; each code looks at a bounded stretch around it.
 */
function dottedCounts(text: string): boolean {
  let previousEnd = -1;
  let previous = HARD;
  for (const m of text.matchAll(DOTTED_ALL)) {
    const start = m.index;
    const end = start + m[0].length;
    const reading = readingOf(text, start, end);
    if (reading === COUNTS) return true;
    if (
      reading === SOFT && previous === SOFT && start - previousEnd <= LIST_GAP_MAX &&
      LIST_GAP.test(text.slice(previousEnd, start))
    ) return true;
    previous = reading;
    previousEnd = end;
  }
  return false;
}

/** How the text around the code at `start`…`end` reads it (see `COUNTS`, `SOFT`, `HARD`). */
function readingOf(text: string, start: number, end: number) {
  const head = text.slice(Math.max(0, start - FORMULA_REACH), start);
  const equals = head.lastIndexOf("=");
  if (equals !== -1 && FORMULA.test(head.slice(equals))) return HARD;
  if (
    text.charCodeAt(start - 1) === 0x3a &&
    RANGE_START.test(text.slice(Math.max(0, start - 16), start))
  ) {
    return HARD;
  }
  RANGE_END.lastIndex = end;
  if (RANGE_END.test(text)) return HARD;
  let word = wordBefore(text, start);
  // Up to two fillers: "Error code no. E11.9".
  for (let i = 0; i < 2 && word !== undefined && FILLERS.has(word.text); i++) {
    word = wordBefore(text, word.start);
  }
  if (word !== undefined && namesOther(word.text, text, word.start)) return SOFT;
  if (NOT_CLINICAL_AFTER.has(wordAfter(text, end))) return SOFT;
  return COUNTS;
}

/** Whether `word`, starting at `start` in `text`, says the code after it is no diagnosis. */
function namesOther(word: string, text: string, start: number): boolean {
  const singular = word.endsWith("s") ? word.slice(0, -1) : word;
  if (NOT_CLINICAL_BEFORE.has(word) || NOT_CLINICAL_BEFORE.has(singular)) return true;
  const after = NOT_CLINICAL_AFTER_WORD.get(word) ?? NOT_CLINICAL_AFTER_WORD.get(singular);
  if (after === undefined) return false;
  const before = wordBefore(text, start);
  return before !== undefined && after.has(before.text);
}

/** The longest a label word is read, in letters. */
const WORD_MAX = 12;
/** Between a word and a code: white space, `:`, `#`, `-`, `.` (`Room no.: B12.3`). */
function isGap(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x3a || c === 0x23 || c === 0x2d ||
    c === 0x2e;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * The word right before `at` (lower case, where it starts), past up to four
 * gap characters, at least one; none for a longer word or no word.
 */
function wordBefore(text: string, at: number): { text: string; start: number } | undefined {
  let i = at;
  while (i > 0 && at - i < 4 && isGap(text.charCodeAt(i - 1))) i--;
  if (i === at) return undefined;
  const end = i;
  while (i > 0 && end - i <= WORD_MAX && isLetter(text.charCodeAt(i - 1))) i--;
  if (i === end || end - i > WORD_MAX) return undefined;
  if (i > 0 && /[\p{L}\p{N}_]/u.test(text[i - 1]!)) return undefined;
  return { text: text.slice(i, end).toLowerCase(), start: i };
}

/** The word right after `at` past up to three spaces, in lower case ("" for none). */
function wordAfter(text: string, at: number): string {
  let i = at;
  while (i < text.length && i - at < 3 && text.charCodeAt(i) === 0x20) i++;
  const start = i;
  while (i < text.length && i - start <= WORD_MAX && isLetter(text.charCodeAt(i))) i++;
  return text.slice(start, i).toLowerCase();
}
