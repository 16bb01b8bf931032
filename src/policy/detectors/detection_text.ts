/**
 * The form of a text the detectors read. Text that is plain ASCII is read as
 * it is. Other text is put in Unicode compatibility form (NFKC), which turns
 * fullwidth and other styled digits and letters into ASCII ones (`１２３` is
 * `123`, as Python's `int()` and many servers read it) and no-break spaces
 * into spaces, and loses its invisible format characters (zero-width spaces
 * and joiners, soft hyphens, byte order marks, direction marks), which a
 * person does not see and a server may drop: `AKIA\u200bQ3EG…` is an AWS key
 * id all the same. Pure.
 *
 * @example
 * ```ts
 * detectionText("SSN １２３-４５-６７８９"); // "SSN 123-45-6789"
 * detectionText("AKIA\u200bQ3EGUNR6JXVCP7XH"); // "AKIAQ3EGUNR6JXVCP7XH"
 * ```
 */

const NON_ASCII = /[\u0080-\uffff]/;
const FORMAT = /\p{Cf}/gu;

/** `text` as the detectors read it (see the module doc). */
export function detectionText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize("NFKC").replace(FORMAT, "");
}
