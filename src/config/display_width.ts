/**
 * How many terminal columns a text takes, for lining up table columns: a
 * character of the East Asian Wide or Fullwidth classes (CJK ideographs,
 * kana, Hangul syllables, fullwidth forms) and an emoji shown as such take
 * two, a combining mark, a zero-width joiner or a variation selector none,
 * anything else one. A grapheme cluster (an emoji joined of several, a letter
 * with its accents) takes the width of its widest character. Pure; an
 * approximation of what terminals do (they differ on ambiguous-width
 * characters, which count as one here).
 *
 * @example
 * ```ts
 * displayWidth("fs"); // 2
 * displayWidth("日本語"); // 6
 * displayWidth("é"); // 1, also as "e" followed by U+0301
 * displayWidth("👍"); // 2
 * ```
 */

/** Code point ranges of the East Asian Wide (W) and Fullwidth (F) classes, outside emoji. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, ideographic description, CJK symbols
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, … CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x18aff], // ideographic symbols, Tangut
  [0x1b000, 0x1b2ff], // kana supplement and extensions, Nüshu
  [0x20000, 0x2fffd], // CJK extensions B to F, compatibility supplement
  [0x30000, 0x3fffd], // CJK extensions G and H
];

const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\ufe00-\ufe0f]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/** Printable ASCII only: one column a character, no cluster to find. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Made on the first text that needs it: the first grapheme segmenter a
 * process makes loads the runtime's break rules (about 40–70 ms).
 */
let segmenter: Intl.Segmenter | undefined;

/** The columns `text` takes in a terminal (see the module doc). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let total = 0;
  for (const { segment } of segmenter.segment(text)) total += clusterWidth(segment);
  return total;
}

function clusterWidth(cluster: string): number {
  const points = [...cluster];
  // A pictograph asked to show as emoji (U+FE0F) takes two columns, as an emoji does.
  if (points.includes("\ufe0f") && points.some((point) => PICTOGRAPH.test(point))) return 2;
  return Math.max(0, ...points.map(codePointWidth));
}

function codePointWidth(point: string): number {
  if (ZERO.test(point)) return 0;
  if (EMOJI.test(point)) return 2;
  const code = point.codePointAt(0)!;
  return WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}
