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
/**
 * Words that, right after a dotted code, make it something else: a part size
 * ("M12.5 bolt"), a release ("S23.1 firmware"), an error ("E11.9 error").
 */
const NOT_CLINICAL_AFTER = new Set(
  ("bolt bolts screw screws nut nuts thread threads washer washers stud studs tap taps " +
    "firmware build release version error errors")
    .split(" "),
);
/**
 * Clinical words: one within {@linkcode CLINICAL_REACH} characters of a
 * dotted code makes it a diagnosis. Stems take any ending ("diagnosed",
 * "diabetic"); short words and abbreviations stand alone ("pt", "hx", "dx").
 * A visit, a claim and its billing say so too ("reason for visit", "seen
 * today", "CPT", "claim 88421", "billing"), and so does an office visit's
 * CPT code (`99213`) in the same row.
 */
const CLINICAL_WORD = new RegExp(
  "(?<![A-Za-z])(?:(?:diagnos|diabet|mellitus|hypertens|neoplas|malignan|carcinom|cancer|" +
    "tumou?r|chemo|pneumon|covid|asthma|fractur|infect|inflamm|patient|clinic|medical|" +
    "medicat|symptom|syndrom|disorder|disease|chronic|acute|comorbid|prescri|metformin|" +
    "insulin|nicotine|glucose|sickle|depress|anxiety|obes|hyperlipid|injur|pregnan|allerg|" +
    "therap|hospitali[sz]|admitted|admission|discharg|uncontrolled|complication|abnormal|" +
    "encounter|physician|treat)[a-z]*|" +
    "(?:pain|icd|dx|ddx|hx|pt|pmh|mdd|copd|ckd|chf|hcc|picc|crisis|conditions?|" +
    "assessment|history of|problem list|follow-up|a/p|cpt|billing|admit(?:s|ting)?|" +
    "chief complaint|reason for (?:visit|encounter|admission|referral)|" +
    "(?:office|clinic|sick|well|telehealth) visits?|visit (?:reason|diagnos[a-z]*|note)|" +
    "seen (?:today|in clinic|by)|claim(?: (?:no|number|id|line))?[.:#]? ?#?(?=\\d))" +
    "(?![A-Za-z])|(?<![\\w.-])99[2-4]\\d\\d(?![\\w.]))",
  "gi",
);
/** How far from a dotted code a clinical word is looked for, in characters, each side. */
const CLINICAL_REACH = 40;
/**
 * Words that head a clinical document or its part (a discharge summary, an
 * admission, an encounter, a diagnosis, a reason for visit): one of them
 * reaches the codes that follow it within {@linkcode DOCUMENT_REACH}
 * characters, as a summary lists its codes well below its title.
 */
const DOCUMENT_WORD =
  /^(?:discharg|admission|admitted|encounter|diagnos(?:is|es|ed)$|icd|chief complaint|reason for)/i;
/** How far after a {@linkcode DOCUMENT_WORD} a dotted code is still read as clinical. */
const DOCUMENT_REACH = 800;
/**
 * A key written before a value in text: `"codes":["`, `'dx': '`, `conditions: `.
 * Tried only where a `:` or `=` stands within {@linkcode PAIR_MARK_REACH}
 * characters before the code, as it must for this to match.
 */
const PAIR_BEFORE = /["']?([A-Za-z_][\w -]{0,30}?)["']?\s{0,2}[:=]\s{0,2}\[?\s{0,2}["']?$/;
/** How far before a dotted code such a key is looked for, in characters. */
const PAIR_REACH = 48;
/** The most characters `PAIR_BEFORE` lets stand between its `:` or `=` and the code, plus one. */
const PAIR_MARK_REACH = 7;
/** Inside a spreadsheet function after `=` (`=SUM(A10.5`, `=ROUND(SUM(B1, A10.5`). */
const FORMULA = /^=\s{0,2}(?:[A-Z][A-Z0-9.]{0,15}\(\s{0,2}){1,3}[^()=]*$/i;
/** How far before a code a formula's `=` is looked for, in characters. */
const FORMULA_REACH = 48;
/** A cell before a range's `:` (`A10.5:` or `$A$10:`), at the end of the text before a code. */
const RANGE_START = /(?<![\w.$])\$?[A-Z]{1,3}\$?\d{1,7}(?:\.\d{1,4})?:$/i;
/** A range's `:` and cell right after a code (`:B12.3`), read at the code's end. */
const RANGE_END = /:\$?[A-Z]{1,3}\$?\d/iy;
/**
 * What separates two codes of one written list: a comma or semicolon and white
 * space after it (a bare comma separates cells: `WP1,N40.7,W74.0`).
 */
const LIST_GAP = /^\s{0,3}[,;]\s{1,3}$/;
const LIST_GAP_MAX = 7;
/**
 * Keys that end in a diagnosis label: `icd10`, `icd10_code`, `diagnosis_codes`,
 * `primary_dx`, and as a form or a sheet writes them, `Diagnosis Code`, `ICD-10 Code`.
 */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_ -]){0,3}(?:icd[_ -]?(?:10)?(?:[_ -]?cm)?|diagnosis|dx)(?:[_ -]?codes?)?$/i;
/** `primaryDxCode`, `admittingDiagnosis`, `claimIcd10Codes`, `PrimaryDxCode`. */
const CAMEL_KEY =
  /^[A-Za-z][A-Za-z0-9]{0,30}(?:ICD10|Icd10|ICD|Icd|Diagnosis|DX|Dx)(?:Codes?|CODES?|Cm|CM)?$/;
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
 * Keys that name codes, conditions, a history, an assessment or a reason
 * (`reason`, `Reason For Visit`): generic
 * words (a chat history, terms and conditions, a discount code), so they are
 * a clinical signal for a dotted code that nothing marks as something else,
 * not for `Room B12.3`.
 */
const CODE_KEY =
  /(?:^|[^a-z])(?:codes?|conditions?|history|assessments?|problems?|reasons?)(?:[^a-z]|$)/;
const isCodeKey = keyNamed((key) =>
  CODE_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
);
/**
 * Keys that rank diagnoses (`primary`, `secondary`): a signal for a value
 * that is one dotted code and nothing else (`{"primary":"F32.9"}`).
 */
const RANK_KEY = /(?:^|[^a-z])(?:primary|secondary)(?:[^a-z]|$)/;
const isRankKey = keyNamed((key) =>
  RANK_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase())
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
/**
 * How a dotted code's surroundings read it: a diagnosis (a clinical word
 * nearby), nothing either way (`weak`), something else (`soft`), a formula (`hard`).
 */
const COUNTS = 0;
const WEAK = 1;
const SOFT = 2;
const HARD = 3;
/** Words right before a list's first code that leave it free: none of them is a word. */
const LIST_OPENS = /(?:^|[(\[{"'`\n]|[,;] |[,;]\r?\n|\. )\s{0,3}$/;

/** Whether `text` holds an ICD-10 code in a context that makes it one. */
export function detectIcd10Code(text: string, key: string | undefined): boolean {
  if (key !== undefined && isIcd10Key(key)) {
    if (BARE.test(text.trim())) return true;
  }
  if (LABELED.test(text)) return true;
  if (!DOTTED.test(text)) return false;
  if (key === undefined) return WHOLE_CODE.test(text) || dottedCounts(text, false);
  if (isIcd10Key(key)) return true;
  // `clinic_room`, `medical_device_firmware`: the place or the part decides, for a code
  // alone; any other text there is read as text.
  if (isNotClinicalKey(key)) return !WHOLE_CODE.test(text) && dottedCounts(text, false);
  if (isClinicalKey(key)) return true;
  return dottedCounts(text, isCodeKey(key) || (isRankKey(key) && WHOLE_CODE.test(text)));
}

/**
 * Whether a dotted code in `text` counts: one with a clinical word nearby
 * (or, with `signal`, under a key that names codes, one nothing marks as
 * something else), or two in a list that no word opens. One pass; each code
 * looks at a bounded stretch around it, and the clinical words are read once,
 * in step with the codes.
 */
function dottedCounts(text: string, signal: boolean): boolean {
  const marks: Marks = {
    words: new ClinicalWords(text),
    equals: new LastBefore(text, "="),
    colon: new LastBefore(text, ":"),
  };
  let previousEnd = -1;
  let previous = HARD;
  // Where the list the previous code belongs to starts, -1 for one that cannot count (it
  // starts with a formula); whether it opened free (see `listStartsFree`) is read only
  // when a second code joins it.
  let listStart = -1;
  for (const m of text.matchAll(DOTTED_ALL)) {
    const start = m.index;
    const end = start + m[0].length;
    const reading = readingOf(text, start, end, marks);
    if (reading === COUNTS || (signal && reading === WEAK)) return true;
    const inList = previous !== HARD && reading !== HARD && start - previousEnd <= LIST_GAP_MAX &&
      hasListMark(text, previousEnd, start) && LIST_GAP.test(text.slice(previousEnd, start));
    if (inList && listStart !== -1 && listStartsFree(text, listStart)) return true;
    if (!inList) listStart = reading === HARD ? -1 : start;
    previous = reading;
    previousEnd = end;
  }
  return false;
}

/** Whether a `,` or `;` stands between `from` and `to`, as one of a list's gaps must. */
function hasListMark(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x3b) return true;
  }
  return false;
}

/**
 * Whether a list that starts with the code at `start` opens with no word
 * right before it: at the start of the text, or after an opening bracket or
 * quote, a line break, a sentence's end or a written `, ` (`Member: John
 * Smith, E11.9, F32.9`); not after a word or a label (`Tests S12.4, S12.5`,
 * `Sizes: M10.5, M11.5`; a clinical label counts on its own) or as a cell
 * after a bare comma (`WP1,N40.7,W74.0`).
 */
function listStartsFree(text: string, start: number): boolean {
  return LIST_OPENS.test(text.slice(Math.max(0, start - 8), start));
}

/** How the text around the code at `start`…`end` reads it (see `COUNTS`, `WEAK`, `SOFT`, `HARD`). */
function readingOf(text: string, start: number, end: number, marks: Marks) {
  const equals = marks.equals.before(start);
  if (start - equals <= FORMULA_REACH && FORMULA.test(text.slice(equals, start))) return HARD;
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
  if (marks.words.near(start, end)) return COUNTS;
  // A key written in the text (JSON, YAML): `"codes": ["E11.9"`, `conditions: E11.9`.
  // `PAIR_BEFORE` needs a `:` or `=` close before the code.
  if (
    start - equals > PAIR_MARK_REACH && start - marks.colon.before(start) > PAIR_MARK_REACH
  ) {
    return WEAK;
  }
  const pair = PAIR_BEFORE.exec(text.slice(Math.max(0, start - PAIR_REACH), start));
  if (pair !== null) {
    const named = pair[1]!.trim();
    if (isIcd10Key(named) || isClinicalKey(named) || isCodeKey(named)) return COUNTS;
  }
  return WEAK;
}

/** What `readingOf` reads of a text once, in step with its codes. */
interface Marks {
  words: ClinicalWords;
  equals: LastBefore;
  colon: LastBefore;
}

/**
 * The last place a character stands before a point of one text, the points
 * asked in order: each occurrence is found once, so the asks cost one pass.
 */
class LastBefore {
  readonly #text: string;
  readonly #char: string;
  #last = -Infinity;
  #next: number;

  constructor(text: string, char: string) {
    this.#text = text;
    this.#char = char;
    this.#next = text.indexOf(char);
  }

  /** Where `char` last stands before `at` (-infinity for nowhere). */
  before(at: number): number {
    while (this.#next !== -1 && this.#next < at) {
      this.#last = this.#next;
      this.#next = this.#text.indexOf(this.#char, this.#next + 1);
    }
    return this.#last;
  }
}

/**
 * The clinical words of one text, found in one pass as the codes of the text
 * ask for them in order: each code asks whether one stands within
 * {@linkcode CLINICAL_REACH} characters of it either side, or a
 * {@linkcode DOCUMENT_WORD} within {@linkcode DOCUMENT_REACH} before it.
 */
class ClinicalWords {
  readonly #text: string;
  /** The first word not yet passed by a code, `null` past the last, `undefined` not yet read. */
  #next: { start: number; end: number; document: boolean } | null | undefined = undefined;
  /** Where the search for the next word resumes. */
  #from = 0;
  #lastEnd = -Infinity;
  #lastDocumentEnd = -Infinity;

  constructor(text: string) {
    this.#text = text;
  }

  /** Whether the code at `start`…`end` has a clinical word near it. Codes must come in order. */
  near(start: number, end: number): boolean {
    for (;;) {
      if (this.#next === undefined) this.#next = this.#read();
      const next = this.#next;
      if (next === null || next.end > start) break;
      this.#lastEnd = next.end;
      if (next.document) this.#lastDocumentEnd = next.end;
      this.#next = undefined;
    }
    if (start - this.#lastEnd <= CLINICAL_REACH) return true;
    if (this.#next !== null && this.#next.start < end + CLINICAL_REACH) return true;
    return start - this.#lastDocumentEnd <= DOCUMENT_REACH;
  }

  #read() {
    CLINICAL_WORD.lastIndex = this.#from;
    const m = CLINICAL_WORD.exec(this.#text);
    if (m === null) return null;
    this.#from = CLINICAL_WORD.lastIndex;
    return {
      start: m.index,
      end: m.index + m[0].length,
      document: DOCUMENT_WORD.test(m[0]),
    };
  }
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

/** Whether the character at `at` is a letter, a digit or `_` in any script. */
function isWordChar(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  return /[\p{L}\p{N}_]/u.test(text[at]!);
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
  if (i > 0 && isWordChar(text, i - 1)) return undefined;
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
