/**
 * Medicare Beneficiary Identifiers in the CMS format: 11 characters, digit
 * (1-9), letter, letter-or-digit, digit, letter, letter-or-digit, digit,
 * letter, letter, digit, digit; letters exclude S, L, O, I, B and Z. Dashes
 * after the 4th and 7th characters are accepted, as printed on the card.
 *
 * @example
 * ```ts
 * detectMedicareMbi("MBI 1EG4-TE5-MK73", undefined); // true
 * detectMedicareMbi("1EG4TE5MK7", undefined); // false
 * ```
 */

const A = "[AC-HJKMNP-RT-Y]";
const AN = "[AC-HJKMNP-RT-Y0-9]";
const MBI = new RegExp(
  `(?<![A-Za-z0-9-])[1-9]${A}${AN}\\d-?${A}${AN}\\d-?${A}${A}\\d\\d(?![A-Za-z0-9-])`,
);

/** Whether `text` holds a Medicare MBI. */
export function detectMedicareMbi(text: string, _key: string | undefined): boolean {
  return MBI.test(text);
}
