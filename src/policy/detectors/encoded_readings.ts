/**
 * Runs of base64, base64url or hex in a text the detectors scan that decode
 * to text (a `.env` file or `{"token":"ghp_…"}` encoded to pass as one
 * word), for what a server or a person decodes before use, and the text
 * inside those whose bytes are not all text (percent escapes are read by
 * `percent_decoded.ts`). Pure; the work is
 * bounded and costs one pass over the text when there is nothing to decode.
 *
 * @example
 * ```ts
 * base64Texts(btoa("API_KEY=9fQ2xL7vR4tZ8mK1pW3s"), 1024); // ["API_KEY=9fQ2xL7vR4tZ8mK1pW3s"]
 * base64Texts("/data/reports/2026/q1-summary.md", 1024); // [] (decodes to no text)
 * base64Texts("6170695f6b65793d3966513278", 1024); // ["api_key=9fQ2x"] (hex)
 * base64Reading(btoa("API_KEY=9fQ2xL7vR4tZ8mK1pW3s"), 0).capped; // true (a run left unread)
 * ```
 */
import { gluedHexText, hexText } from "./hex_text.ts";
import { spreadHex } from "./spread_hex.ts";
import { runStretches, SEXTETS } from "./text_stretches.ts";

const UTF8 = new TextDecoder("utf-8");

/** The shortest run decoded: 12 bytes. */
const MIN_RUN = 16;
/** Line-wrapped base64 (MIME, PEM bodies) wraps at 60 characters or more, a multiple of 4. */
const MIN_WRAPPED_LINE = 60;
/** Runs that decode to text, per text. */
export const MAX_BASE64_RUNS = 32;
/**
 * Runs whose bytes are not all text read for the stretches of text inside
 * them, per text, each as a text of its own: apart from
 * {@linkcode MAX_BASE64_RUNS}, so that a page with many inline images (each
 * PNG's `tEXt` chunks hold text) leaves no run of text unread. The text
 * inside the runs past them is read too, as one text.
 */
export const MAX_STRETCH_RUNS = 128;

/** What {@linkcode base64Reading} read of a text. */
export interface Base64Reading {
  /** The texts runs decode to, in order. */
  texts: string[];
  /**
   * How many of `texts` are the stretches of text in bytes that are not
   * all text ({@linkcode runStretches}): they count toward `maxStretches`,
   * not `maxRuns` (those of the runs past `maxStretches` are one text, the
   * last, counted once more).
   */
  stretched: number;
  /**
   * True when a run that decodes to text was left unread (past the number
   * of runs asked for, or past `limit`), or a run of bytes that are not all
   * text with text inside them, past `limit`. Bytes that hold no stretch of
   * text leave it false: they are binary data, not text hidden from the
   * reading.
   */
  capped: boolean;
}

/**
 * The texts that runs of base64 or base64url in `text` decode to, at most
 * {@linkcode MAX_BASE64_RUNS} of them, from runs of 16 characters or more
 * and about `limit` characters of runs in all (a run whose bytes are not
 * all text counts toward `limit` the text read inside it, not its length). A run holds characters of both alphabets
 * (one that mixes them decodes to no text); it decodes to text when its
 * bytes are UTF-8 without control characters other than tab and line breaks.
 * A run of hex digits (base64's alphabet holds them) is read first as hex
 * ({@linkcode hexText}: `xxd -p` of a token). Line-wrapped base64 (and hex)
 * is read as one run, and so is base64 written in groups
 * of 4 between single spaces (`R0lU SFVC …`). A run that does not decode is
 * also tried from its last `/` (a path: `/v1/<base64url>`) or last space,
 * and from its 2nd, 3rd and 4th character (base64 glued to a word:
 * `cfgR0lUSFVC…`). A run whose bytes are not all text (a token and a NUL,
 * a binary's dump) reads as the stretches of text inside them, 16 bytes or
 * more each, one to a line ({@linkcode runStretches}), a text for each of
 * {@linkcode MAX_STRETCH_RUNS} such runs and one for all those after, which
 * do not count toward {@linkcode MAX_BASE64_RUNS}.
 */
export function base64Texts(text: string, limit: number): string[] {
  return base64Reading(text, limit).texts;
}

/**
 * {@linkcode base64Texts} with `maxRuns` texts at most, saying whether a run
 * that decodes to text was left unread by either bound: past them, the runs
 * are only tried until one decodes (one pass over the rest, no detector
 * run), so a reading cut short by a bound is told from one that read all.
 * With `crossing` (offsets into `text`, ascending), only runs that hold one
 * of them inside (not at either end) are tried: the runs of strings read
 * joined that cross from one string into the next; the others are neither
 * read nor counted. Runs whose bytes are not all text are read for the
 * stretches of text inside them ({@linkcode runStretches}) within `limit`,
 * charged by those stretches' length, each as a text for `maxStretches` of them, then all the rest's as one
 * text; past `limit`, one that holds a stretch of text caps the reading,
 * and one that holds none (an image's pixels, a digest) is binary data,
 * not text, and does not.
 */
export function base64Reading(
  text: string,
  limit: number,
  maxRuns = MAX_BASE64_RUNS,
  crossing?: readonly number[],
  maxStretches = MAX_STRETCH_RUNS,
): Base64Reading {
  const found: string[] = [];
  let used = 0;
  // How many of `found` are stretches of text in bytes that are not all text.
  let stretched = 0;
  // The first of `crossing` past the start of the run being ended.
  let next = 0;
  // Past `limit`: no run is read any more.
  let full = limit <= 0;
  // Past a bound: runs are only tried, until one decodes to text.
  let probing = maxRuns <= 0 || full;
  let start = -1;
  let lineStart = -1;
  // The start of the current group of 4 in base64 written in groups, and whether it is.
  let groupStart = -1;
  let spaced = false;
  // Where the last reading of hex spread over lines or bytes ended: each is read once.
  let hexRead = 0;
  // The text inside binary runs past `maxStretches`, read as one text at the end.
  let rest: string[] | undefined;
  /** Whether the run `text[from, end)` is one to try: it holds one of `crossing` inside. */
  const crosses = (from: number, end: number): boolean => {
    if (crossing === undefined) return true;
    while (next < crossing.length && crossing[next]! <= from) next++;
    return next < crossing.length && crossing[next]! < end;
  };
  // One pass over the characters (far cheaper than an expression on prose).
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code < 128 && SEXTETS[code]! >= 0) {
      if (start < 0) start = lineStart = groupStart = i;
      continue;
    }
    if (start < 0) continue;
    // Base64 in groups of 4: a group, one space, the next group.
    if (code === 32 && i - groupStart === 4 && (spaced || i - start === 4)) {
      const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (after < 128 && SEXTETS[after]! >= 0) {
        spaced = true;
        groupStart = i + 1;
        continue;
      }
    }
    // Hex in short lines, a byte at a time or in groups (`xxd -p -c 16`, `67:68:70`, `xxd`).
    const hex = lineStart === start && start >= hexRead
      ? spreadHex(text, start, i, code, spaced)
      : undefined;
    if (hex !== undefined) {
      hexRead = hex.end;
      if (hex.text !== undefined) {
        const from = start;
        start = -1;
        spaced = false;
        i = hex.end - 1;
        if (!crosses(from, hex.end)) continue;
        if (hex.stretched) {
          // Bytes that are not all text: the text inside them, charged by its length (not the
          // dump's), past the budget a cap.
          if (!full && used + hex.text.length > limit) probing = full = true;
          if (full) return finished(found, stretched, rest, true);
          used += hex.text.length;
          if (stretched < maxStretches) {
            found.push(hex.text);
            stretched++;
          } else (rest ??= []).push(hex.text);
          continue;
        }
        if (!full && used + hex.end - from > limit) probing = full = true;
        if (probing) return finished(found, stretched, rest, true);
        used += hex.end - from;
        found.push(hex.text);
        if (found.length - stretched >= maxRuns) probing = true;
        continue;
      }
    }
    // Wrapped base64: a full line of 60 or more, a multiple of 4, then a line break.
    const line = i - lineStart;
    if (!spaced && (code === 10 || code === 13) && line >= MIN_WRAPPED_LINE && line % 4 === 0) {
      const next = code === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      const after = next < text.length ? text.charCodeAt(next) : 0;
      if (after < 128 && SEXTETS[after]! >= 0) {
        i = next - 1;
        lineStart = groupStart = next;
        continue;
      }
    }
    const length = i - start;
    // Without the spaces between groups (one after each group before the last).
    const chars = spaced ? length - (groupStart - start) / 5 : length;
    const from = start;
    const groups = spaced;
    start = -1;
    spaced = false;
    if (chars < MIN_RUN) continue;
    if (!crosses(from, i)) continue;
    const run = groups ? text.slice(from, i).replaceAll(" ", "") : text;
    const runFrom = groups ? 0 : from;
    const runEnd = groups ? chars : i;
    const decoded = runText(run, runFrom, runEnd, groups ? groupStart - from : -1);
    if (decoded === undefined) {
      // Bytes that are not all text (a token and a NUL, an image): the text inside them,
      // charged by its length (not the run's); text there left unread past the budget caps
      // the reading.
      const inside = runStretches(run, runFrom, runEnd);
      if (inside === undefined) continue;
      if (!full && used + inside.length > limit) probing = full = true;
      if (full) return finished(found, stretched, rest, true);
      used += inside.length;
      if (stretched < maxStretches) {
        found.push(inside);
        stretched++;
      } else (rest ??= []).push(inside);
      continue;
    }
    if (!full && used + length > limit) probing = full = true;
    if (!full) used += length;
    if (probing) return finished(found, stretched, rest, true);
    found.push(decoded);
    if (found.length - stretched >= maxRuns) probing = true;
  }
  return finished(found, stretched, rest, false);
}

/**
 * A {@linkcode Base64Reading}: the texts `found`, then `rest` (the text
 * inside the binary runs past the count) as one, counted in `stretched`.
 */
function finished(
  found: string[],
  stretched: number,
  rest: string[] | undefined,
  capped: boolean,
): Base64Reading {
  if (rest === undefined) return { texts: found, stretched, capped };
  found.push(rest.join("\n"));
  return { texts: found, stretched: stretched + 1, capped };
}

/**
 * The text the run `text[from, end)` decodes to: whole, as hex
 * ({@linkcode hexText}) or base64; else its hex glued to a word ({@linkcode gluedHexText});
 * else from its last `/`, or from its last group (`tailStart`, its place in the run with spaces
 * when the run is base64 in groups of 4, spaces since taken out); else from
 * its 2nd, 3rd or 4th character; else `undefined` (its bytes are not all
 * text: {@linkcode base64Reading} reads the stretches of text in them).
 */
function runText(
  text: string,
  from: number,
  end: number,
  tailStart: number,
): string | undefined {
  // Hex is in base64's alphabet: a run of hex digits that decodes to text is hex of text.
  const hex = hexText(text, from, end);
  if (hex !== undefined) return hex;
  const whole = decodedText(text, from, end);
  if (whole !== undefined) return whole;
  // Hex glued to a word or after a path's `/` (`cfg6768…`, `/v1/6768…`).
  const glued = gluedHexText(text, from, end);
  if (glued !== undefined) return glued;
  // Within the run only: a search that ran on into the text before it would make
  // a megabyte of runs cost the square of its length.
  let slash = end - 1;
  while (slash >= from && text.charCodeAt(slash) !== 47) slash--;
  if (slash >= from && end - slash > MIN_RUN) {
    const tail = decodedText(text, slash + 1, end);
    if (tail !== undefined) return tail;
  }
  if (tailStart > 0) {
    // Without its spaces, the last group starts 1 character earlier per group before it.
    const at = tailStart - Math.floor(tailStart / 5);
    if (end - at >= MIN_RUN) {
      const tail = decodedText(text, at, end);
      if (tail !== undefined) return tail;
    }
  }
  // Glued to a word: 1 to 3 characters before it (4 would be 3 bytes that are no text).
  for (let offset = 1; offset < 4; offset++) {
    const glued = decodedText(text, from + offset, end);
    if (glued !== undefined) return glued;
  }
  return undefined;
}

/** Bytes decoded into, kept between calls (grown as needed). */
let scratch = new Uint8Array(1024);
const MAX_SCRATCH = 64 * 1024;

/** Whether ASCII byte `b` may be in text: printable, a tab or a line break. */
function textByte(b: number): boolean {
  return b >= 0x20 ? b !== 0x7f : b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * The text `run` decodes to, or `undefined` when it is not base64 of text.
 * Decoded here rather than by `atob()`: most runs are no base64 at all (a
 * path, a long word) and are given up at their first byte that is no text.
 */
function decodedText(
  run: string,
  from = 0,
  to = run.length,
): string | undefined {
  // Text starts with a tab, a line break, a printable character or a UTF-8 lead byte:
  // its first character is one of C, D or I to f, or w to 9 (most paths start with "/").
  const head = run.charCodeAt(from);
  const first = head < 128 ? SEXTETS[head]! : -1;
  if (first < 2 || (first > 3 && first < 8) || (first > 31 && first < 48) || first > 61) {
    return undefined;
  }
  const need = Math.floor((to - from) * 3 / 4);
  // A long run gets its own buffer, so a megabyte argument leaves no megabyte behind.
  const bytes = need <= scratch.length
    ? scratch
    : need <= MAX_SCRATCH
    ? (scratch = new Uint8Array(MAX_SCRATCH))
    : new Uint8Array(need);
  let length = 0;
  let bits = 0;
  let held = 0;
  let pending = 0;
  for (let i = from; i < to; i++) {
    const code = run.charCodeAt(i);
    if (code === 61 || code === 10 || code === 13) continue; // padding, a wrapped line's break
    // A run that ends mid-byte (a length of 4n+1) leaves bits over: they are dropped.
    const sextet = code < 128 ? SEXTETS[code]! : -1;
    if (sextet < 0) return undefined;
    bits = ((bits << 6) | sextet) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      const b = (bits >> held) & 0xff;
      // UTF-8's shape: a lead byte announces its continuation bytes (0x80 to 0xbf).
      if (pending > 0) {
        if ((b & 0xc0) !== 0x80) return undefined;
        pending--;
      } else if (b >= 0x80) {
        if (b < 0xc2 || b > 0xf4) return undefined;
        pending = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
      } else if (!textByte(b)) return undefined;
      bytes[length++] = b;
    }
  }
  if (length < 12) return undefined;
  // Checked above, so decoding never throws (a throw costs more than all the rest);
  // what the shape check lets through (an overlong form) becomes U+FFFD.
  const decoded = UTF8.decode(bytes.subarray(0, length - pending));
  return decoded.includes("\ufffd") ? undefined : decoded;
}
