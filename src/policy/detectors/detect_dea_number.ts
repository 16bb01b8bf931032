/**
 * DEA registration numbers: a registrant-type letter, a second letter (the
 * registrant's last initial, or 9), and seven digits where the last digit
 * equals the last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6).
 *
 * @example
 * ```ts
 * detectDeaNumber("DEA AB1234563", undefined); // true
 * detectDeaNumber("DEA AB1234567", undefined); // false (checksum)
 * ```
 */

const DEA = /(?<![A-Za-z0-9])[ABCDEFGHJKLMPRSTUX][A-Z9](\d{7})(?![A-Za-z0-9])/g;

/** Whether `text` holds a DEA number with a valid checksum. */
export function detectDeaNumber(text: string, _key: string | undefined): boolean {
  for (const m of text.matchAll(DEA)) {
    const d = (m[1] as string).split("").map(Number) as number[];
    const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
    if (sum % 10 === d[6]) return true;
  }
  return false;
}
