/**
 * The Windows short (8.3) names a long file or folder name may have, as
 * NTFS makes them: the long name without its leading dots, spaces and inner
 * dots, characters an 8.3 name cannot hold dropped or written `_`, in upper
 * case; its first letters (up to six, fewer when the number is longer, so
 * that the name before the dot has eight characters at most), `~` and a
 * number (`.thoth` is `THOTH~1`, `Code - Insiders` is `CODE-I~1`); or,
 * once there are many alike, its first two letters, four hexadecimal digits
 * of a hash and `~` and one digit (`TH4F2A~1`); then the first three
 * letters of the extension, if it has one (`claude_desktop_config.json` is
 * `CLAUDE~1.JSO`). A name that fits 8.3 already (`Users`, `profiles`) is
 * read as possibly short-named too (see {@linkcode mayHaveShortName}).
 *
 * The forms here are in lower case, as `case_folding.ts` compares names.
 *
 * @example
 * ```ts
 * shortNameForms(".thoth")!.globs[0]; // "thoth~[0-9]"
 * shortNameForms("c:"); // undefined
 * ```
 */

/** What an 8.3 name cannot hold, which Windows writes as `_` (or leaves out). */
const NOT_IN_SHORT_NAME = /[+,;=[\]\u0080-\uffff]/g;
const SPACES_AND_DOTS = /[ .]/g;
const DOTS_AND_SPACES = /^[ .]*$/;
const GLOB_SYNTAX = /[*?[\]{}\\!,]/g;
const REGEXP_SYNTAX = /[.*+?^${}()|[\]\\\/]/g;

/**
 * Whether `name` may have a short name of the `~N` form: any name but a
 * drive (`c:`) and one of dots and spaces alone. A name that fits 8.3
 * (`profiles`) gets none when made, but one may be set by hand
 * (`fsutil file setshortname`), and in a compared form (lower case) thoth
 * cannot tell such a name from one that does not fit (`Profiles`): it is
 * read as possibly short-named too (`PROFIL~1`).
 */
export function mayHaveShortName(name: string): boolean {
  return name !== "" && name.indexOf(":") === -1 && !DOTS_AND_SPACES.test(name);
}

/** The short names of a long name: as a glob's alternatives and as a regular expression. */
export interface ShortNameForms {
  /** Glob alternatives, without braces (`thoth~[0-9]`, …), each a whole segment. */
  globs: string[];
  /** A regular expression's source for any of them, a group; text in lower case. */
  pattern: string;
}

/** The ways Windows may write `text`'s characters that an 8.3 name cannot hold. */
function cleaned(text: string): string[] {
  const plain = text.replace(SPACES_AND_DOTS, "");
  const dropped = plain.replace(NOT_IN_SHORT_NAME, "");
  const underscored = plain.replace(NOT_IN_SHORT_NAME, "_");
  return dropped === underscored ? [dropped] : [dropped, underscored];
}

/**
 * The short names `name` (one segment, in lower case) may have, see the
 * module's documentation; `undefined` when it has none (a drive, or a
 * name of dots and spaces).
 */
export function shortNameForms(name: string): ShortNameForms | undefined {
  if (!mayHaveShortName(name)) return undefined;
  const bare = name.replace(/^[. ]+/, "");
  const dot = bare.lastIndexOf(".");
  const stem = dot > 0 ? bare.slice(0, dot) : bare;
  const extension = dot > 0 ? bare.slice(dot + 1) : "";
  const globs = new Set<string>();
  const patterns = new Set<string>();
  const extensions = extension === "" ? [""] : cleaned(extension).map((e) => e.slice(0, 3));
  for (const base of cleaned(stem)) {
    if (base === "") continue;
    for (const ext of extensions) {
      const globExt = ext === "" ? "" : `.${ext.replace(GLOB_SYNTAX, "\\$&")}`;
      const regExt = ext === "" ? "" : `\\.${ext.replace(REGEXP_SYNTAX, "\\$&")}`;
      for (let digits = 1; digits <= 6; digits++) {
        const length = Math.min(base.length, 6, 7 - digits);
        if (length < 1) break;
        const prefix = base.slice(0, length);
        globs.add(`${prefix.replace(GLOB_SYNTAX, "\\$&")}~${"[0-9]".repeat(digits)}${globExt}`);
        patterns.add(`${prefix.replace(REGEXP_SYNTAX, "\\$&")}~[0-9]{${digits}}${regExt}`);
      }
      const two = base.slice(0, 2);
      globs.add(`${two.replace(GLOB_SYNTAX, "\\$&")}${"[0-9a-f]".repeat(4)}~[0-9]${globExt}`);
      patterns.add(`${two.replace(REGEXP_SYNTAX, "\\$&")}[0-9a-f]{4}~[0-9]${regExt}`);
    }
  }
  if (globs.size === 0) return undefined;
  return { globs: [...globs], pattern: `(?:${[...patterns].join("|")})` };
}
