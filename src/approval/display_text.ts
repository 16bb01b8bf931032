/**
 * Makes untrusted text (tool names, argument keys, policy reasons) safe to
 * show a person: control characters and bidirectional overrides are replaced,
 * so a name cannot fake extra lines or reorder what the dialog says, and the
 * length is capped. Pure.
 *
 * @example
 * ```ts
 * displayText("rm\u202Eexe.txt\nApproved: yes", 40); // "rm?exe.txt?Approved: yes"
 * ```
 */

// Control characters (C0, DEL, C1), format characters (bidi embeddings,
// overrides and isolates, zero-width characters, the BOM) and the Unicode
// line and paragraph separators.
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const UNSAFE_ONE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Whether `text` shows as it is: nothing in it would be replaced by {@linkcode displayText}. */
export function displayable(text: string): boolean {
  return !UNSAFE_ONE.test(text);
}

/** One line of displayable text, at most `max` characters (an ellipsis marks a cut). */
export function displayText(text: string, max = 200): string {
  const clean = text.replace(UNSAFE, "?");
  const chars = Array.from(clean);
  return chars.length <= max ? clean : chars.slice(0, Math.max(0, max - 1)).join("") + "…";
}
