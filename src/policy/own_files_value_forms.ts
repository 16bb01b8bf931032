/**
 * The forms of an argument string that the protections of thoth's own files
 * (`own_files.ts`) compare, each worked out once for all of them: composed
 * and without case ({@linkcode foldedValue}), without a shell's quotes and
 * escapes ({@linkcode unquoted}, bash's `$'…'` decoded by
 * {@linkcode dollarUnquoted}), whether it may hold JSON
 * ({@linkcode leadsJson}), and a folder without its trailing separators
 * ({@linkcode trimmed}). Each protection asks for the same value in turn:
 * the last answer is kept.
 *
 * @example
 * ```ts
 * foldedValue("~/.CURSOR/mcp.json", false, true); // "~/.cursor/mcp.json"
 * unquoted("~/.th''oth", false); // "~/.thoth"
 * trimmed("/home/ana/.thoth//", false); // "/home/ana/.thoth"
 * ```
 */
import { caseless } from "./case_folding.ts";
import { decodedDollarQuote } from "./shell_words.ts";

/** Text NFC could change: ASCII never changes. */
const NON_ASCII = /[^\0-\x7f]/;

/** A string that may hold a JSON array or object (white space first, as JSON allows). */
const LEADS_JSON = /^[\t\n\r ]*[[{]/;

/** The last value {@linkcode foldedValue} was asked for, and its answer: the protections share it. */
let foldedIn = "";
let foldedMode = -1;
let foldedOut = "";

/**
 * `text` composed (NFC, when `compose`) and without case (when `fold`: also
 * `ſ` as `s` and `ı` as `i`, see `case_folding.ts`), as the names are: each
 * protection asks for the same value in turn; it is worked out once.
 *
 * @example
 * ```ts
 * foldedValue("~/.CURSOR/mcp.json", false, true); // "~/.cursor/mcp.json"
 * ```
 */
export function foldedValue(text: string, compose: boolean, fold: boolean): string {
  const mode = (compose ? 2 : 0) + (fold ? 1 : 0);
  if (mode === 0) return text;
  if (text !== foldedIn || mode !== foldedMode) {
    const composed = compose && NON_ASCII.test(text) ? text.normalize("NFC") : text;
    foldedOut = fold ? caseless(composed) : composed;
    foldedIn = text;
    foldedMode = mode;
  }
  return foldedOut;
}

/**
 * `text` with bash's `$'…'` strings decoded (`\x6f`, `\157`, `\u006f`, `\n`…,
 * see `ansi_c_quoting.ts`) and the `$` of `$"…"` dropped, the quotes left to
 * the caller: `~/.th$'o'th` is `~/.thoth` once its quotes go. `text` itself
 * when it holds neither. Linear: each `$'` decodes up to its closing `'`.
 */
export function dollarUnquoted(text: string): string {
  let at = text.indexOf("$");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  let changed = false;
  while (at !== -1) {
    const next = text.charCodeAt(at + 1);
    if (next === 39) {
      const decoded = decodedDollarQuote(text, at + 2);
      out += text.slice(from, at) + decoded.text;
      from = Math.min(decoded.end + 1, text.length);
      changed = true;
      at = text.indexOf("$", from);
    } else if (next === 34) {
      out += text.slice(from, at);
      from = at + 1;
      changed = true;
      at = text.indexOf("$", from);
    } else {
      at = text.indexOf("$", at + 1);
    }
  }
  return changed ? out + text.slice(from) : text;
}

/** Whether `text` holds bash's `$'…'` or `$"…"` quoting. */
export function holdsDollarQuote(text: string): boolean {
  const at = text.indexOf("$");
  if (at === -1) return false;
  return text.indexOf("$'", at) !== -1 || text.indexOf('$"', at) !== -1;
}

/** The last value {@linkcode unquoted} was asked for, and its answer: the protections share it. */
let unquotedIn = "";
let unquotedKept = false;
let unquotedOut = "";

/**
 * `text` without quotes (`$'…'` decoded, see {@linkcode dollarUnquoted}) and
 * (unless `keepBackslash`, as on Windows, where it separates) `\`: where a
 * name split by them (`.th''oth`, `.th$'o'th`) is whole again.
 * Each protection asks for the same value in turn; it is worked out once.
 */
export function unquoted(text: string, keepBackslash: boolean): string {
  if (text !== unquotedIn || keepBackslash !== unquotedKept) {
    const plain = dollarUnquoted(text).replaceAll("'", "").replaceAll('"', "");
    unquotedOut = keepBackslash ? plain : plain.replaceAll("\\", "");
    unquotedIn = text;
    unquotedKept = keepBackslash;
  }
  return unquotedOut;
}

/** Whether `value` may hold a JSON array or object; the first character mostly tells. */
export function leadsJson(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === 91 || first === 123) return true;
  return (first === 32 || first === 9 || first === 10 || first === 13) && LEADS_JSON.test(value);
}

/** A folder without its trailing separators (`/` and a drive's root stay). */
export function trimmed(folder: string, backslash: boolean): string {
  const t = folder.replace(backslash ? /[/\\]+$/ : /\/+$/, "");
  if (t === "") return "/";
  return backslash && /^[a-zA-Z]:$/.test(t) ? `${t}/` : t;
}
