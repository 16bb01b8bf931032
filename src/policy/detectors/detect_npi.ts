/**
 * National Provider Identifiers: ten digits starting with 1 or 2 whose last
 * digit is the Luhn check over `80840` + the first nine, right after an "NPI"
 * label (a bare ten-digit number is too often a timestamp or a phone number).
 *
 * @example
 * ```ts
 * detectNpi("NPI: 1234567893", undefined); // true
 * detectNpi("NPI: 1234567890", undefined); // false (check digit)
 * ```
 */
import { luhnValid } from "./luhn_valid.ts";

const LABELED = /\bNPI(?:\s{0,3}(?:number|no\.?|#))?\s{0,3}[:#=]?\s{0,3}([12]\d{9})(?!\d)/gi;
const KEY = /^(?:[a-z_]*_)?npi(?:_?(?:number|no|id))?$/i;
const BARE = /^[12]\d{9}$/;

/** Whether `text` holds a labeled NPI with a valid check digit. */
export function detectNpi(text: string, key: string | undefined): boolean {
  if (key !== undefined && KEY.test(key) && BARE.test(text.trim())) {
    return luhnValid(`80840${text.trim()}`);
  }
  for (const m of text.matchAll(LABELED)) {
    if (luhnValid(`80840${m[1]}`)) return true;
  }
  return false;
}
