/**
 * Whether the words right around a dotted ICD-10 code mark it as something
 * else: a place, a part of a document, a thing built or released, a part
 * ("Room B12.3", "Error code no. E11.9", "run test S12.4") before it, or a
 * part size, a release or an error ("M12.5 bolt", "S23.1 firmware") after it.
 *
 * @example
 * ```ts
 * codeMarkedOther("Room B12.3", 5, 10); // true
 * codeMarkedOther("M12.5 bolt", 0, 5); // true
 * codeMarkedOther("glucose tolerance test R73.02", 23, 29); // false
 * ```
 */

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
 * Whether a word right before the code at `start`…`end` (past up to two
 * fillers) or right after it says the code is no diagnosis.
 */
export function codeMarkedOther(text: string, start: number, end: number): boolean {
  let word = wordBefore(text, start);
  // Up to two fillers: "Error code no. E11.9".
  for (let i = 0; i < 2 && word !== undefined && FILLERS.has(word.text); i++) {
    word = wordBefore(text, word.start);
  }
  if (word !== undefined && namesOther(word.text, text, word.start)) return true;
  return NOT_CLINICAL_AFTER.has(wordAfter(text, end));
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
