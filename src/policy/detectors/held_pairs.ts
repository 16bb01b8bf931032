/**
 * Name/value pairs written in text that is not JSON: a Kubernetes or CI
 * environment list in YAML, or an object literal in JSON5 or JavaScript.
 *
 * ```yaml
 * env:
 *   - name: PATIENT_SSN
 *     value: "078051120"
 * ```
 *
 * `{name: 'PATIENT_SSN', value: '078051120'}` is read the same way, and so are
 * attributes (`<input name="ssn" value="…">`, `<add key="patient_ssn" value="…"/>`). Each pair
 * becomes a small object with the keys as written (`{name: …, value: …}`), so
 * that the scan labels the value by its name as it does for the same pair in
 * JSON ({@linkcode namedValueLabel}). The name comes first, then the value, on
 * the next line (a YAML mapping or list item), after a comma or after a space. Pure.
 *
 * @example
 * ```ts
 * heldPairs("- name: PATIENT_SSN\n  value: 078051120");
 * // [{ name: "PATIENT_SSN", value: "078051120" }]
 * heldPairs("no pairs here"); // undefined
 * ```
 */

/** The keys of a name, as {@linkcode namedValueLabel} knows them (the common spellings). */
const NAME_KEY = String.raw`name|Name|NAME|key|Key|KEY|ParameterName|parameterName|ParameterKey|` +
  String.raw`OptionName|label|Label|variable|Variable|field|Field`;
const VALUE_KEY = String.raw`value|Value|VALUE|val|Val|ParameterValue`;
/** A quoted or bare scalar; a bare one ends at a comma, a brace or a YAML comment. */
function scalar(max: number): string {
  return String.raw`(?:"([^"\r\n]{1,${max}})"|'([^'\r\n]{1,${max}})'|` +
    String.raw`([^\s"'{}\[\],#][^\r\n"'{},#]{0,${max - 1}}))`;
}
const PAIR = new RegExp(
  String.raw`(?<![\w$])["']?(${NAME_KEY})["']?[ \t]*[:=][ \t]*${scalar(128)}[ \t]*` +
    String.raw`(?:,[ \t]*|\r?\n[ \t]*(?:-[ \t]+)?|[ \t]+)["']?(${VALUE_KEY})["']?[ \t]*[:=][ \t]*` +
    scalar(4096),
  "g",
);
/** A cheap test first: no pair without a value key. */
const HINT = /[vV][aA][lL]/;

/** The pairs `text` holds, as objects; undefined when it holds none. */
export function heldPairs(text: string): Record<string, string>[] | undefined {
  if (!HINT.test(text)) return undefined;
  let pairs: Record<string, string>[] | undefined;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    const name = (m[2] ?? m[3] ?? m[4] as string).trimEnd();
    const value = (m[6] ?? m[7] ?? m[8] as string).trimEnd();
    (pairs ??= []).push({ [m[1] as string]: name, [m[5] as string]: value });
  }
  return pairs;
}
