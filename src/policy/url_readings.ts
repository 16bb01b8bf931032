/**
 * Other spellings of a URL with a special scheme (`http`, `https`, `ws`,
 * `wss`, `ftp`, `file`) that reach the same resource, so that a glob over
 * arguments sees them (see `compilePredicate`, `path_aliases.ts`). Pure.
 *
 * - {@linkcode urlAlias}: the URL as the WHATWG URL parser serializes it,
 *   without user info: `HTTP://x@169.254.169.254:80\latest` is
 *   `http://169.254.169.254/latest`, after the parser's own preprocessing
 *   (C0 controls and spaces at the ends dropped, tabs and line breaks
 *   removed, {@linkcode parserInput}).
 * - {@linkcode urlReadings} adds the host as a server connects to it
 *   (`[::ffff:a9fe:a9fe]` as `169.254.169.254`, `host.` as `host`, a zone id
 *   dropped, the host after a `\`…`@` as curl sees it) and the path
 *   percent-decoded ({@linkcode decodedPath}), then dot-resolved
 *   (`/public/..%2fadmin` as `/admin`).
 *
 * @example
 * ```ts
 * urlAlias("http:\\\\169.254.169.254\\latest\\meta-data"); // "http://169.254.169.254/latest/meta-data"
 * urlReadings("http://h/%6catest/x"); // ["http://h/%6catest/x", "http://h/latest/x"]
 * parsedUrl("ftp://x/y")?.host; // "x"
 * ```
 */
import { normalizePath } from "./normalize_path.ts";

/** Schemes the WHATWG URL parser treats as special (`\` is `/`, a host is required). */
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp|file):/i;

/**
 * `value` as the WHATWG URL parser reads it, serialized without user info,
 * when it starts with a special scheme and parses; else `undefined`. The
 * parser's own preprocessing comes first: C0 controls and spaces at either
 * end are dropped and tabs and line breaks anywhere (`ht\ttp://x`,
 * `\u0000http://x` are `http://x`).
 */
export function urlAlias(value: string): string | undefined {
  const url = parsedUrl(value);
  return url === undefined ? undefined : serialized(url, url.host);
}

/**
 * Every reading of a URL with a special scheme (see {@linkcode urlAlias}):
 * the parser's; the same with the host as a server connects to it (an
 * IPv4-mapped or IPv4-compatible IPv6 host, `[::ffff:a9fe:a9fe]` or
 * `[::169.254.169.254]`, as its IPv4 address, a host with a trailing dot,
 * `internal.example.com.`, without it); each with its path percent-decoded
 * (every escape, once) and then its `.` and `..` resolved, as a server that
 * decodes `%2f` before it resolves does (`/public/..%2fadmin` is `/admin`);
 * with an IPv6 zone id (`[fe80::1%25eth0]`), which the parser rejects,
 * without it; and, when a `\` comes before an `@` in the authority, with the
 * host curl and Python's `urlsplit` connect to (`http://a\@127.0.0.1/x` is
 * `http://127.0.0.1/x` to them, `http://a/@127.0.0.1/x` to the parser).
 * Empty for any other value.
 *
 * @example
 * ```ts
 * urlReadings("http://[::ffff:169.254.169.254]/x");
 * // ["http://[::ffff:a9fe:a9fe]/x", "http://169.254.169.254/x"]
 * urlReadings("http://h/%6catest/x"); // ["http://h/%6catest/x", "http://h/latest/x"]
 * ```
 */
export function urlReadings(value: string): string[] {
  const url = parsedUrl(value);
  if (url === undefined) return [];
  const out: string[] = [];
  const push = (reading: string) => {
    if (!out.includes(reading)) out.push(reading);
  };
  const read = (u: URL) => {
    const host = hostAlias(u.hostname);
    for (
      const h of host === undefined
        ? [u.host]
        : [u.host, u.port === "" ? host : `${host}:${u.port}`]
    ) {
      push(serialized(u, h));
      if (u.pathname.indexOf("%") !== -1) {
        push(`${u.protocol}//${h}${normalizePath(decodedPath(u.pathname))}${u.search}${u.hash}`);
      }
    }
  };
  read(url);
  const split = splitUrl(value);
  if (split !== undefined) read(split);
  return out;
}

/**
 * A special scheme and an authority that holds a `\`, up to the first `/`,
 * `?` or `#` (one way to match, so linear on any text).
 */
const BACKSLASH_AUTHORITY =
  // deno-lint-ignore no-control-regex -- the parser drops C0 controls and spaces before a scheme
  /^[\u0000-\u0020]*((?:https?|wss?|ftp):\/\/)([^/?#\\]*\\[^/?#]*)/i;

/**
 * `value` as curl and Python's `urlsplit` split it when a `\` comes before
 * an `@` in its authority: the host is what follows the last `@`, up to the
 * first `/`, `?` or `#`; `undefined` otherwise.
 */
function splitUrl(value: string): URL | undefined {
  if (value.indexOf("\\") === -1 || value.indexOf("@") === -1) return undefined;
  const m = BACKSLASH_AUTHORITY.exec(value);
  if (m === null) return undefined;
  const at = m[2]!.lastIndexOf("@");
  if (at === -1) return undefined;
  const host = m[2]!.slice(at + 1);
  try {
    return new URL(`${m[1]}${host}${value.slice(m[0].length)}`);
  } catch {
    return undefined;
  }
}

/** `path` with every percent escape decoded once; an escape that is no UTF-8 as the byte's own character. */
export function decodedPath(path: string): string {
  if (path.indexOf("%") === -1) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    // An escape that is no UTF-8: each byte as its own character, as a lenient server reads it.
    return path.replace(
      /%([0-9A-Fa-f]{2})/g,
      (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
    );
  }
}

/** C0 controls and spaces at either end, as the URL parser drops them. */
// deno-lint-ignore no-control-regex -- the URL parser's own set
const URL_ENDS = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
/** Tabs and line breaks, which the URL parser removes anywhere. */
const URL_TAB_OR_NEWLINE = /[\t\n\r]/g;
// deno-lint-ignore no-control-regex -- a cheap test before the two above
const URL_NOISE = /[\u0000-\u0020]/;

/**
 * `value` as the URL parser reads it before it parses: C0 controls and
 * spaces at either end dropped, tabs and line breaks anywhere removed.
 */
export function parserInput(value: string): string {
  return URL_NOISE.test(value)
    ? value.replace(URL_ENDS, "").replace(URL_TAB_OR_NEWLINE, "")
    : value;
}

/** `value` parsed as a URL with a special scheme, after the parser's preprocessing. */
export function parsedUrl(value: string): URL | undefined {
  const text = parserInput(value);
  if (!SPECIAL_SCHEME.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    // An IPv6 zone id (`[fe80::1%25eth0]`), which clients strip before they connect.
    if (text.indexOf("%") === -1) return undefined;
    const unzoned = text.replace(IPV6_ZONE, "$1]");
    if (unzoned === text) return undefined;
    try {
      return new URL(unzoned);
    } catch {
      return undefined;
    }
  }
}

/** An IPv6 literal's zone id, `%25` or `%` and what follows up to `]`. */
const IPV6_ZONE = /^([^/]*\/\/[^/?#[]*\[[0-9a-f:.]+)%[^\]/?#]*\]/i;

function serialized(url: URL, host: string): string {
  return `${url.protocol}//${host}${url.pathname}${url.search}${url.hash}`;
}

/** An IPv6 host the parser serialized with an IPv4 address in its last 32 bits. */
const IPV4_IN_IPV6 = /^\[::(?:ffff:(?:0:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

/**
 * `hostname` as another host name that reaches the same server: an
 * IPv4-mapped (`::ffff:a.b.c.d`, also `::ffff:0:a.b.c.d`) or IPv4-compatible
 * (`::a.b.c.d`) IPv6 address as the IPv4 address, a name with a trailing dot
 * without it; else `undefined`.
 */
function hostAlias(hostname: string): string | undefined {
  if (hostname.length > 1 && hostname.endsWith(".")) return hostname.replace(/\.+$/, "");
  const m = IPV4_IN_IPV6.exec(hostname);
  if (m === null) return undefined;
  const high = parseInt(m[1]!, 16);
  const low = parseInt(m[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
