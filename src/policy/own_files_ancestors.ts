/**
 * The folders that hold a protected one, strictly below the home folder
 * (`~/.cursor`, `~/.config`), for the protections of thoth's own files
 * (see `own_files.ts`, its item 2): which they are
 * ({@linkcode ancestorsBelow}), and a test of whether a reading of a string
 * may be one of them ({@linkcode compileAncestorTest}): its last segment
 * (past `.` segments, separators and, on Windows, the dots, spaces and
 * stream the OS drops) or a whole segment before a `..` is an ancestor's
 * last name. Found from the string's end, not by a search for every name.
 *
 * @example
 * ```ts
 * ancestorsBelow("/home/ana/.config/thoth", "/home/ana"); // ["/home/ana/.config"]
 * const mayName = compileAncestorTest(new Set(["/home/ana/.config"]), false);
 * mayName("~/.config/", false); // true
 * mayName("~/.config/Code", false); // false
 * ```
 */
import { NOTHING, REGEXP_SYNTAX } from "./own_files_patterns.ts";

/** Where a URL's query or fragment starts. */
const QUERY_OR_FRAGMENT = /[?#]/;

/** A string a URL parser may read (a scheme first): it drops tabs and line breaks. */
const URL_LIKE = /^[\0- ]*[a-zA-Z][a-zA-Z0-9+.-]*:/;
/** A `.` or `..` segment (outside Windows). */
const DOT_SEGMENT = /(?:^|[\\/])\.\.?(?:[\\/]|$)/;
/** A segment Windows reads as `.`, `..` or the folder itself: dots and spaces, a stream after. */
const DOT_SEGMENT_WINDOWS = /(?:^|[\\/:])[. ]+(?::[^\\/]*)?(?:[\\/]|$)/;

/** `form`'s folders strictly below `home` (both compared forms, `/`-separated), nearest last. */
export function ancestorsBelow(form: string, home: string): string[] {
  const found: string[] = [];
  let at = form.lastIndexOf("/");
  while (at > home.length) {
    const parent = form.slice(0, at);
    if (!parent.startsWith(`${home}/`)) break;
    found.push(parent);
    at = form.lastIndexOf("/", at - 1);
  }
  return found;
}

/** `f`'s last segment (a compared form, `/`-separated). */
export const lastName = (f: string): string => f.slice(f.lastIndexOf("/") + 1);

/** Whether a character code is `/` or `\` (both count everywhere: a wider gate only reads more). */
export const isSeparator = (code: number) => code === 47 || code === 92;
/** Whether a character code is a dot or a space. */
export const isDotOrSpace = (code: number) => code === 46 || code === 32;

/**
 * A test of whether a reading of `text` (the compared form) may be one of
 * `ancestors` (compared forms, `/`-separated; `backslash` on Windows), or,
 * when `baseBelowAncestor` (a folder the server resolves relative paths
 * against lies at or below one), be `""` or hold a `.` or `..` segment.
 */
export function compileAncestorTest(
  ancestors: ReadonlySet<string>,
  backslash: boolean,
): (text: string, baseBelowAncestor: boolean) => boolean {
  // The ancestors' last names, as whole segments: a reading equal to an ancestor ends in its
  // name, written last (after `.` segments and separators) or before a `..` that climbs back.
  const ancestorLastNames = new Set([...ancestors].map(lastName));
  const ancestorNameList = [...ancestorLastNames];
  const ancestorEnds = ancestorNameList.map((n) => n[n.length - 1]).join("");
  const ancestorAlternatives = [...ancestorLastNames].map((n) => n.replace(REGEXP_SYNTAX, "\\$&"))
    .join("|");
  // Windows drops a name's trailing dots and spaces, and reads `x::$INDEX_ALLOCATION` as `x`.
  const ancestorSegment = ancestorLastNames.size === 0 ? NOTHING : new RegExp(
    backslash
      ? `(?:^|[\\\\/:])(?:${ancestorAlternatives})[. ]*(?::[^\\\\/]*)?(?:[\\\\/]|$)`
      : `(?:^|[\\\\/])(?:${ancestorAlternatives})(?:[\\\\/]|$)`,
  );
  const dotSegment = backslash ? DOT_SEGMENT_WINDOWS : DOT_SEGMENT;
  // Where the last `..` segment of `text` starts; -1 without one. On Windows a segment of dots
  // and spaces with two dots at least, a stream after or a drive before (`c:..`). Each
  // candidate is looked at once, from the end.
  const lastParent = (text: string): number => {
    // A search forward skips most strings faster than one back.
    if (text.indexOf(backslash ? "." : "..") === -1) return -1;
    let at = text.lastIndexOf(backslash ? "." : "..");
    while (at !== -1) {
      let start = at;
      let end = at + (backslash ? 1 : 2);
      let dots = 2;
      if (backslash) {
        while (start > 0 && isDotOrSpace(text.charCodeAt(start - 1))) start--;
        while (end < text.length && isDotOrSpace(text.charCodeAt(end))) end++;
        dots = 0;
        for (let i = start; i < end; i++) if (text.charCodeAt(i) === 46) dots++;
      }
      const before = start === 0 ? -1 : text.charCodeAt(start - 1);
      const after = end === text.length ? -1 : text.charCodeAt(end);
      if (
        dots >= 2 &&
        (before === -1 || isSeparator(before) || (backslash && before === 58 && start === 2)) &&
        (after === -1 || isSeparator(after) || (backslash && after === 58))
      ) {
        return start;
      }
      if (start < 2) return -1;
      at = text.lastIndexOf(backslash ? "." : "..", start - 1);
    }
    return -1;
  };
  // Whether the last segment of `text` before `end`, past `.` segments, separators and white
  // space, is an ancestor's name (on Windows as it trims it: dots, spaces, a stream); a `..`
  // last is not. The segment is found by searching back for a separator, not char by char.
  const endsInAncestor = (
    text: string,
    end: number,
    slash: boolean,
    backslashes: boolean,
  ): boolean => {
    for (;;) {
      while (end > 0) {
        const code = text.charCodeAt(end - 1);
        if (!isSeparator(code) && code > 32) break;
        end--;
      }
      if (end === 0) return false;
      // Outside Windows a segment ends as written: one not ending as a name does (most) and
      // not in `.` (a `.` or `..` segment) is none.
      const code = text.charCodeAt(end - 1);
      if (!backslash && code !== 46 && ancestorEnds.indexOf(text[end - 1]!) === -1) return false;
      // Searching back for a separator the string does not hold would read all of it.
      let start = Math.max(
        slash ? text.lastIndexOf("/", end - 1) : -1,
        backslashes ? text.lastIndexOf("\\", end - 1) : -1,
      ) + 1;
      let last = end;
      if (backslash) {
        if (start === 0 && end > 2 && text.charCodeAt(1) === 58) start = 2;
        const colon = text.indexOf(":", start);
        if (colon !== -1 && colon < end) last = colon;
        while (last > start && isDotOrSpace(text.charCodeAt(last - 1))) last--;
      } else if (end - start <= 2 && text.charCodeAt(start) === 46) {
        // `.` is the folder before it; `..` climbs (see `lastParent`).
        if (end - start === 2 && text.charCodeAt(start + 1) === 46) return false;
        if (end - start === 1) {
          end = start;
          continue;
        }
      }
      if (last > start) {
        const length = last - start;
        for (let i = 0; i < ancestorNameList.length; i++) {
          const name = ancestorNameList[i]!;
          if (name.length === length && text.startsWith(name, start)) return true;
        }
        return false;
      }
      // Dots and spaces alone on Windows: `.` is the folder before it, `..` climbs.
      let dots = 0;
      for (let i = start; i < end && text.charCodeAt(i) !== 58; i++) {
        if (text.charCodeAt(i) === 46) dots++;
      }
      if (dots >= 2) return false;
      end = start;
    }
  };
  // Whether a reading of `text` (the compared form) may be a folder that holds a protected one.
  return (text: string, baseBelowAncestor: boolean): boolean => {
    if (baseBelowAncestor && (text === "" || dotSegment.test(text))) return true;
    const slash = text.indexOf("/") !== -1;
    const backslashes = text.indexOf("\\") !== -1;
    if (endsInAncestor(text, text.length, slash, backslashes)) return true;
    // Without a separator, the string is its last segment: nothing climbs back.
    if (!slash && !backslashes) return false;
    // A URL's query and fragment are no path.
    if (text.indexOf(":") !== -1) {
      const query = text.search(QUERY_OR_FRAGMENT);
      if (query !== -1 && endsInAncestor(text, query, slash, backslashes)) return true;
    }
    const parent = lastParent(text);
    if (parent <= 0) return false;
    // A line break after the last `..` stays in every reading, which then names no ancestor
    // (a URL parser drops line breaks: not in a URL).
    if (
      (text.indexOf("\n", parent) !== -1 || text.indexOf("\r", parent) !== -1) &&
      !URL_LIKE.test(text)
    ) {
      return false;
    }
    return ancestorSegment.test(text.slice(0, parent));
  };
}
