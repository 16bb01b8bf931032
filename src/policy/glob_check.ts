/**
 * The test a `glob` or `notGlob` compiles to (see `compile_predicate.ts`):
 * whether a path read as a path matches one of the globs, each also as the
 * URL parser reads it, every spelling macOS gives one file judged as one,
 * and a path on a volume's unknown drive matched on the drive letters worth
 * trying ({@linkcode globCheck}).
 *
 * @example
 * ```ts
 * const inside = globCheck("/data/**", (g) => g, "linux", false);
 * inside("/data/a.txt"); // true
 * inside("/etc/passwd"); // false
 * ```
 */
import { caselessGlob } from "./case_folding.ts";
import { globToRegExp } from "./glob_to_regexp.ts";
import { sameFileSpellings } from "./path_aliases.ts";
import { UNKNOWN_DRIVE } from "./path_reading.ts";
import { withUrlVariants } from "./url_pattern_variants.ts";

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? v : [v as T];
}

/**
 * A test of whether a path matches one of `globs`. Every spelling macOS
 * gives the same file (see {@linkcode sameFileSpellings}) is judged as one:
 * `/tmp/x` is inside `/tmp/**` and inside `/private/tmp/**`. A path on a
 * volume's unknown drive (`ANY_DRIVE`) matches when it does on
 * some drive letter. With `foldBeyondAscii` (a comparison without case), a
 * path's `ſ` and `ı` also match a glob's `s` and `i` (see `case_folding.ts`).
 */
export function globCheck(
  globs: string | readonly string[],
  pattern: (text: string) => string,
  os: string | undefined,
  foldBeyondAscii: boolean,
): (path: string | undefined) => boolean {
  const tests = withUrlVariants(list(globs).map(pattern), false).map((glob) => ({
    re: globToRegExp(foldBeyondAscii ? caselessGlob(glob) : glob),
    drives: os === "windows" ? globDrives(glob) : DRIVE_LETTERS,
  }));
  const single = tests.length === 1 ? tests[0]!.re : undefined;
  const one = (path: string): boolean => {
    if (path.charCodeAt(0) !== UNKNOWN_DRIVE) {
      if (single !== undefined) return single.test(path);
      return tests.some(({ re }) => re.test(path));
    }
    const rest = path.slice(1);
    return tests.some(({ re, drives }) => drives.some((drive) => re.test(drive + rest)));
  };
  // Only macOS spells one file in several ways here (see `sameFileSpellings`).
  if (os !== "darwin") return (path) => path !== undefined && one(path);
  return (path) => {
    if (path === undefined) return false;
    if (one(path)) return true;
    const spellings = sameFileSpellings(path, os);
    return spellings !== undefined && spellings.some(one);
  };
}

const DRIVE_LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");
/** What a glob may start with that matches more than itself. */
const GLOB_START = "*?[{\\!";

/**
 * The drive letters worth trying for a path on an unknown drive against a
 * glob (read without case): none when the glob starts with a character that
 * is no letter and no wildcard (`/x/**`), its first letter when it starts
 * with one (`c:/x/**`); else every letter the glob names and one it does not
 * (a wildcard treats all the others alike), every letter when it has a
 * `[…]` class.
 */
function globDrives(glob: string): readonly string[] {
  const first = glob[0];
  if (first === undefined) return [];
  if (!GLOB_START.includes(first)) return DRIVE_LETTERS.includes(first) ? [first] : [];
  if (glob.includes("[")) return DRIVE_LETTERS;
  const named = DRIVE_LETTERS.filter((letter) => glob.includes(letter));
  const other = DRIVE_LETTERS.find((letter) => !glob.includes(letter));
  return other === undefined ? named : [...named, other];
}
