/**
 * Case folding as a file system that ignores case may read a name: beyond
 * lower case, `ſ` (U+017F LATIN SMALL LETTER LONG S) as `s` and `ı` (U+0131
 * LATIN SMALL LETTER DOTLESS I) as `i`, the two characters outside ASCII
 * whose case folding or upper case is an ASCII letter. One module for every
 * comparison without case: the profile's and the clients' files
 * (`own_files.ts`), the project configs (`project_configs.ts`) and the
 * policy's globs and prefixes on macOS and Windows (`compile_predicate.ts`).
 *
 * Folding only widens what a rule that blocks sees: a value such a file
 * system may read as a protected name is read so; an allow rule still needs
 * the name as written.
 *
 * @example
 * ```ts
 * asciiFolded("c:/uſers/u/.thoth"); // "c:/users/u/.thoth"
 * caselessGlob("c:/windows/**"); // "c:/w[iı]ndow[sſ]/**"
 * anyCaseGlob(".mcp"); // ".[mM][cC][pP]"
 * ```
 */

/** The characters outside ASCII that fold to an ASCII letter. */
const FOLDS_TO_ASCII = /[\u017f\u0131]/;
const FOLDS_TO_ASCII_ALL = /[\u017f\u0131]/g;

/** The ASCII letter `c` (U+017F or U+0131) folds to. */
function asciiOf(c: string): string {
  return c === "\u017f" ? "s" : "i";
}

/** Whether `text` holds a character that folds to an ASCII letter (`ſ`, `ı`). */
export function holdsAsciiFolding(text: string): boolean {
  return FOLDS_TO_ASCII.test(text);
}

/**
 * `text` with `ſ` as `s` and `ı` as `i` (and nothing else changed: each is
 * one UTF-16 unit, so every index stays); `text` itself when it holds
 * neither. Apply it to text already in lower case.
 */
export function asciiFolded(text: string): string {
  return FOLDS_TO_ASCII.test(text) ? text.replace(FOLDS_TO_ASCII_ALL, asciiOf) : text;
}

/**
 * `text` in lower case with `ſ` as `s` and `ı` as `i`: how a file system
 * that ignores case may compare it.
 */
export function caseless(text: string): string {
  return asciiFolded(text.toLowerCase());
}

/**
 * A glob in lower case (as {@linkcode caseless} makes it) that also matches
 * text in lower case with `ſ` for `s` and `ı` for `i`: each `s` and `i`
 * outside a `[…]` class a class of both (`[sſ]`), an escaped one too.
 */
export function caselessGlob(glob: string): string {
  if (glob.indexOf("s") === -1 && glob.indexOf("i") === -1) return glob;
  let out = "";
  let inClass = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) {
      const next = glob[i + 1]!;
      i++;
      if (!inClass && next === "s") out += "[s\u017f]";
      else if (!inClass && next === "i") out += "[i\u0131]";
      else out += c + next;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      // The character right after `[` is in the class, a `]` too (see `globToRegExp`).
      if (i + 1 < glob.length) out += glob[++i];
    } else if (c === "s") {
      out += "[s\u017f]";
    } else if (c === "i") {
      out += "[i\u0131]";
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * `glob` with each letter a class of its cases (`[mM]`), and of the
 * characters a file system that folds case may read as it (`ſ` as `s`, `ı`
 * as `i`): a glob without case on a system that compares with case.
 */
export function anyCaseGlob(glob: string): string {
  let out = "";
  let inClass = false;
  for (const c of glob) {
    if (c === "[") inClass = true;
    if (c === "]") inClass = false;
    const lower = c.toLowerCase();
    if (inClass || lower === c.toUpperCase()) out += c;
    else if (lower === "s") out += "[sS\u017f]";
    else if (lower === "i") out += "[iI\u0131]";
    else out += `[${lower}${c.toUpperCase()}]`;
  }
  return out;
}
