/**
 * `resolvedTarget()`: where a path or URL an approval prompt shows really
 * points, when that differs from the value as written, so that padding with
 * `..` segments cannot hide it. Lexical, for the eyes of a person, not for
 * policy (the policy's globs see `normalizePath`). Pure.
 *
 * - A URL (`scheme://…`) resolves as `new URL()` reads it: dot segments,
 *   percent-encoded dots (`%2e%2e`), and `\` as a separator for the special
 *   schemes (`http`, `https`, `file`, …); its `href` is shown.
 * - Any other value resolves as a path where both `/` and `\` separate
 *   segments (a Windows server reads both) and `%2e` spells a dot (a server
 *   may decode it first). `..` never climbs above a root (`/`, `C:\`, a UNC
 *   share) and stays where the start is unknown: a relative path, or a home
 *   folder (`~/../../etc/passwd` goes wherever the home's grandparent is).
 *
 * @example
 * ```ts
 * resolvedTarget("/tmp/a/../../etc/passwd"); // "/etc/passwd"
 * resolvedTarget("C:\\Users\\ana\\..\\bob\\x.docx"); // "C:\\Users\\bob\\x.docx"
 * resolvedTarget("https://h/pub/%2e%2e/hr/q3.pdf"); // "https://h/hr/q3.pdf"
 * resolvedTarget("~/../../etc/passwd"); // undefined: it stays as written
 * ```
 */

/** A value that reads as a URL: a scheme of two or more characters, then `//` (or `\\`). */
const URL_SHAPED = /^[A-Za-z][A-Za-z0-9+.-]+:[\\/]{2}/;

/** Whether `value` reads as a URL (`scheme://…`; a drive letter such as `C:` is no scheme). */
export function urlShaped(value: string): boolean {
  return URL_SHAPED.test(value);
}

/**
 * Why parsers may disagree on where `value` points, so that no single
 * reading may be shown as where it goes; else undefined. A URL whose
 * authority holds `\`, `@` or `%` (`https://good.com\@evil.com/`: WHATWG
 * reads host good.com, curl and Python's urlsplit evil.com), or a path that
 * starts with exactly two slashes and moves with `..` (a network share to
 * Windows, the root to POSIX; `\\server\share` is a share to Windows alone).
 */
export function targetInDoubt(value: string): string | undefined {
  // `https:/evil.com/..` and `https:evil.com/..`: `new URL()` and curl take evil.com for the
  // host, Python's urlsplit finds none, and as a path it would lose the host to `..`.
  if (SPECIAL_SCHEME.test(value) && !urlShaped(value)) {
    return "a web or file URL without the two slashes after its scheme, which parsers read differently";
  }
  if (urlShaped(value)) {
    const authority = /^[A-Za-z][A-Za-z0-9+.-]+:[\\/]{2}([^/?#]*)/.exec(value)?.[1] ?? "";
    // An empty authority (`https:///evil.com`): WHATWG takes the next segment for the host,
    // Python's urlsplit finds none. (`file:///…` is the usual form of a file URL.)
    const empty = authority === "" && !/^file:/i.test(value);
    return empty || /[\\@%]/.test(authority)
      ? "URL parsers disagree on its host (a backslash, @ or % before its path)"
      : undefined;
  }
  return TWO_SLASHES.test(value) && /(?:^|[\\/])(?:\.|%2e){2}(?:[\\/]|$)/i.test(value)
    ? "it starts with two slashes (a network share to Windows, the root to POSIX) and moves with .."
    : undefined;
}

/**
 * Two separators at the start, not both backslashes (`//`, `/\`, `\/`): a network share
 * to Windows, the root (or a name under it) to POSIX. (`\\server\share` is a share alone.)
 */
const TWO_SLASHES = /^(?:\/\/|\/\\|\\\/)(?![\\/])/;

/** A scheme WHATWG URLs treat as special (a host always follows), in any case. */
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp|file):/i;

/** Where `value` points, when that differs from how it is written; else undefined. */
export function resolvedTarget(value: string): string | undefined {
  // `//server/share/x`: a network share to Windows, `/server/share/x` to POSIX; no one reading.
  if (TWO_SLASHES.test(value)) return undefined;
  const target = urlShaped(value) ? urlTarget(value) ?? pathTarget(value) : pathTarget(value);
  // `https://host` and its `href` `https://host/` point to the same place.
  return target === value || target === `${value}/` ? undefined : target;
}

function urlTarget(value: string): string | undefined {
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

/** `.` or `..` for a segment that spells one (`%2e` as a dot, any case); else undefined. */
function dotSegment(segment: string): "." | ".." | undefined {
  if (segment.length > 6) return undefined;
  const plain = segment.replace(/%2e/gi, ".");
  return plain === "." ? "." : plain === ".." ? ".." : undefined;
}

/** A path's root, which `..` cannot climb above: `/`, `C:\`, `\\server\share`. */
const ROOT = /^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+(?=[\\/]|$)|[\\/])/;

function pathTarget(value: string): string {
  const separator = /[\\/]/.exec(value)?.[0] ?? "/";
  const root = ROOT.exec(value)?.[0];
  const rest = root === undefined ? value : value.slice(root.length);
  const out: string[] = [];
  for (const part of rest.split(/[\\/]/)) {
    const dot = dotSegment(part);
    if (dot === ".") continue;
    if (root !== undefined && part === "") continue;
    if (dot === "..") {
      if (root !== undefined) {
        out.pop();
        continue;
      }
      const last = out.at(-1);
      const beforeLast = out.length >= 2 ? out[out.length - 2] : undefined;
      // A named segment goes; not an empty one's neighbour (`a://h/..`), a `..`, or a home folder.
      const home = out.length === 1 && last?.startsWith("~") === true;
      if (last !== undefined && last !== "" && last !== ".." && beforeLast !== "" && !home) {
        out.pop();
        continue;
      }
      out.push("..");
      continue;
    }
    out.push(part);
  }
  if (root === undefined) return out.length > 0 ? out.join(separator) : ".";
  const trailing = /[\\/]$/.test(rest) && out.length > 0 ? separator : "";
  const joined = out.join(separator);
  // A UNC share keeps the separator between it and what follows.
  return root.endsWith("/") || root.endsWith("\\") || joined === ""
    ? `${root}${joined}${trailing}`
    : `${root}${separator}${joined}${trailing}`;
}
