/**
 * Whether a dotted ICD-10 code (`E11.9`, `S72.001A`) in a text counts as a
 * diagnosis: one with a clinical word nearby, one under a key written in the
 * text that names codes (`"codes": ["E11.9"`), or two in a list that no word
 * opens; not one that a word, a spreadsheet formula or a cell range marks as
 * something else. {@linkcode DOTTED_ICD10} is the dotted form itself.
 *
 * @example
 * ```ts
 * dottedIcd10Counts("Type 2 diabetes (E11.9)", false); // true
 * dottedIcd10Counts("E11.9, F32.9", false); // true
 * dottedIcd10Counts("Sizes: M10.5, M11.5", false); // false
 * dottedIcd10Counts("=SUM(A10.5)", true); // false
 * ```
 */
import { ClinicalWords } from "./clinical_words.ts";
import { codeMarkedOther } from "./code_marked_other.ts";
import { isClinicalKey, isCodeKey, isIcd10Key } from "./icd10_key_kinds.ts";
import { LastBefore } from "./last_before.ts";

/**
 * The dotted form: uppercase, not inside a word, a version (`R1.2.3`) or a
 * name (`x-A10.1`); a full stop may end the sentence after it.
 */
export const DOTTED_ICD10 = /(?<![\w.-])[A-UW-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}(?![\w-]|\.[\w.-])/;
const DOTTED_ALL = new RegExp(DOTTED_ICD10.source, "g");
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
 * How a dotted code's surroundings read it: a diagnosis (a clinical word
 * nearby), nothing either way (`weak`), something else (`soft`), a formula (`hard`).
 */
const COUNTS = 0;
const WEAK = 1;
const SOFT = 2;
const HARD = 3;
/** Words right before a list's first code that leave it free: none of them is a word. */
const LIST_OPENS = /(?:^|[(\[{"'`\n]|[,;] |[,;]\r?\n|\. )\s{0,3}$/;

/**
 * Whether a dotted code in `text` counts: one with a clinical word nearby
 * (or, with `signal`, under a key that names codes, one nothing marks as
 * something else), or two in a list that no word opens. One pass; each code
 * looks at a bounded stretch around it, and the clinical words are read once,
 * in step with the codes.
 */
export function dottedIcd10Counts(text: string, signal: boolean): boolean {
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
  if (codeMarkedOther(text, start, end)) return SOFT;
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
