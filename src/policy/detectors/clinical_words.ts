/**
 * The clinical words of one text ("diagnosed", "patient", "CPT", "reason for
 * visit", an office visit's CPT code `99213`, …) and the words that head a
 * clinical document ("discharge", "encounter"), read in one pass as the dotted
 * ICD-10 codes of the text ask, in order, whether one stands near them.
 *
 * @example
 * ```ts
 * const text = "Patient seen today: E11.9";
 * new ClinicalWords(text).near(20, 25); // true
 * new ClinicalWords("Room B12.3").near(5, 10); // false
 * ```
 */

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
 * The clinical words of one text, found in one pass as the codes of the text
 * ask for them in order: each code asks whether one stands within
 * {@linkcode CLINICAL_REACH} characters of it either side, or a
 * {@linkcode DOCUMENT_WORD} within {@linkcode DOCUMENT_REACH} before it.
 */
export class ClinicalWords {
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
