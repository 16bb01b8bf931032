/**
 * The patterns a protection of thoth's own files (see `own_files.ts`)
 * matches a folder by: the folder as a glob that matches it as written
 * ({@linkcode literalGlob}), and on Windows with each segment that may have
 * an 8.3 short name also as its short names, as a glob
 * ({@linkcode shortNameGlob}) and as a regular expression's source
 * ({@linkcode shortNamePattern}), and a quick test of whether a word holds a
 * short name of one of the folders' segments
 * ({@linkcode compileShortNameTest}; see `short_names.ts`).
 *
 * @example
 * ```ts
 * literalGlob("/home/ana/[x]"); // "/home/ana/\\[x\\]"
 * shortNameGlob("c:/users/ana/.thoth"); // "c:/{users,users~[0-9],…}/{ana,…}/{.thoth,thoth~[0-9],…}"
 * compileShortNameTest(["c:/users/ana/.thoth"], true)("type thoth~1\\keys"); // true
 * ```
 */
import { mayHaveShortName, shortNameForms } from "./short_names.ts";

/** Characters with a meaning in a glob, escaped so a folder's name is matched as written. */
const GLOB_SYNTAX = /[*?[\]{}\\!,]/g;

/** Matches no text. */
export const NOTHING = /[^\s\S]/;
export const REGEXP_SYNTAX = /[.*+?^${}()|[\]\\\/]/g;

/** `folder` as a glob that matches it as written (its glob characters escaped). */
export function literalGlob(folder: string): string {
  return folder.replace(GLOB_SYNTAX, "\\$&");
}

/** A Windows short name in a value (`THOTH~1`, `PROGRE~1.JSO`). */
const SHORT_NAME = /~\d/;

/**
 * A Windows folder (a compared form, `c:/users/ana/.thoth`) as a glob with
 * each segment that may have a short name also as its short names
 * (`c:/users/ana/{.thoth,thoth~[0-9],…}`, see `short_names.ts`);
 * `undefined` when it has none or is no drive's path.
 */
export function shortNameGlob(form: string): string | undefined {
  if (!/^[a-z]:\//i.test(form)) return undefined;
  const segments = form.slice(3).split("/");
  if (!segments.some(mayHaveShortName)) return undefined;
  const glob = segments.map((s) => {
    const short = shortNameForms(s);
    return short === undefined ? literalGlob(s) : `{${[literalGlob(s), ...short.globs].join(",")}}`;
  });
  return `${literalGlob(form.slice(0, 3))}${glob.join("/")}`;
}

/**
 * `prefix` then `rest` (`/`-separated segments) as a regular expression's
 * source in which each segment of `rest` that may have a short name may also
 * be written as one; `undefined` when none may.
 */
export function shortNamePattern(prefix: string, rest: string): string | undefined {
  const segments = rest.split("/");
  if (!segments.some(mayHaveShortName)) return undefined;
  const escape = (t: string) => t.replace(REGEXP_SYNTAX, "\\$&");
  return escape(prefix) +
    segments.map((s) => {
      const short = shortNameForms(s);
      return short === undefined ? escape(s) : `(?:${escape(s)}|${short.pattern})`;
    }).join("/");
}

/**
 * A test of whether a word (compared: in lower case) holds a short name of
 * one of the segments of `forms` (the protected folders' compared forms),
 * which only Windows (`backslash`) gives: a word holding none of them names
 * no protected folder by a short name.
 */
export function compileShortNameTest(
  forms: readonly string[],
  backslash: boolean,
): (text: string) => boolean {
  // The short names of the protected folders' segments (Windows): a word holding none of them
  // names no protected folder by a short name.
  const shortSources = backslash
    ? [
      ...new Set(
        forms.flatMap((f) => f.split("/")).filter((seg) => seg.indexOf(":") === -1).map((seg) =>
          shortNameForms(seg)?.pattern
        ).filter((source) => source !== undefined),
      ),
    ]
    : [];
  const shortWord = shortSources.length === 0 ? NOTHING : new RegExp(shortSources.join("|"));
  return (text: string): boolean => backslash && SHORT_NAME.test(text) && shortWord.test(text);
}
