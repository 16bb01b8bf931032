/**
 * Whether a string contains 0-9, what `\d` matches in the detectors'
 * patterns: the gate that lets a scan skip the detectors marked `needsDigit`.
 *
 * @example
 * ```ts
 * hasAsciiDigit("room B12"); // true
 * hasAsciiDigit("\u0663"); // false (an Arabic-Indic digit is not \d)
 * ```
 */

/** Whether `text` contains an ASCII digit. */
export function hasAsciiDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
