/**
 * Gives a long unbroken run of text places where a text window may wrap it.
 * zenity's text window wraps only between words: a run longer than its
 * width (`echo ok;AAAA…AAAA;reboot`, no space in it) runs past the right
 * edge, and its end shows only to someone who scrolls sideways. A zero-width
 * space ({@linkcode SOFT_BREAK}, drawn as nothing) after every
 * {@linkcode SOFT_BREAK_EVERY} characters of a run lets the window wrap it
 * there. A run is ended only by white space at which lines break: the
 * no-break spaces (U+00A0, U+2007, U+202F, U+FEFF) hold a line together, so
 * they count as part of it. Sixteen characters leave room for wide ones (a
 * CJK character takes two columns); a glyph far wider still can push a line
 * past the edge. A zero-width space is never in the question itself to be
 * confused with these: it is escaped or replaced there (see `display_text.ts`
 * and `command_lines.ts`). Whole characters only (a letter and its accents,
 * an emoji), never between them. Pure.
 *
 * @example
 * ```ts
 * withSoftBreaks("ok " + "a".repeat(20)); // "ok " + "a".repeat(16) + "\u200b" + "a".repeat(4)
 * ```
 */

/** What is put where a run may wrap: U+200B ZERO WIDTH SPACE. */
export const SOFT_BREAK = "\u200b";
/** How many characters a run holds before a place where it may wrap. */
export const SOFT_BREAK_EVERY = 16;

/** The no-break spaces: white space to `\s`, but no place to wrap a line. */
const NO_BREAK = "\u00a0\u2007\u202f\ufeff";
/** A run longer than {@linkcode SOFT_BREAK_EVERY} UTF-16 units (as many characters at most). */
const LONG_RUN = new RegExp(`(?:\\S|[${NO_BREAK}]){${SOFT_BREAK_EVERY + 1}}`, "u");
/** White space at which a line may break: it ends a run. */
const BREAKING_SPACE = new RegExp(`^[^\\S${NO_BREAK}]`, "u");
/**
 * Made on the first text that needs it: the first grapheme segmenter a
 * process makes loads the runtime's break rules (about 40–70 ms), and this
 * module is loaded by every session, main thread and proxy core alike.
 */
let segmenter: Intl.Segmenter | undefined;

/** `text` with a {@linkcode SOFT_BREAK} after every {@linkcode SOFT_BREAK_EVERY} characters of a run without a breaking space. */
export function withSoftBreaks(text: string): string {
  // Most questions have no such run: they are returned as they are, without being walked.
  if (!LONG_RUN.test(text)) return text;
  let out = "";
  let run = 0;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of segmenter.segment(text)) {
    if (BREAKING_SPACE.test(segment)) {
      run = 0;
    } else {
      if (run === SOFT_BREAK_EVERY) {
        out += SOFT_BREAK;
        run = 0;
      }
      run++;
    }
    out += segment;
  }
  return out;
}
