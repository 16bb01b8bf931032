/**
 * Makes untrusted text (tool names, argument keys, policy reasons) safe to
 * show a person: control characters, bidirectional overrides and characters
 * drawn as nothing (default-ignorable ones, such as U+3164) are replaced,
 * so a name cannot fake extra lines or reorder what the dialog says, and the
 * length is capped. Pure.
 *
 * @example
 * ```ts
 * displayText("rm\u202Eexe.txt\nApproved: yes", 40); // "rm?exe.txt?Approved: yes"
 * ```
 */

// Control characters (C0, DEL, C1), format characters (bidi embeddings,
// overrides and isolates, zero-width characters, the BOM), the Unicode line
// and paragraph separators, and every default-ignorable code point: what a
// screen may draw as nothing (the combining grapheme joiner U+034F, the
// Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, variation selectors).
const UNSAFE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;
const UNSAFE_ONE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;

/** Whether `text` shows as it is: nothing in it would be replaced by {@linkcode displayText}. */
export function displayable(text: string): boolean {
  return !UNSAFE_ONE.test(text);
}

/** One line of displayable text, at most `max` characters (an ellipsis marks a cut). */
export function displayText(text: string, max = 200): string {
  const clean = text.replace(UNSAFE, "?");
  // No more UTF-16 units than `max`: no more characters either (a long config line is not split).
  if (clean.length <= max) return clean;
  const chars = Array.from(clean);
  return chars.length <= max ? clean : chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}
