/**
 * The escapes the approval-command reading (`approval_commands.ts`) reads,
 * in one place. A shell, or the code a runner call sits in, makes the word
 * `approvals` out of text that does not hold it as written, so the gate (a
 * text without the word is not read further) and the reading both undo:
 *
 * - shell quoting: `appr''ovals`, `"appr"ovals`, `appr\ovals`, `ap$'p'rovals`
 *   (quotes, `\` and `$` taken out for the gate; `shell_words.ts` reads
 *   them exactly);
 * - bash's `$'…'` escapes and those of code strings: `\xHH`, `\x{H…}`,
 *   `\uHHHH`, `\u{H…}`, `\UHHHHHHHH`, octal `\NNN` (`thoth $'\x61pprovals'`,
 *   `os.system('thoth \x61pprovals list')`, JSON's `\u0061pprovals`);
 *   `shell_words.ts` decodes `$'…'`, `JSON.parse` a JSON string, and
 *   {@linkcode codeEscapesRead} the arguments of a runner's call in code.
 *
 * Not read: a command built from pieces at run time (`${a}ovals`, `base64
 * -d`), Python's `\N{…}`, URL or HTML escapes. A cheaper check placed
 * before this rule must not skip a text because the word `approvals` is not
 * in it as written: any text with a quote, `\` or `$` may still hold it.
 *
 * @example
 * ```ts
 * gated("thoth $'\\x61pprovals' approve k3f9x2qa"); // true
 * codeEscapesRead("os.system('thoth \\x61pprovals list')"); // "os.system('thoth approvals list')"
 * ```
 */
import { GATE } from "./approval_command_words.ts";

/** Quote characters, `\` and `$`, which may split the word `approvals` in a command. */
const SPLITTERS = /['"\\$]/;

/** A numeric escape of bash's `$'…'` or of a code string (see the module's documentation). */
const NUMERIC_ESCAPE =
  /\\(?:x\{([0-9A-Fa-f]{1,8})\}|x([0-9A-Fa-f]{1,2})|u\{([0-9A-Fa-f]{1,8})\}|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3}))/g;

/** The character a numeric escape stands for, or the escape as written past U+10FFFF. */
function escaped(match: string, ...hex: (string | undefined)[]): string {
  const octal = hex[5];
  const code = octal !== undefined
    ? parseInt(octal, 8)
    : parseInt(hex[0] ?? hex[1] ?? hex[2] ?? hex[3] ?? hex[4] ?? "", 16);
  return code <= 0x10ffff ? String.fromCodePoint(code) : match;
}

/** `text` with its numeric escapes (`\x61`, `\u0061`, `\141`) read; other text as written. */
export function codeEscapesRead(text: string): string {
  return text.indexOf("\\") === -1 ? text : text.replace(NUMERIC_ESCAPE, escaped);
}

/** The value of hex digit `code`, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * The numeric escape (see {@linkcode NUMERIC_ESCAPE}) at `at` in `text`, a
 * `\`: the code it stands for (-1 for none, or past U+10FFFF) and where it ends.
 */
function escapeAt(text: string, at: number): { code: number; end: number } {
  const kind = text.charCodeAt(at + 1);
  let i = at + 2;
  let code = 0;
  let digits = 0;
  if (kind >= 48 && kind <= 55) {
    // Octal: up to three digits, the first one `kind`.
    i = at + 1;
    while (digits < 3 && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 55) {
      code = code * 8 + text.charCodeAt(i) - 48;
      i++;
      digits++;
    }
    return { code, end: i };
  }
  const braced = (kind === 120 || kind === 117) && text.charCodeAt(i) === 123;
  const most = braced ? 8 : kind === 120 ? 2 : kind === 117 ? 4 : kind === 85 ? 8 : 0;
  if (most === 0) return { code: -1, end: at + 1 };
  if (braced) i++;
  while (digits < most && hexValue(text.charCodeAt(i)) !== -1) {
    code = code * 16 + hexValue(text.charCodeAt(i));
    i++;
    digits++;
  }
  if (digits === 0 || (braced && text.charCodeAt(i) !== 125)) return { code: -1, end: at + 1 };
  return { code: code <= 0x10ffff ? code : -1, end: braced ? i + 1 : i };
}

/** The state of a search for {@linkcode GATE} after `code`, from `state` letters matched. */
function step(state: number, code: number): number {
  if (code === GATE.charCodeAt(state)) return state + 1;
  // `approvals` has no prefix that recurs in it past its first letter.
  return code === 97 ? 1 : 0;
}

/** Whether `code` is a quote, `\` or `$`: taken out of the text for the gate. */
function isSplitter(code: number): boolean {
  return code === 39 || code === 34 || code === 92 || code === 36;
}

/**
 * Whether `text` may hold the word `approvals` once its escapes are read:
 * as written, with quotes, `\` and `$` taken out, or with numeric escapes
 * read first. One pass over the text, whatever its escapes: nothing is
 * built.
 */
export function gated(text: string): boolean {
  if (text.indexOf(GATE) !== -1) return true;
  if (!SPLITTERS.test(text)) return false;
  const n = text.length;
  const last = GATE.length;
  // Two searches side by side: quotes, `\` and `$` taken out (`plain`), and numeric escapes
  // read first (`decoded`).
  let plain = 0;
  let decoded = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isSplitter(c)) {
      plain = step(plain, c);
      decoded = step(decoded, c);
      if (plain === last || decoded === last) return true;
      i++;
      continue;
    }
    if (c === 92) {
      const { code, end } = escapeAt(text, i);
      if (code !== -1) {
        // The escape's own characters, as the plain search sees them (the `\` taken out).
        for (let k = i + 1; k < end; k++) {
          const d = text.charCodeAt(k);
          if (!isSplitter(d)) plain = step(plain, d);
          if (plain === last) return true;
        }
        if (!isSplitter(code)) decoded = step(decoded, code);
        if (decoded === last) return true;
        i = end;
        continue;
      }
    }
    i++;
  }
  return false;
}

/**
 * A gate (see `gated`) for spans of `text` asked in order, none before the
 * last: whether the span holds `approvals` as written, or holds a `\` and
 * the word once its escapes are read. The next `approvals` and `\` are
 * found once for all spans, so that asking of many short calls stays linear.
 */
export function spanGate(text: string): (start: number, end: number) => boolean {
  let word = -2;
  let escape = -2;
  return (start, end) => {
    if (word !== -1 && word < start) word = text.indexOf(GATE, start);
    if (word !== -1 && word + GATE.length <= end) return true;
    if (escape !== -1 && escape < start) escape = text.indexOf("\\", start);
    return escape !== -1 && escape < end && gated(text.slice(start, end));
  };
}

/** Where each `needle` starts in `text`, in order. */
function positions(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    found.push(at);
  }
  return found;
}

/** The first of the sorted `found` at or after `start`, or -1. */
function firstFrom(found: readonly number[], start: number): number {
  let low = 0;
  let high = found.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (found[mid]! < start) low = mid + 1;
    else high = mid;
  }
  return low < found.length ? found[low]! : -1;
}

/**
 * A gate (see `gated`) for nested spans of `text`, asked in any order:
 * whether the span holds `approvals` as written, or, when `escapes` says (a
 * span no other asked span overlaps), holds a `\` and the word once its
 * escapes are read. Each `approvals` and `\` is found once for all spans.
 */
export function nestedSpanGate(
  text: string,
): (start: number, end: number, escapes: boolean) => boolean {
  let words: number[] | undefined;
  let backslashes: number[] | undefined;
  return (start, end, escapes) => {
    words ??= positions(text, GATE);
    const word = firstFrom(words, start);
    if (word !== -1 && word + GATE.length <= end) return true;
    if (!escapes) return false;
    backslashes ??= positions(text, "\\");
    const escape = firstFrom(backslashes, start);
    return escape !== -1 && escape < end && gated(text.slice(start, end));
  };
}
