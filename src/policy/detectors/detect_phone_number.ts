/**
 * Phone numbers: US numbers written with separators (`(415) 555-0123`,
 * `415-555-0123`, `+1 415.555.0123`; area code and exchange start with 2-9)
 * and international numbers in E.164 style (`+44 20 7946 0958`, 8 to 15
 * digits after `+`). A bare run of ten digits is not a phone number here: it
 * is far more often an id or a timestamp.
 *
 * @example
 * ```ts
 * detectPhoneNumber("call (415) 555-0123", undefined); // true
 * detectPhoneNumber("ts=1712345678", undefined); // false
 * ```
 */

const US =
  /(?<![\w+.-])(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])[2-9]\d{2}[\s.-]\d{4}(?![\w.-])/;
const INTL = /(?<![\w+])\+[1-9][\d\s.-]{6,20}\d(?![\w-])/g;

/** Whether `text` holds a phone number. */
export function detectPhoneNumber(text: string, _key: string | undefined): boolean {
  if (US.test(text)) return true;
  if (!text.includes("+")) return false;
  for (const m of text.matchAll(INTL)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 8 && digits.length <= 15 && !/[\s.-]{2}/.test(m[0])) return true;
  }
  return false;
}
