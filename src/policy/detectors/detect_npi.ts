/**
 * National Provider Identifiers: ten digits starting with 1 or 2 whose last
 * digit is the Luhn check over `80840` + the first nine, right after an "NPI"
 * label (`NPI: `, `npi #`, `provider_npi: `, `providerNPI`, `"npi":"`) or
 * alone under a key such as `npi`, `provider_npi` or `providerNpi` (a bare
 * ten-digit number is too often a timestamp or a phone number).
 *
 * @example
 * ```ts
 * detectNpi("NPI: 1234567893", undefined); // true
 * detectNpi("1234567893", "providerNpi"); // true
 * detectNpi("NPI: 1234567890", undefined); // false (check digit)
 * ```
 */
import { luhnValid } from "./luhn_valid.ts";
import { keyNamed } from "./key_names.ts";

/**
 * `npi` not inside a word (`provider_npi` counts), or `NPI` ending a camelCase
 * name; then a few of: white space, `:` `=` `#` `_`, quotes, "no", "number",
 * "is"; then the ten digits.
 */
const LABELED = new RegExp(
  "(?:(?<![A-Za-z])npi(?![a-z])|(?-i:(?:NPI|Npi)(?<=[a-z]...)))" +
    "(?:[\\s:=#_\"'`\\\\]|no\\.?|num(?:ber)?|id|is){0,8}([12]\\d{9})(?!\\d)",
  "gi",
);
/**
 * Keys that end in the label: `npi`, `provider_npi`, `npi_number`,
 * `NPI_Number` (as the scan joins `NPI Number`), a plural (`npis`).
 */
const SNAKE_KEY = /^(?:[a-z0-9]{1,30}[_-]){0,3}npi(?:[_-]?(?:number|num|nbr|no|id))?s?$/i;
/** `providerNpi`, `billingNPI`, `renderingNpiNumber`. */
const CAMEL_KEY = /^[a-z][A-Za-z0-9]{0,30}(?:NPI|Npi)(?:Number|Num|Nbr|No|Id|ID)?s?$/;
const isNpiKey = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
const BARE = /^[12]\d{9}$/;

/** Whether `text` holds a labeled NPI with a valid check digit. */
export function detectNpi(text: string, key: string | undefined): boolean {
  if (key !== undefined && isNpiKey(key)) {
    const value = text.trim();
    if (BARE.test(value) && luhnValid(`80840${value}`)) return true;
  }
  for (const m of text.matchAll(LABELED)) {
    if (luhnValid(`80840${m[1]}`)) return true;
  }
  return false;
}
