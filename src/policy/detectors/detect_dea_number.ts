/**
 * DEA registration numbers: a registrant-type letter, a second letter (the
 * registrant's last initial, or 9), and seven digits where the last digit
 * equals the last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6). The checksum
 * alone lets about one in ten such strings through (Windows updates such as
 * `KB5034765`, part and order numbers), so, as for NPI, the number only counts
 * right after a DEA label ("DEA", "DEA#", "DEA No", "DEA registration
 * number", "registration", `prescriber_dea:`, `"deaNumber":"`) or alone under
 * a key such as `dea`, `dea_no` or `prescriberDea`.
 *
 * @example
 * ```ts
 * detectDeaNumber("DEA AB1234563", undefined); // true
 * detectDeaNumber("AB1234563", "deaNumber"); // true
 * detectDeaNumber("DEA AB1234567", undefined); // false (checksum)
 * detectDeaNumber("KB5034765", "update"); // false (no DEA label)
 * ```
 */
import { keyNamed } from "./key_names.ts";

/** The number: registrant type, second letter, seven digits (captured). */
const NUMBER = "[ABCDEFGHJKLMPRSTUX][A-Z9](\\d{7})(?![A-Za-z0-9])";
/**
 * A label not inside a word (`prescriber_dea` counts, `idea` does not),
 * `DEA` ending a camelCase name, or "registration"; then one to a few of:
 * white space, `:` `=` `#` `_`, quotes, "no", "number", "registration", "is".
 */
const LABELED = new RegExp(
  "(?:(?<![A-Za-z])(?:[Dd][Ee][Aa]|[Rr]egistration|REGISTRATION)|(?:DEA|Dea)(?<=[a-z]...))" +
    "(?:[\\s:=#_\"'`\\\\]|[Nn][Oo]\\.?|[Nn]um(?:ber)?|NUM(?:BER)?|[Rr]eg(?:istration)?|REG(?:ISTRATION)?|is){1,8}" +
    NUMBER,
  "g",
);
/** Keys that end in the label: `dea`, `dea_no`, `prescriber_dea_number`, `deaNumber`. */
const SNAKE_KEY =
  /^(?:[a-z0-9]{1,30}[_-]){0,3}dea(?:[_-]?reg(?:istration)?)?(?:[_-]?(?:number|num|nbr|no|id))?$/i;
/** `prescriberDea`, `prescriberDEANumber`. */
const CAMEL_KEY =
  /^[a-z][A-Za-z0-9]{0,30}(?:DEA|Dea)(?:Registration|Reg)?(?:Number|Num|Nbr|No|Id|ID)?$/;
const isDeaKey = keyNamed((key) => SNAKE_KEY.test(key) || CAMEL_KEY.test(key));
const BARE = new RegExp(`^${NUMBER}$`);

/** Whether `text` holds a labeled DEA number with a valid checksum. */
export function detectDeaNumber(text: string, key: string | undefined): boolean {
  if (key !== undefined && isDeaKey(key)) {
    const m = BARE.exec(text.trim());
    if (m !== null && checksumValid(m[1] as string)) return true;
  }
  for (const m of text.matchAll(LABELED)) {
    if (checksumValid(m[1] as string)) return true;
  }
  return false;
}

/** Whether the seven digits end in the DEA check digit. */
function checksumValid(digits: string): boolean {
  const d = digits.split("").map(Number) as number[];
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}
