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
 * `shell_word_patterns.ts`); the marks of a word without a pattern are left
 * out, and one in the text (or a `$'…'` decodes) is an ordinary character
 * (see `pattern_mark.ts`). So has the `$` of each expansion (`$x`,
 * `${x:-w}`, `"$1"`), a `"` after that mark when the word holds a quote
 * outside a parameter's braces (see `shell_expansions.ts`); `"$@"` is read
 * as `$@`, which may be no word. An unquoted parameter's braces close at
 * their first unquoted, unescaped `}`, as bash closes them: a `{` in them
 * opens none, and a quoted or escaped `{` or `}` in them is written as an
 * ordinary character (`pattern_mark.ts`'s stand-in). In them `;&|<>()` are
 * its word's, and white space ends the word and starts another with the
 * parameter opened again, its operator only (`${x:-a b}` is `${x:-a}` and
 * `${_:-b}`).
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
import { MAX_PARAMETER_NESTING, opensGroup } from "./shell_word_patterns.ts";
import { MARK_STAND_IN, PATTERN_MARK, withoutMarks } from "./pattern_mark.ts";
import { parameterWord, startsExpansion, startsParameterName } from "./shell_expansions.ts";

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

/**
 * How a parameter whose word is not what it may expand to (`${x#a b}`) is opened again in the
 * next word after white space in its braces: an expansion that may be empty, `${_#`.
 */
const REOPENED_OTHER = PATTERN_MARK + "${_#";

/**
 * How the unquoted parameter whose mark is at `at` in `word` is opened again in the next word after
 * white space in its braces: a short header that keeps only its operator (`${_:-`, `${_+`), as
 * the name is never read again, so the copy is of a fixed length; {@linkcode REOPENED_OTHER} for
 * a parameter whose word is not what it may expand to. Read once for each parameter.
 */
function reopened(word: string, at: number): string {
  const from = parameterWord(word, at + 2, word.length);
  if (from === -1) return REOPENED_OTHER;
  const colon = word.charCodeAt(from - 2) === 58 ? ":" : "";
  return PATTERN_MARK + "${_" + colon + word[from - 1];
}

/**
 * `text` (quoted or escaped in an unquoted parameter's braces) with each `{` and `}` written as
 * {@linkcode MARK_STAND_IN}: as in bash, it neither opens nor closes a parameter.
 */
function withoutBraces(text: string): string {
  if (text.indexOf("{") === -1 && text.indexOf("}") === -1) return text;
  return text.replaceAll("{", MARK_STAND_IN).replaceAll("}", MARK_STAND_IN);
}

/** `"$@"`, `"${@}"` or `"${a[@]}"`: the positional parameters, or an array, each a word. */
const ALL_PARAMETERS = /"\$(?:@|\{(?:@|[A-Za-z_]\w*\[@\])\})"/y;

/** Whether {@linkcode ALL_PARAMETERS} is at `at` in `text` (its `lastIndex` then past it). */
function allParameters(text: string, at: number): boolean {
  ALL_PARAMETERS.lastIndex = at;
  return ALL_PARAMETERS.test(text);
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
  // With `patterns`: whether the word holds a quote outside a parameter's braces, and where its
  // first expansion's mark is.
  let quoted = false;
  let expansion = -1;
  // With `patterns`: the unquoted parameters' braces open (`${x:-a b}`), each by the index of its
  // mark in the word, the short header it is opened again with in the next word (see `split`),
  // and whether it is no longer written.
  let params: { at: number; header: string | undefined; hidden: boolean }[] = [];
  // A mark in the text is no mark: an ordinary character, as a shell reads it.
  if (patterns) text = withoutMarks(text);
  let i = 0;
  const n = text.length;
  const end = () => {
    // A word with a quote is an argument, empty or not: its first expansion says so.
    if (quoted && expansion !== -1) {
      word = word.slice(0, expansion + 1) + '"' + word.slice(expansion + 1);
    }
    if (open) words.push(pattern || !opened ? word : word.replaceAll(PATTERN_MARK, ""));
    word = "";
    open = false;
    pattern = false;
    opened = false;
    bracket = false;
    brace = false;
    groups = 0;
    quoted = false;
    expansion = -1;
    params = [];
  };
  // An expansion's `$` at `at` (its mark written before it), and a special parameter after it;
  // an unquoted parameter's `{` (`unquoted`) opens its braces.
  const expand = (at: number, unquoted: boolean): number => {
    if (expansion === -1) expansion = word.length;
    word += PATTERN_MARK + "$";
    open = true;
    opened = true;
    pattern = true;
    const next = text.charCodeAt(at + 1);
    if (next === 123 && unquoted) {
      params.push({ at: word.length - 2, header: undefined, hidden: false });
      word += "{";
      return at + 2;
    }
    if (next === 123 || startsParameterName(next)) return at + 1;
    word += text[at + 1];
    return at + 2;
  };
  // Unquoted white space in a parameter's word (`${x:-approvals list}`): the word may be several.
  // Each open parameter is closed here and opened again in the next word, as far as its word;
  // one nested past the bound is no longer written (what it holds is read as any word), so that
  // the work stays linear.
  const split = () => {
    const kept = params;
    let shown = 0;
    while (shown < kept.length && shown <= MAX_PARAMETER_NESTING && !kept[shown]!.hidden) shown++;
    for (let k = 0; k < shown; k++) kept[k]!.header ??= reopened(word, kept[k]!.at);
    let written = shown;
    while (written < kept.length && !kept[written]!.hidden) written++;
    word += (PATTERN_MARK + "}").repeat(written);
    end();
    for (let k = 0; k < written; k++) {
      kept[k]!.hidden = k >= shown;
      if (k >= shown) continue;
      kept[k]!.at = word.length;
      word += kept[k]!.header;
    }
    params = kept;
    expansion = 0;
    open = true;
    opened = true;
    pattern = true;
  };
  while (i < n) {
    const code = text.charCodeAt(i);
    if (patterns && (isPatternCode(code) || (groups > 0 && (code === 124 || code === 41)))) {
      // An unquoted pattern character; a `{` after `$` is a parameter's (`${x}`). As in bash, the
      // first unquoted `}` closes an open parameter's braces, and a `{` in them opens none.
      const param = params[params.length - 1];
      if (param !== undefined && code === 125) {
        params.pop();
        // The close of a parameter no longer written (see `split`): not written either.
        if (param.hidden) {
          i++;
          continue;
        }
      }
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
      quoted ||= patterns && params.length === 0;
      const close = text.indexOf("'", i + 1);
      if (close === -1) {
        word += text.slice(i + 1);
        end();
        return { words, balanced: false };
      }
      const quote = text.slice(i + 1, close);
      word += params.length > 0 ? withoutBraces(quote) : quote;
      open = true;
      i = close + 1;
    } else if (patterns && code === 34 && allParameters(text, i)) {
      // "$@" (and "${@}", "${a[@]}"): no word at all when there is none to pass.
      const close = ALL_PARAMETERS.lastIndex - 1;
      i = expand(i + 1, false);
      word += text.slice(i, close);
      i = close + 1;
    } else if (code === 34) {
      // "…": `\` escapes only `$`, `` ` ``, `"`, `\` and a line break; `$` starts an expansion.
      quoted ||= patterns && params.length === 0;
      let j = i + 1;
      let closed = false;
      // In an unquoted parameter's braces: how many quoted parameters' braces are open here.
      let inner = 0;
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
        if (c === 36 && patterns && startsExpansion(text, j + 1)) {
          j = expand(j, false);
          if (params.length > 0 && text.charCodeAt(j) === 123) {
            word += "{";
            inner++;
            j++;
          }
          continue;
        }
        if (params.length > 0 && (c === 123 || c === 125)) {
          // In an unquoted parameter's braces a quoted `{` or `}` is an ordinary character, but
          // for a quoted parameter's own.
          word += c === 125 && inner > 0 ? "}" : MARK_STAND_IN;
          if (c === 125 && inner > 0) inner--;
          j++;
          continue;
        }
        // A run without `"`, `\`, `$` (and in a parameter's braces `{` and `}`) at once.
        let k = j + 1;
        while (k < n) {
          const d = text.charCodeAt(k);
          if (d === 34 || d === 92 || d === 36) break;
          if (params.length > 0 && (d === 123 || d === 125)) break;
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
      // $'…': its escapes decoded (a mark it makes, `\x03`, no mark).
      quoted ||= patterns && params.length === 0;
      const decoded = decodedDollarQuote(text, i + 2);
      const decodedText = patterns ? withoutMarks(decoded.text) : decoded.text;
      word += params.length > 0 ? withoutBraces(decodedText) : decodedText;
      open = true;
      if (decoded.end >= n) {
        end();
        return { words, balanced: false };
      }
      i = decoded.end + 1;
    } else if (code === 36 && text.charCodeAt(i + 1) === 34) {
      // $"…": as "…".
      i++;
    } else if (code === 36 && patterns && startsExpansion(text, i + 1)) {
      i = expand(i, true);
    } else if (code === 92 && backslashEscapes) {
      // \x: x itself (`\{` and `\}` in a parameter's braces none of its own); \ and a line
      // break: nothing.
      const next = text.charCodeAt(i + 1);
      if (i + 1 < n && next !== 10) {
        word += params.length > 0 && (next === 123 || next === 125) ? MARK_STAND_IN : text[i + 1];
      }
      open = true;
      i += 2;
    } else if (breaksWord(code) && params.length > 0) {
      // In a parameter's braces `;&|<>()` are its word's; white space may split it.
      if (code === 32 || (code >= 9 && code <= 13)) split();
      else word += text[i];
      i++;
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
