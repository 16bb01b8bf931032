/**
 * Other readings of a text the detectors scan, for what a server or a
 * person decodes before use: percent escapes (`GITHUB_TOKEN%3Dghp_…`,
 * `patient%20SSN%3A%20078-05-1120`, a whole `.env` passed through
 * `encodeURIComponent`) and runs of base64 or base64url that decode to text
 * (a `.env` file or `{"token":"ghp_…"}` encoded to pass as one word). Pure;
 * the work is bounded and costs a substring check when there is nothing to
 * decode.
 *
 * @example
 * ```ts
 * percentDecoded("token%3Dghp_abc%0Ax"); // "token=ghp_abc\nx"
 * percentDecoded("12% growth"); // undefined
 * base64Texts(btoa("API_KEY=9fQ2xL7vR4tZ8mK1pW3s"), 1024); // ["API_KEY=9fQ2xL7vR4tZ8mK1pW3s"]
 * base64Texts("/data/reports/2026/q1-summary.md", 1024); // [] (decodes to no text)
 * ```
 */

/** A percent escape. */
const ESCAPE = /%[0-9A-Fa-f]{2}/;
/** A run of escapes, decoded together so that UTF-8 sequences stay whole. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;
/** How many times escapes are decoded (`%253D` is `%3D` is `=`). */
const MAX_PERCENT_LEVELS = 3;
const UTF8 = new TextDecoder("utf-8");

/**
 * `text` with its percent escapes decoded (as UTF-8, an invalid sequence as
 * U+FFFD), up to three times for text encoded more than once, or `undefined`
 * when it has no escape.
 */
export function percentDecoded(text: string): string | undefined {
  if (text.indexOf("%") === -1 || !ESCAPE.test(text)) return undefined;
  let out = text;
  for (let level = 0; level < MAX_PERCENT_LEVELS && ESCAPE.test(out); level++) {
    out = out.replace(ESCAPES, decodeEscapes);
  }
  return out;
}

function decodeEscapes(run: string): string {
  const bytes = new Uint8Array(run.length / 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
  return UTF8.decode(bytes);
}

/** The shortest run decoded: 12 bytes. */
const MIN_RUN = 16;
/** Line-wrapped base64 (MIME, PEM bodies) wraps at 60 characters or more, a multiple of 4. */
const MIN_WRAPPED_LINE = 60;
/** Runs decoded per text. */
export const MAX_BASE64_RUNS = 32;

/**
 * The texts that runs of base64 or base64url in `text` decode to, at most
 * {@linkcode MAX_BASE64_RUNS} runs of 16 characters or more and about
 * `limit` characters of runs in all. A run holds characters of both
 * alphabets (one that mixes them decodes to no text); it decodes to text
 * when its bytes are UTF-8 without control characters other than tab and
 * line breaks. Line-wrapped base64 is read as one run, and a run after a
 * path (`/v1/<base64url>`) is also tried from its last `/`.
 */
export function base64Texts(text: string, limit: number): string[] {
  const found: string[] = [];
  let used = 0;
  let runs = 0;
  let start = -1;
  let lineStart = -1;
  // One pass over the characters (far cheaper than an expression on prose).
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code < 128 && SEXTETS[code]! >= 0) {
      if (start < 0) start = lineStart = i;
      continue;
    }
    if (start < 0) continue;
    // Wrapped base64: a full line of 60 or more, a multiple of 4, then a line break.
    const line = i - lineStart;
    if ((code === 10 || code === 13) && line >= MIN_WRAPPED_LINE && line % 4 === 0) {
      const next = code === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      const after = next < text.length ? text.charCodeAt(next) : 0;
      if (after < 128 && SEXTETS[after]! >= 0) {
        i = next - 1;
        lineStart = next;
        continue;
      }
    }
    const length = i - start;
    if (length >= MIN_RUN) {
      if (++runs > MAX_BASE64_RUNS || used + length > limit) break;
      used += length;
      const run = text.slice(start, i);
      const decoded = decodedText(run);
      if (decoded !== undefined) found.push(decoded);
      else {
        const slash = run.lastIndexOf("/");
        if (slash !== -1 && run.length - slash > MIN_RUN) {
          const tail = decodedText(run.slice(slash + 1));
          if (tail !== undefined) found.push(tail);
        }
      }
    }
    start = -1;
  }
  return found;
}

/** Each base64 and base64url character's six bits; -1 for any other character. */
const SEXTETS = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  table[43] = table[45] = 62; // + -
  table[47] = table[95] = 63; // / _
  return table;
})();

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
function decodedText(run: string): string | undefined {
  // Text starts with a tab, a line break, a printable character or a UTF-8 lead byte:
  // its first character is one of C, D or I to f, or w to 9 (most paths start with "/").
  const first = run.charCodeAt(0) < 128 ? SEXTETS[run.charCodeAt(0)]! : -1;
  if (first < 2 || (first > 3 && first < 8) || (first > 31 && first < 48) || first > 61) {
    return undefined;
  }
  const need = Math.floor(run.length * 3 / 4);
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
  for (let i = 0; i < run.length; i++) {
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
