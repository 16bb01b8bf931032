/**
 * The form of a text the detectors read. Text that is plain ASCII is read as
 * it is. Other text is put in Unicode compatibility form (NFKC), which turns
 * fullwidth and other styled digits and letters into ASCII ones (`１２３` is
 * `123`) and no-break spaces into spaces; the decimal digits of other
 * scripts become ASCII digits (`١٢٣`, `۱۲۳`, `१२३`: Python's `int()` and
 * many servers read them as `123`); and invisible characters are dropped:
 * format characters (zero-width spaces and joiners, soft hyphens, byte order
 * marks, direction marks) and the rest of Unicode's default-ignorable ones
 * (combining grapheme joiner, variation selectors, Hangul fillers), which a
 * person does not see and a server may drop: `AKIA\u200bQ3EG…` is an AWS key
 * id all the same. Pure.
 *
 * @example
 * ```ts
 * detectionText("SSN １２３-４５-６７８９"); // "SSN 123-45-6789"
 * detectionText("SSN ١٢٣-٤٥-٦٧٨٩"); // "SSN 123-45-6789"
 * detectionText("AKIA\u200bQ3EGUNR6JXVCP7XH"); // "AKIAQ3EGUNR6JXVCP7XH"
 * ```
 */

const NON_ASCII = /[\u0080-\uffff]/;
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const DIGIT = /\p{Nd}/u;
const OTHER_DIGITS = /[^\x30-\x39\P{Nd}]/gu;

/** Characters normalized at a time when the result has a limit. */
const CHUNK = 4096;

/**
 * `text` as the detectors read it (see the module doc). With `limit`, at
 * most about that many characters of it: normalizing can make text longer
 * (one character can become eighteen), so a long text is normalized a chunk
 * at a time until the limit is reached, and the work stays bounded by it.
 */
export function detectionText(text: string, limit = Infinity): string {
  if (!NON_ASCII.test(text)) return text;
  if (text.length <= CHUNK || limit === Infinity) return readable(text);
  let out = "";
  for (let at = 0; at < text.length && out.length < limit;) {
    let end = Math.min(at + CHUNK, text.length);
    // Never split a surrogate pair.
    if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
    out += readable(text.slice(at, end));
    at = end;
  }
  return out;
}

function readable(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "").replace(OTHER_DIGITS, asciiDigit);
}

/**
 * The ASCII digit of a decimal digit of another script. Unicode keeps each
 * script's digits 0 to 9 in one run of ten consecutive code points, so a
 * digit's value is its distance from the first digit of its run.
 */
function asciiDigit(digit: string): string {
  const code = digit.codePointAt(0)!;
  let zero = code;
  while (zero > code - 9 && DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String(code - zero);
}
