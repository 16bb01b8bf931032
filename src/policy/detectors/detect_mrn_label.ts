/**
 * Medical record numbers, which have no universal format, recognized by their
 * label: "MRN: 12345678", "Medical Record Number #A-0012345", or a value of
 * five to twelve digits under a key such as `mrn` or `medical_record_number`.
 *
 * @example
 * ```ts
 * detectMrnLabel("MRN: 12345678", undefined); // true
 * detectMrnLabel("the MRN field is required", undefined); // false
 * ```
 */

const LABELED =
  /\b(?:MRN|medical\s{1,3}record\s{1,3}(?:number|no\.?|#)|med\s{0,3}rec\s{0,3}(?:no\.?|#))\s{0,3}[:#=]?\s{0,3}[A-Z]{0,3}-?\d{5,12}(?![\w-])/i;
const KEY = /^(?:patient_?)?(?:mrn|medical_?record_?(?:number|no|id))$/i;
const VALUE = /^[A-Z]{0,3}-?\d{5,12}$/i;

/** Whether `text` holds a labeled medical record number. */
export function detectMrnLabel(text: string, key: string | undefined): boolean {
  if (key !== undefined && KEY.test(key) && VALUE.test(text.trim())) return true;
  return LABELED.test(text);
}
