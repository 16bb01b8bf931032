/**
 * Whether an object key may be written in clear where argument values may
 * not (finding paths, the audit log's argument shape): only a plain
 * identifier of at most 64 characters that no built-in detector flags, of
 * any kind. A key such as `jane.doe@example.org`, `123-45-6789` or
 * `AKIAQ3EGRBPSXLYH7TNU` is data, and its holder shows a placeholder instead.
 * `label` is the key the object sits under, as the detectors get it.
 *
 * @example
 * ```ts
 * keyInClear("recipients", undefined); // true
 * keyInClear("jane.doe@example.org", undefined); // false (not an identifier)
 * keyInClear("AKIAQ3EGRBPSXLYH7TNU", undefined); // false (an AWS key id)
 * ```
 */
import { DETECTORS } from "./detectors.ts";
import { digitCensus, meetsDigitNeed } from "./digit_census.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/;
/** Keys already found clear, by the label they were found under: tool schemas repeat a few names. */
const CLEAR = new Map<string | undefined, Set<string>>();
const MAX_REMEMBERED = 4096;
let remembered = 0;

/** Whether `key` (inside an object under `label`) is a plain name that holds no detectable data. */
export function keyInClear(key: string, label: string | undefined): boolean {
  let known = CLEAR.get(label);
  if (known?.has(key) === true) return true;
  if (!IDENTIFIER.test(key)) return false;
  const digits = digitCensus(key);
  for (const d of DETECTORS) {
    if (!meetsDigitNeed(digits, d.digits)) continue;
    if (d.detect(key, label)) return false;
  }
  if (remembered >= MAX_REMEMBERED) {
    CLEAR.clear();
    remembered = 0;
    known = undefined;
  }
  if (known === undefined) CLEAR.set(label, known = new Set());
  known.add(key);
  remembered++;
  return true;
}
