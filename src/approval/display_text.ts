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
 * escapedText("echo \u26a0\ufe0f\nnow", 40); // "echo \u26a0\\ufe0f\\u000anow" (the escapes shown)
 * ```
 *
 * {@linkcode escapedText} writes such a character as a `\uXXXX` escape
 * instead of `?` (and then `\` as `\\`, so no escape can be faked): how a
 * policy reason reaches a person, so that what it says is there to read.
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

/**
 * `text` as one line of displayable text, at most `max` characters: as
 * {@linkcode displayText} shows it when nothing in it needs replacing; else
 * each character it would replace is written as `\uXXXX` (one escape per
 * UTF-16 unit, as JSON writes it) and each `\` as `\\`, so that an escape
 * in the text cannot pass for one made here. A cut (an ellipsis) never
 * splits an escape.
 */
export function escapedText(text: string, max = 200): string {
  if (displayable(text)) return displayText(text, max);
  const pieces = Array.from(
    text,
    (char) =>
      char === "\\" ? "\\\\" : UNSAFE_ONE.test(char)
        ? Array.from(
          { length: char.length },
          (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`,
        ).join("")
        : char,
  );
  // Each piece is one character, or an escape of ASCII characters (one each).
  const width = (piece: string) => piece.length > 1 && piece.startsWith("\\") ? piece.length : 1;
  const total = pieces.reduce((sum, piece) => sum + width(piece), 0);
  if (total <= max) return pieces.join("");
  let kept = "";
  let used = 0;
  for (const piece of pieces) {
    if (used + width(piece) > max - 1) break;
    kept += piece;
    used += width(piece);
  }
  return kept + "…";
}
