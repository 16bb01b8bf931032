/**
 * Whether a text holds a percent escape (`%2e`, `%3D`): `%` and two
 * hexadecimal digits. A loop over the `%` signs only, which costs far less
 * than a regular expression on text with a lone `%` (`12% growth`), as
 * prose often has.
 *
 * @example
 * ```ts
 * holdsPercentEscape("/home/ana/%2ethoth"); // true
 * holdsPercentEscape("12% growth, 100%"); // false
 * ```
 */
export function holdsPercentEscape(text: string): boolean {
  let at = text.indexOf("%");
  while (at !== -1) {
    if (isHexDigit(text.charCodeAt(at + 1)) && isHexDigit(text.charCodeAt(at + 2))) return true;
    at = text.indexOf("%", at + 1);
  }
  return false;
}

/** Whether `code` is a hexadecimal digit's (a character past the end is `NaN`: none). */
function isHexDigit(code: number): boolean {
  const lower = code | 32;
  return (code >= 48 && code <= 57) || (lower >= 97 && lower <= 102);
}
