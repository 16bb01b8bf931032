/**
 * The Luhn (mod 10) check used by payment cards and, with the `80840` prefix,
 * by NPI numbers.
 *
 * @example
 * ```ts
 * luhnValid("4111111111111111"); // true
 * luhnValid("4111111111111112"); // false
 * ```
 */

/** Whether the digit string passes the Luhn check (false for non-digits). */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
