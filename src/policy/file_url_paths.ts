/**
 * The local paths and shares a `file:` URL opens, whatever its host, so
 * that a glob over arguments sees them (see `compilePredicate`,
 * `path_aliases.ts`): {@linkcode fileUrlPath} as the URL parser reads it,
 * {@linkcode fileUrlShare} the share its host names on Windows,
 * {@linkcode fileUrlWindowsPaths} as Python's `nturl2path` reads it, and
 * {@linkcode fileUrlRawPath} with its `.` and `..` segments kept. Pure.
 *
 * @example
 * ```ts
 * fileUrlPath("file://127.1/etc/%73hadow", false); // "/etc/shadow"
 * fileUrlShare("file://srv/share/x"); // "//srv/share/x"
 * fileUrlWindowsPaths("file:///C|/Users/x"); // ["C:/Users/x"]
 * fileUrlRawPath("file:///proc/self/root/%2e%2e/etc/shadow"); // "/proc/self/root/../etc/shadow"
 * ```
 */
import { decodedPath, parsedUrl, parserInput } from "./url_readings.ts";

/**
 * The path a `file:` URL opens, percent escapes decoded, whatever its host
 * (`file://127.1/x` and `file://<this machine's name>/x` are local files to
 * Python's `urllib`; thoth cannot tell which names are this machine's), or
 * `undefined` for any other value. On Windows (`backslash`) `file:///c:/x`
 * is `c:/x`.
 *
 * @example
 * ```ts
 * fileUrlPath("file:///etc/shadow", false); // "/etc/shadow"
 * fileUrlPath("file://127.1/etc/%73hadow", false); // "/etc/shadow"
 * ```
 */
export function fileUrlPath(value: string, backslash: boolean): string | undefined {
  const url = parsedUrl(value);
  if (url === undefined || url.protocol !== "file:") return undefined;
  const path = decodedPath(url.pathname);
  return backslash && /^\/[A-Za-z]:(?:\/|$)/.test(path) ? path.slice(1) : path;
}

/**
 * The share a `file:` URL names on Windows, as a UNC path with `/`:
 * `file://srv/share/x` is `//srv/share/x`; `file:///c$/x`, whose host the
 * parser dropped (`localhost`), the local administrative share
 * `//localhost/c$/x`. `undefined` for any other value.
 *
 * @example
 * ```ts
 * fileUrlShare("file://fileserver/share/a%20b.txt"); // "//fileserver/share/a b.txt"
 * fileUrlShare("file:///c:/x"); // undefined
 * ```
 */
export function fileUrlShare(value: string): string | undefined {
  const url = parsedUrl(value);
  if (url === undefined || url.protocol !== "file:") return undefined;
  const path = decodedPath(url.pathname);
  if (url.hostname !== "") return `//${url.hostname}${path}`;
  return /^\/[A-Za-z]\$(?:\/|$)/.test(path) ? `//localhost${path}` : undefined;
}

/**
 * The paths Python's `nturl2path` (behind `urllib`'s `file:` URLs on
 * Windows) opens for a `file:` URL that the URL parser reads otherwise,
 * read from the text after `file:`: four slashes or more are a share
 * (`file:////srv/share/a` is `\\srv\share\a`), and a drive may be written
 * `X|` (`file:///C|/x` is `C:\x`; the letter before the one `|` or `:` is
 * the drive). Percent escapes are decoded. None for any other value.
 *
 * @example
 * ```ts
 * fileUrlWindowsPaths("file:////srv/share/a"); // ["//srv/share/a"]
 * fileUrlWindowsPaths("file:///C|/Users/x"); // ["C:/Users/x"]
 * ```
 */
export function fileUrlWindowsPaths(value: string): string[] {
  const text = parserInput(value);
  const m = FILE_URL_RAW.exec(text);
  if (m === null) return [];
  const slashes = m[1]!.length;
  const rest = m[2]!;
  const out: string[] = [];
  if (slashes >= 4) out.push(`//${decodedPath(rest)}`);
  const bars = rest.replaceAll(":", "|");
  const bar = bars.indexOf("|");
  if (bar > 0 && bars.indexOf("|", bar + 1) === -1 && /[A-Za-z]/.test(bars[bar - 1]!)) {
    const after = decodedPath(rest.slice(bar + 1));
    out.push(
      `${rest[bar - 1]}:${after.startsWith("/") || after.startsWith("\\") ? "" : "/"}${after}`,
    );
  }
  return out;
}

/** `file:`, the slashes after it, and the text up to a query or fragment. */
const FILE_URL_RAW = /^file:([/\\]*)([^?#]*)/i;

/**
 * A `file:` URL's path as written, percent-decoded but with its `.` and `..`
 * segments kept (the URL parser resolves them before a link is followed:
 * `file:///proc/self/root/../etc` opens `/etc`), or undefined.
 *
 * @example
 * ```ts
 * fileUrlRawPath("file:///proc/self/root/%2e%2e/etc/shadow"); // "/proc/self/root/../etc/shadow"
 * ```
 */
export function fileUrlRawPath(value: string): string | undefined {
  // What the parser drops (see parserInput): nothing to drop unless the value holds one.
  const m = FILE_URL_PATH.exec(parserInput(value));
  return m === null ? undefined : decodedPath(m[1]!);
}

const FILE_URL_PATH = /^file:(?:\/\/[^/?#]*)?(\/[^?#]*)/i;
