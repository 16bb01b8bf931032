/**
 * The words of a text as a POSIX shell splits a command into them: at white
 * space and `;&|<>()` and `` ` `` outside quotes, each word without its
 * quotes, `\` escapes read (unless `backslashEscapes` is false, as on
 * Windows, where `\` separates folders), bash's `$'…'` decoded (`\u` and
 * `\U` beyond ASCII as in a UTF-8 locale) and the `$`
 * of `$"…"` dropped. A path with a space in it stays one word when a shell
 * reads it as one (`"Application Support/x"`, `Application\ Support/x`).
 *
 * With `patterns`, a word with an unquoted glob (`*`, `?`, `[…]`), brace
 * (`{a,b}`, `{a..z}`) or extglob group (`@(a|b)`, its `|` and parentheses
 * kept in the word) has a pattern mark before each such character (see
 * `shell_word_patterns.ts`); the marks of a word without a pattern, and any
 * in the text, are left out.
 *
 * Linear in the text. `balanced` tells whether every quote was closed: a
 * shell refuses a command with an open quote, so such a text may be no
 * command at all (prose with an apostrophe), and a caller may read it
 * otherwise as well.
 *
 * @example
 * ```ts
 * shellWords(`cat "Library/Application Support/x.json" | wc`, true).words;
 * // ["cat", "Library/Application Support/x.json", "wc"]
 * ```
 */
import { decodeAnsiC } from "../config/ansi_c_quoting.ts";
import { opensGroup, PATTERN_MARK } from "./shell_word_patterns.ts";

/** `\u` and `\U` beyond ASCII as a UTF-8 locale writes them (see `ansi_c_quoting.ts`). */
const UTF8_LOCALE = { utf8Locale: true } as const;

/** The last short `$'…'` text {@linkcode decodedDollarQuote} decoded, and its text. */
let keptBody: string | undefined;
let keptText = "";
/** The longest `$'…'` text whose decoding is kept. */
const KEPT_BODY = 64;

/**
 * The `$'…'` string whose text starts at `from` in `text` (just after `$'`)
 * decoded as `decodeAnsiC` does with `\u` and `\U` as a UTF-8 locale
 * writes them, and the index of its closing `'` (the text's length when it
 * has none). A command that repeats one short string has it decoded once.
 *
 * @example
 * ```ts
 * decodedDollarQuote("$'\\x2ethoth' x", 2); // { text: ".thoth", end: 11 }
 * ```
 */
export function decodedDollarQuote(text: string, from: number): { text: string; end: number } {
  let end = from;
  while (end < text.length && text.charCodeAt(end) !== 39) {
    end += text.charCodeAt(end) === 92 ? 2 : 1;
  }
  end = Math.min(end, text.length);
  if (end - from > KEPT_BODY) return decodeAnsiC(text, from, UTF8_LOCALE);
  const body = text.slice(from, end);
  if (body !== keptBody) {
    keptText = decodeAnsiC(body, 0, UTF8_LOCALE).text;
    keptBody = body;
  }
  return { text: keptText, end };
}

/** The words of a text, see {@linkcode shellWords}. */
export interface ShellWords {
  /** The words, without quotes, in order. */
  words: string[];
  /** Whether every quote the text opens is closed. */
  balanced: boolean;
}

/** Whether `code` ends a word outside quotes: white space, `;&|<>()` or `` ` ``. */
function breaksWord(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 59 || code === 38 ||
    code === 124 || code === 60 || code === 62 || code === 40 || code === 41 || code === 96;
}

/** Whether `code` is an unquoted glob or brace character a word may hold: `*?[]{},`. */
function isPatternCode(code: number): boolean {
  return code === 42 || code === 63 || code === 91 || code === 93 || code === 123 ||
    code === 125 || code === 44;
}

/** See the module's documentation. */
export function shellWords(text: string, backslashEscapes: boolean, patterns = false): ShellWords {
  const words: string[] = [];
  let word = "";
  // Whether a word was started (`''` is an empty word).
  let open = false;
  // With `patterns`: whether the word has a pattern (a `*` or `?`, a `[` then a `]`, a `{` then a
  // `}`, or an extglob group closed), a mark at all, a `[` or a `{`, and its extglob groups open.
  let pattern = false;
  let opened = false;
  let bracket = false;
  let brace = false;
  let groups = 0;
  if (patterns && text.indexOf(PATTERN_MARK) !== -1) text = text.replaceAll(PATTERN_MARK, "");
  let i = 0;
  const n = text.length;
  const end = () => {
    if (open) words.push(pattern || !opened ? word : word.replaceAll(PATTERN_MARK, ""));
    word = "";
    open = false;
    pattern = false;
    opened = false;
    bracket = false;
    brace = false;
    groups = 0;
  };
  while (i < n) {
    const code = text.charCodeAt(i);
    if (patterns && (isPatternCode(code) || (groups > 0 && (code === 124 || code === 41)))) {
      // An unquoted pattern character; a `{` after `$` is a parameter's (`${x}`).
      if (code === 123 && text.charCodeAt(i - 1) === 36) word += "{";
      else {
        word += PATTERN_MARK + text[i];
        opened = true;
        if (code === 42 || code === 63) pattern = true;
        else if (code === 91) bracket = true;
        else if (code === 123) brace = true;
        else if (code === 93 || code === 125) pattern ||= code === 93 ? bracket : brace;
        else if (code === 41) {
          groups--;
          pattern = true;
        }
      }
      open = true;
      i++;
      if (opensGroup(code) && text.charCodeAt(i) === 40) {
        word += PATTERN_MARK + "(";
        groups++;
        i++;
      }
      continue;
    }
    if (patterns && opensGroup(code) && text.charCodeAt(i + 1) === 40) {
      // `+(`, `@(` or `!(`: an extglob group.
      word += PATTERN_MARK + text[i] + PATTERN_MARK + "(";
      opened = true;
      open = true;
      groups++;
      i += 2;
      continue;
    }
    if (code === 39) {
      // '…': every character as written.
      const close = text.indexOf("'", i + 1);
      if (close === -1) {
        word += text.slice(i + 1);
        end();
        return { words, balanced: false };
      }
      word += text.slice(i + 1, close);
      open = true;
      i = close + 1;
    } else if (code === 34) {
      // "…": `\` escapes only `$`, `` ` ``, `"`, `\` and a line break.
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 34) {
          closed = true;
          break;
        }
        if (c === 92 && backslashEscapes && j + 1 < n) {
          const next = text.charCodeAt(j + 1);
          if (next === 36 || next === 96 || next === 34 || next === 92 || next === 10) {
            if (next !== 10) word += text[j + 1];
            j += 2;
            continue;
          }
        }
        // A run without `"` and `\` at once.
        let k = j + 1;
        while (k < n) {
          const d = text.charCodeAt(k);
          if (d === 34 || d === 92) break;
          k++;
        }
        word += text.slice(j, k);
        j = k;
      }
      open = true;
      if (!closed) {
        end();
        return { words, balanced: false };
      }
      i = j + 1;
    } else if (code === 36 && text.charCodeAt(i + 1) === 39) {
      // $'…': its escapes decoded.
      const decoded = decodedDollarQuote(text, i + 2);
      word += decoded.text;
      open = true;
      if (decoded.end >= n) {
        end();
        return { words, balanced: false };
      }
      i = decoded.end + 1;
    } else if (code === 36 && text.charCodeAt(i + 1) === 34) {
      // $"…": as "…".
      i++;
    } else if (code === 92 && backslashEscapes) {
      // \x: x itself; \ and a line break: nothing.
      if (i + 1 < n && text.charCodeAt(i + 1) !== 10) word += text[i + 1];
      open = true;
      i += 2;
    } else if (breaksWord(code)) {
      end();
      i++;
    } else {
      // A run of plain characters at once.
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 39 || c === 34 || c === 36 || c === 92 || breaksWord(c)) break;
        if (patterns && (isPatternCode(c) || c === 43 || c === 64 || c === 33)) break;
        j++;
      }
      word += text.slice(i, j);
      open = true;
      i = j;
    }
  }
  end();
  return { words, balanced: true };
}
