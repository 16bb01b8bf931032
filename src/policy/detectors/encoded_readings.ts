/**
 * Other readings of a text the detectors scan, for what a server or a
 * person decodes before use: percent escapes (`GITHUB_TOKEN%3Dghp_…`,
 * `patient%20SSN%3A%20078-05-1120`, a whole `.env` passed through
 * `encodeURIComponent`) and runs of base64, base64url or hex that decode to
 * text (a `.env` file or `{"token":"ghp_…"}` encoded to pass as one word).
 * Pure;
 * the work is bounded and costs a substring check when there is nothing to
 * decode.
 *
 * @example
 * ```ts
 * percentDecoded("token%3Dghp_abc%0Ax"); // "token=ghp_abc\nx"
 * percentDecoded("12% growth"); // undefined
 * base64Texts(btoa("API_KEY=9fQ2xL7vR4tZ8mK1pW3s"), 1024); // ["API_KEY=9fQ2xL7vR4tZ8mK1pW3s"]
 * base64Texts("/data/reports/2026/q1-summary.md", 1024); // [] (decodes to no text)
 * base64Texts("6170695f6b65793d3966513278", 1024); // ["api_key=9fQ2x"] (hex)
 * base64Reading(btoa("API_KEY=9fQ2xL7vR4tZ8mK1pW3s"), 0).capped; // true (a run left unread)
 * leftEscaped(percentDecoded("x%252541")!); // false (decoded to the end)
 * ```
 */
import { holdsPercentEscape } from "../percent_escape.ts";
import { gluedHexText, hexText } from "./hex_text.ts";
import { spreadHex } from "./spread_hex.ts";
import { runStretches, SEXTETS } from "./text_stretches.ts";

/**
 * How many times escapes are decoded at most (`%253D` is `%3D` is `=`): a
 * level is decoded only while the one before it decoded an escape and left
 * a `%`, so text encoded once costs one pass.
 */
export const MAX_PERCENT_LEVELS = 8;
const UTF8 = new TextDecoder("utf-8");

/** Each hexadecimal digit's value; -1 for any other character. */
const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[65 + i] = table[97 + i] = 10 + i;
  return table;
})();

/** Bytes a level is decoded into, kept between calls (grown as needed, up to a bound). */
let levelBytes = new Uint8Array(4096);
const MAX_LEVEL_BYTES = 256 * 1024;

/**
 * `text` with its percent escapes decoded (as UTF-8, an invalid sequence as
 * U+FFFD), again while a level decoded something and left a `%` (text
 * encoded more than once), up to {@linkcode MAX_PERCENT_LEVELS} times; or
 * `undefined` when it has no escape. Each level is one pass over the text
 * into one byte buffer, decoded once.
 */
export function percentDecoded(text: string): string | undefined {
  if (!holdsPercentEscape(text)) return undefined;
  // One buffer for every level: each is no longer than the one before.
  const need = text.length * 3;
  const bytes = need <= levelBytes.length
    ? levelBytes
    : need <= MAX_LEVEL_BYTES
    ? (levelBytes = new Uint8Array(MAX_LEVEL_BYTES))
    : new Uint8Array(need);
  let out = text;
  for (let level = 0; level < MAX_PERCENT_LEVELS; level++) {
    const next = decodeLevel(out, bytes);
    if (next === undefined) break;
    out = next;
    if (out.indexOf("%") === -1) break;
  }
  return out;
}

/**
 * Whether a reading {@linkcode percentDecoded} made still holds an escape:
 * it stopped at {@linkcode MAX_PERCENT_LEVELS} with more to decode (text
 * encoded more times than that), so what it holds was not all read.
 */
export function leftEscaped(reading: string): boolean {
  return holdsPercentEscape(reading);
}

/**
 * `text` with each escape decoded once, the rest of it as UTF-8 around the
 * escapes' bytes, so that a UTF-8 sequence written in escapes stays whole;
 * `undefined` when it has no escape. `bytes` holds 3 bytes per character of
 * `text` (a character is at most 3 UTF-8 bytes; a surrogate pair 4 for 2).
 */
function decodeLevel(text: string, bytes: Uint8Array): string | undefined {
  let length = 0;
  let escapes = 0;
  const end = text.length;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code === 37 && i + 2 < end) {
        const a = text.charCodeAt(i + 1);
        const b = text.charCodeAt(i + 2);
        const high = a < 128 ? HEX[a]! : -1;
        const low = b < 128 ? HEX[b]! : -1;
        if (high >= 0 && low >= 0) {
          bytes[length++] = (high << 4) | low;
          escapes++;
          i += 2;
          continue;
        }
      }
      bytes[length++] = code;
    } else if (code < 0x800) {
      bytes[length++] = 0xc0 | (code >> 6);
      bytes[length++] = 0x80 | (code & 63);
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        bytes[length++] = 0xf0 | (point >> 18);
        bytes[length++] = 0x80 | ((point >> 12) & 63);
        bytes[length++] = 0x80 | ((point >> 6) & 63);
        bytes[length++] = 0x80 | (point & 63);
        i++;
      } else {
        length = replacement(bytes, length);
      }
    } else if (code >= 0xd800 && code <= 0xdfff) {
      length = replacement(bytes, length);
    } else {
      bytes[length++] = 0xe0 | (code >> 12);
      bytes[length++] = 0x80 | ((code >> 6) & 63);
      bytes[length++] = 0x80 | (code & 63);
    }
  }
  return escapes === 0 ? undefined : UTF8.decode(bytes.subarray(0, length));
}

/** A lone surrogate, which UTF-8 cannot hold, as U+FFFD (as `TextEncoder` writes it). */
function replacement(bytes: Uint8Array, length: number): number {
  bytes[length] = 0xef;
  bytes[length + 1] = 0xbf;
  bytes[length + 2] = 0xbd;
  return length + 3;
}

/** The shortest run decoded: 12 bytes. */
const MIN_RUN = 16;
/** Line-wrapped base64 (MIME, PEM bodies) wraps at 60 characters or more, a multiple of 4. */
const MIN_WRAPPED_LINE = 60;
/** Runs that decode to text, per text. */
export const MAX_BASE64_RUNS = 32;
/**
 * Runs whose bytes are not all text read for the stretches of text inside
 * them, per text: apart from {@linkcode MAX_BASE64_RUNS}, so that a page
 * with many inline images (each PNG's `tEXt` chunks hold text) leaves no
 * run of text unread.
 */
export const MAX_STRETCH_RUNS = 128;

/** What {@linkcode base64Reading} read of a text. */
export interface Base64Reading {
  /** The texts runs decode to, in order. */
  texts: string[];
  /**
   * How many of `texts` are the stretches of text in bytes that are not
   * all text ({@linkcode runStretches}): they count toward `maxStretches`,
   * not `maxRuns`.
   */
  stretched: number;
  /**
   * True when a run that decodes to text was left unread: past the number
   * of runs asked for, or past `limit`. Bytes that are not all text left
   * unread (past `maxStretches` or `limit`) leave it false: they are binary
   * data, not text hidden from the reading.
   */
  capped: boolean;
}

/**
 * The texts that runs of base64 or base64url in `text` decode to, at most
 * {@linkcode MAX_BASE64_RUNS} of them, from runs of 16 characters or more
 * and about `limit` characters of runs in all (a run that decodes to no text
 * counts toward `limit` only). A run holds characters of both alphabets
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
 * more each, one to a line ({@linkcode runStretches}), for
 * {@linkcode MAX_STRETCH_RUNS} such runs at most, which do not count
 * toward {@linkcode MAX_BASE64_RUNS}.
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
 * stretches of text inside them ({@linkcode runStretches}), `maxStretches`
 * of them at most, within `limit`; past either, they are left unread
 * without capping the reading: what is left is binary data (an image, a
 * digest), not text, so a secret in the bytes of a binary past the count
 * is missed.
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
        if (!full && used + hex.end - from > limit) probing = full = true;
        if (hex.stretched) {
          // Bytes that are not all text: read within their own count, never a cap.
          if (full || stretched >= maxStretches) continue;
          used += hex.end - from;
          found.push(hex.text);
          stretched++;
          continue;
        }
        if (probing) return { texts: found, stretched, capped: true };
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
    if (!full && used + length > limit) probing = full = true;
    if (!full) used += length;
    const run = groups ? text.slice(from, i).replaceAll(" ", "") : text;
    const runFrom = groups ? 0 : from;
    const runEnd = groups ? chars : i;
    const decoded = runText(run, runFrom, runEnd, groups ? groupStart - from : -1);
    if (decoded === undefined) {
      // Bytes that are not all text (a token and a NUL, an image): the text inside them,
      // within their own count; left unread past it, as binary data, without a cap.
      if (full || stretched >= maxStretches) continue;
      const inside = runStretches(run, runFrom, runEnd);
      if (inside === undefined) continue;
      found.push(inside);
      stretched++;
      continue;
    }
    if (probing) return { texts: found, stretched, capped: true };
    found.push(decoded);
    if (found.length - stretched >= maxRuns) probing = true;
  }
  return { texts: found, stretched, capped: false };
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
