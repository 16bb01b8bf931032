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
 * - a shell's patterns: `app*`, `appro?als`, `ap[p]rovals`, `{approvals,}`,
 *   `ap{p,}rovals`, `@(approvals)` (a word that may expand to the word, see
 *   {@linkcode patternGated}; `shell_word_patterns.ts` matches them exactly),
 *   also with a pattern character written as a numeric escape that a
 *   runner's string or `$'…'` decodes (`os.system("thoth ap\x2a list")`);
 *   a parameter's word, `${x:-appr}ovals` (see {@linkcode patternGated}).
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
import { opensGroup } from "./shell_word_patterns.ts";
import { MARK, MARK_STAND_IN } from "./pattern_mark.ts";
import { parameterWord } from "./shell_expansions.ts";

/** Quote characters, `\` and `$`, which may split the word `approvals` in a command. */
const SPLITTERS = /['"\\$]/;

/** A numeric escape of bash's `$'…'` or of a code string (see the module's documentation). */
const NUMERIC_ESCAPE =
  /\\(?:x\{([0-9A-Fa-f]{1,8})\}|x([0-9A-Fa-f]{1,2})|u\{([0-9A-Fa-f]{1,8})\}|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3}))/g;

/**
 * The character a numeric escape stands for (a pattern mark as an ordinary
 * character, see `pattern_mark.ts`), or the escape as written past U+10FFFF.
 */
function escaped(match: string, ...hex: (string | undefined)[]): string {
  const octal = hex[5];
  const code = octal !== undefined
    ? parseInt(octal, 8)
    : parseInt(hex[0] ?? hex[1] ?? hex[2] ?? hex[3] ?? hex[4] ?? "", 16);
  if (code === MARK) return MARK_STAND_IN;
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
 * as written, with quotes, `\` and `$` taken out, with numeric escapes
 * read first, or as a shell's pattern ({@linkcode patternGated}), also one
 * whose characters are numeric escapes. A pass or two over the text,
 * whatever its escapes: nothing is built.
 */
export function gated(text: string): boolean {
  if (text.indexOf(GATE) !== -1) return true;
  // A pattern (`app*`), read once: with escapes that stand for its characters (`ap\x2a`) too.
  const pattern = PATTERN_SIGN.test(text);
  if (pattern && patternGated(text)) return true;
  if (!SPLITTERS.test(text)) return false;
  const n = text.length;
  const last = GATE.length;
  // Two searches side by side: quotes, `\` and `$` taken out (`plain`), and numeric escapes
  // read first (`decoded`).
  let plain = 0;
  let decoded = 0;
  // Whether a numeric escape stands for a pattern character (`\x2a`): then read as a pattern.
  let patternEscape = false;
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
        patternEscape ||= isPatternCode(code);
        i = end;
        continue;
      }
    }
    i++;
  }
  return patternEscape && !pattern && patternGated(text);
}

/** A character a shell's pattern starts with: `*?[{`, or `+@!` before `(`. */
const PATTERN_SIGN = /[*?[{]|[+@!]\(/;

/** For each ASCII character, the positions of {@linkcode GATE} it stands at, as bits. */
const GATE_BITS: readonly number[] = Array.from({ length: 128 }, (_, code) => {
  let bits = 0;
  for (let p = 0; p < GATE.length; p++) if (GATE.charCodeAt(p) === code) bits |= 1 << p;
  return bits;
});

/** Every state of a search for {@linkcode GATE}: bit p, its first p letters matched. */
const ALL = (1 << (GATE.length + 1)) - 1;

/** Groups nested deeper than this in one word pass the gate. */
const MAX_GROUPS = 32;

/** Whether `code` ends a word for {@linkcode patternGated}: white space, `;&<>` or a backtick. */
function endsWord(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 59 || code === 38 || code === 60 ||
    code === 62 || code === 96;
}

/**
 * Whether some word of `text` may expand to `approvals` in a shell, read
 * wide: quotes, `\`, `$` and pattern marks taken out, a parameter's
 * braces read as the word it may be or none (`${x:-appr}ovals`, as `?(…)`)
 * or else as none (`appr${x}ovals`), a numeric escape
 * read as the pattern character it stands for (`\x2a`) or else as any one
 * character, quoted pattern
 * characters read as unquoted, `*(…)`, `+(…)`, `!(…)` and a brace with `..`
 * in it as `*`, the alternatives of a brace or of `@(…)` and `?(…)` each
 * from where the group starts. A bracket (`[…]`, one character) may end at
 * any `]` after its `[`, since which are quoted is not known here: each `]`
 * goes on one character from every state a `[` before it was read in (a
 * `]` first, or one in `[:alpha:]`, closes none in a shell, and it is read so
 * all the same: wider, never narrower, than `shell_word_patterns.ts`). One
 * pass: a set of how much of the word is matched so far (bits), and a stack
 * of the groups open in the word.
 *
 * @example
 * ```ts
 * patternGated("thoth app* approve k3f9x2qa"); // true
 * patternGated("thoth ap[[:lower:]]rovals list"); // true
 * patternGated("ls *.txt"); // false
 * ```
 */
export function patternGated(text: string): boolean {
  const done = 1 << GATE.length;
  let state = 1;
  // Open groups: the state each starts from, what its alternatives joined, and its kind.
  const groups: { start: number; joined: number; kind: number }[] = [];
  // The states a `[` was read in, in this text: a quoted blank may sit in a bracket.
  let brackets = 0;
  // What the groups closed or cut by a word's end in this text held: the states each started
  // from, its alternatives joined and it ended with, and for one read as `*` what that matches.
  // A quoted `)`, `}`, `,` or `|` may close or split a group here that a shell closes or splits
  // at a later one (or an unquoted one a group a quoted `{` opened here): each such character
  // goes on from these too.
  let held = 0;
  const drop = (group: { start: number; joined: number; kind: number }, end: number) => {
    held |= group.start | group.joined | end;
    if (group.kind !== 123 && group.kind !== 64 && group.kind !== 63) held |= anyRun(group.start);
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c === 92) {
      // A numeric escape (`\x2a`) that stands for a pattern character is that character; one
      // that stands for another is any one character; another `\` is taken out.
      const { code, end } = escapeAt(text, i);
      if (code === -1) continue;
      i = end - 1;
      if (!isPatternCode(code)) {
        state = (state << 1) & ALL;
        continue;
      }
      c = code;
    }
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      // A parameter's braces: the word it may be (`${x:-appr}`) may be there or not, as `?(…)`
      // is; another (`${x}`, `${#x}`) may be empty.
      const from = parameterWord(text, i + 1, n);
      if (from === -1) {
        const close = text.indexOf("}", i + 2);
        i = close === -1 ? n : close;
        continue;
      }
      groups.push({ start: state, joined: state, kind: 63 });
      if (groups.length > MAX_GROUPS) return true;
      i = from - 1;
      continue;
    }
    if (endsWord(c)) {
      if (state & done) return true;
      for (const group of groups) drop(group, state);
      state = 1;
      groups.length = 0;
      continue;
    }
    const opens = opensGroup(c) && codeAt(text, i + 1) === 40;
    if (opens || c === 123) {
      // A group: `{` (123), `@(` or `?(` (alternatives), `*(`, `+(` or `!(` (read as `*`).
      groups.push({ start: state, joined: c === 63 ? state : 0, kind: c });
      if (groups.length > MAX_GROUPS) return true;
      if (opens) i = text.charCodeAt(i + 1) === 40 ? i + 1 : escapeAt(text, i + 1).end - 1;
      continue;
    }
    const top = groups[groups.length - 1];
    if (top === undefined && (c === 40 || c === 41 || c === 124 || c === 44 || c === 125)) {
      // No group open: a word starts after `(`, `)` or `|` (`$(app*)`).
      if (c !== 44 && c !== 125 && state & done) return true;
      state = c === 40 ? 1 : c === 44 || c === 125 ? state | held : 1 | state | held;
    } else if (top !== undefined && (c === 44 || c === 124)) {
      top.joined |= state;
      state = top.start | held;
    } else if (top !== undefined && (c === 125 || c === 41)) {
      groups.pop();
      const end = top.kind === 42 || top.kind === 43 || top.kind === 33 || top.kind === -1
        ? anyRun(top.start)
        : state | top.joined;
      drop(top, end);
      state = end | held;
    } else if (top !== undefined && top.kind === 123 && c === 46 && codeAt(text, i + 1) === 46) {
      // A sequence (`{a..z}`): read as `*` when it closes.
      top.kind = -1;
    } else if (c === 42) state = anyRun(state);
    else if (c === 63) state = (state << 1) & ALL;
    else if (c === 91) {
      brackets |= state;
      state = 0;
    } else if (c === 93) state = (brackets << 1) & ALL;
    else if (!isSplitter(c) && c !== 3) state = ((state & (GATE_BITS[c] ?? 0)) << 1) & ALL;
  }
  return (state & done) !== 0;
}

/** Whether `code` is a character a shell's pattern is made of: `*?[]{},|()` or `+@!.`. */
function isPatternCode(code: number): boolean {
  return code === 42 || code === 63 || code === 91 || code === 93 || code === 123 ||
    code === 125 || code === 44 || code === 124 || code === 40 || code === 41 || code === 46 ||
    opensGroup(code);
}

/** The character at `at` in `text`, a numeric escape there read (see `escapeAt`). */
function codeAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c !== 92) return c;
  const { code } = escapeAt(text, at);
  return code === -1 ? c : code;
}

/** A search state after `*`: every state from the lowest one set up. */
function anyRun(state: number): number {
  return state === 0 ? 0 : ALL & ~((state & -state) - 1);
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
