/**
 * Other spellings of a path or URL that name the same file or resource, so
 * that a glob over arguments sees them (see `compilePredicate`). Lexical and
 * pure: nothing here touches a file system, so a symbolic link the server's
 * file system holds stays unknown.
 *
 * Paths arrive as `compilePredicate` reads them: composed (NFC), `\` already
 * `/` on Windows, lower case where the file system ignores case.
 *
 * - {@linkcode rawAlias}, before `.` and `..` are resolved: Windows device
 *   and long-path prefixes (`//?/c:/x`, `//./c:/x`, `//?/unc/host/share`)
 *   and the administrative share of the local machine (`//localhost/c$/x`)
 *   as the drive path they open; on other systems `/proc/self/root/…` (and
 *   `/proc/<pid>/root`, `/proc/thread-self/root`, `…/task/<tid>/root`) as
 *   `/…`, the root those links lead to.
 * - {@linkcode formAlias}, after: the same `/proc/…/root` prefix; on macOS
 *   `/private/etc`, `/private/var`, `/private/tmp` as `/etc`, `/var`, `/tmp`
 *   and `/System/Volumes/Data/x` as `/x` (the same files); on Windows each
 *   name without an NTFS stream (`.env::$DATA`, `.env:x`) and without the
 *   trailing dots and spaces Windows drops (`secret.txt. `); and a path
 *   without its trailing `/` (`/srv/app/.env/` is the file `.env` to a
 *   server that strips it).
 * - {@linkcode urlAlias}: a URL with a special scheme (`http`, `https`,
 *   `ws`, `wss`, `ftp`, `file`) as the WHATWG URL parser serializes it,
 *   without user info: `HTTP://x@169.254.169.254:80\latest` is
 *   `http://169.254.169.254/latest`, after the parser's own preprocessing
 *   (C0 controls and spaces at the ends dropped, tabs and line breaks
 *   removed); {@linkcode urlReadings} adds the host as a server connects to
 *   it (`[::ffff:a9fe:a9fe]` as `169.254.169.254`, `host.` as `host`).
 * - {@linkcode fileUrlPath}: a `file:` URL on this machine as the path it opens.
 * - {@linkcode procCwdRest}: what `/proc/self/cwd/x` leaves to resolve
 *   against the server's working folder (`x`).
 *
 * @example
 * ```ts
 * rawAlias("/proc/self/root/etc/shadow", "linux"); // "/etc/shadow"
 * rawAlias("//?/c:/users/ana/.ssh/id_rsa", "windows"); // "c:/users/ana/.ssh/id_rsa"
 * formAlias("/private/etc/hosts", "darwin"); // "/etc/hosts"
 * formAlias("c:/app/.env::$data", "windows"); // "c:/app/.env"
 * formAlias("/srv/app/.env/", "linux"); // "/srv/app/.env"
 * urlAlias("http:\\\\169.254.169.254\\latest\\meta-data"); // "http://169.254.169.254/latest/meta-data"
 * procCwdRest("/proc/self/cwd/secret/plan.txt"); // "secret/plan.txt"
 * ```
 */

/** `/proc/<self, thread-self or pid>[/task/<tid>]/root`, written loosely (`//proc/self/root`). */
const PROC_ROOT_RAW = /^\/+proc\/+(?:self|thread-self|\d+)(?:\/+task\/+\d+)?\/+root(?=\/|$)/;
/** The same in a normalized path. */
const PROC_ROOT = /^\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/root(?=\/|$)/;
/** `/proc/…/cwd` and what follows it. */
const PROC_CWD = /^\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/cwd(?:\/(.*))?$/;
/** Device and long-path prefixes of a drive path: `//?/c:`, `//./c:`, `/??/c:`. */
const WINDOWS_DEVICE = /^(?:\/\/[?.]\/|\/\?\?\/)(?=[a-z]:)/i;
/** `//?/unc/host/share`: the share `//host/share`. */
const WINDOWS_UNC = /^(?:\/\/[?.]\/|\/\?\?\/)unc\//i;
/** The local machine's administrative share of a drive: `//localhost/c$`, `//127.0.0.1/c$`. */
const WINDOWS_ADMIN_SHARE = /^\/\/(?:localhost|127\.0\.0\.1|\[::1\]|\.|\?)\/([a-z])\$(?=\/|$)/i;
/** macOS firmlinks and symbolic links to the data volume. */
const DARWIN_PRIVATE = /^\/private(?=\/(?:etc|var|tmp)(?:\/|$))/i;
const DARWIN_DATA = /^\/system\/volumes\/data(?=\/|$)/i;
/** Schemes the WHATWG URL parser treats as special (`\` is `/`, a host is required). */
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp|file):/i;

/**
 * `text` with the prefixes that lead to another spelling of the same path
 * replaced, before it is normalized, or `text` itself. `os` as in `Deno.build.os`.
 */
export function rawAlias(text: string, os: string | undefined): string {
  if (os === "windows") {
    if (text.charCodeAt(0) !== 47) return text;
    return text.replace(WINDOWS_UNC, "//").replace(WINDOWS_DEVICE, "").replace(
      WINDOWS_ADMIN_SHARE,
      "$1:",
    );
  }
  if (text.indexOf("proc") === -1) return text;
  return text.replace(PROC_ROOT_RAW, "");
}

/**
 * A normalized path `form` as another spelling of the same file (see the
 * module doc), or `form` itself.
 */
export function formAlias(form: string, os: string | undefined): string {
  let out = form;
  if (os === "windows") {
    if (out.indexOf(":") !== -1 || out.indexOf(". ") !== -1 || END_DOT_OR_SPACE.test(out)) {
      out = windowsNames(out);
    }
  } else if (out.startsWith("/proc/")) {
    out = out.replace(PROC_ROOT, "");
  }
  if (os === "darwin" && (DARWIN_PRIVATE.test(out) || DARWIN_DATA.test(out))) {
    out = out.replace(DARWIN_DATA, "").replace(DARWIN_PRIVATE, "");
  }
  if (out === "") return "/";
  if (out.length > 1 && out.charCodeAt(out.length - 1) === 47) {
    const trimmed = out.replace(/\/+$/, "");
    // A root stays a root: "/", "c:/".
    if (trimmed !== "" && !(os === "windows" && /^[a-z]:$/i.test(trimmed))) out = trimmed;
  }
  return out;
}

/** A name that ends in a dot or a space, somewhere in the path. */
const END_DOT_OR_SPACE = /[^/.][. ]+(?:\/|$)/;

/** Each name of `form` without an NTFS stream and without trailing dots and spaces. */
function windowsNames(form: string): string {
  const parts = form.split("/");
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    // The drive ("c:") of the first name is no stream.
    const drive = i === 0 && /^[a-z]:/i.test(part) ? part.slice(0, 2) : "";
    part = part.slice(drive.length);
    const colon = part.indexOf(":");
    if (colon !== -1) part = part.slice(0, colon);
    // "." and ".." stay; "name. " is "name".
    if (!/^[. ]*$/.test(part)) part = part.replace(/[. ]+$/, "");
    parts[i] = drive + part;
  }
  return parts.join("/");
}

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
 * the parser's, and the same with the host as a server connects to it: an
 * IPv4-mapped or IPv4-compatible IPv6 host (`[::ffff:a9fe:a9fe]`,
 * `[::169.254.169.254]`) as its IPv4 address, a host with a trailing dot
 * (`internal.example.com.`) without it. Empty for any other value.
 *
 * @example
 * ```ts
 * urlReadings("http://[::ffff:169.254.169.254]/x");
 * // ["http://[::ffff:a9fe:a9fe]/x", "http://169.254.169.254/x"]
 * ```
 */
export function urlReadings(value: string): string[] {
  const url = parsedUrl(value);
  if (url === undefined) return [];
  const out = [serialized(url, url.host)];
  const host = hostAlias(url.hostname);
  if (host !== undefined) out.push(serialized(url, url.port === "" ? host : `${host}:${url.port}`));
  return out;
}

/**
 * The path a `file:` URL opens (host empty or `localhost`), percent escapes
 * decoded, or `undefined` for any other value. On Windows (`backslash`)
 * `file:///c:/x` is `c:/x`.
 *
 * @example
 * ```ts
 * fileUrlPath("file:///etc/shadow", false); // "/etc/shadow"
 * fileUrlPath("file://localhost/etc/%73hadow", false); // "/etc/shadow"
 * ```
 */
export function fileUrlPath(value: string, backslash: boolean): string | undefined {
  const url = parsedUrl(value);
  if (url === undefined || url.protocol !== "file:") return undefined;
  if (url.hostname !== "" && url.hostname !== "localhost") return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // An escape that is no UTF-8: each byte as its own character, as a lenient server reads it.
    path = url.pathname.replace(
      /%([0-9A-Fa-f]{2})/g,
      (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
    );
  }
  return backslash && /^\/[A-Za-z]:(?:\/|$)/.test(path) ? path.slice(1) : path;
}

/** C0 controls and spaces at either end, as the URL parser drops them. */
// deno-lint-ignore no-control-regex -- the URL parser's own set
const URL_ENDS = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
/** Tabs and line breaks, which the URL parser removes anywhere. */
const URL_TAB_OR_NEWLINE = /[\t\n\r]/g;
// deno-lint-ignore no-control-regex -- a cheap test before the two above
const URL_NOISE = /[\u0000-\u0020]/;

/** `value` parsed as a URL with a special scheme, after the parser's preprocessing. */
function parsedUrl(value: string): URL | undefined {
  const text = URL_NOISE.test(value)
    ? value.replace(URL_ENDS, "").replace(URL_TAB_OR_NEWLINE, "")
    : value;
  if (!SPECIAL_SCHEME.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

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

/**
 * What follows `/proc/self/cwd` (or `/proc/<pid>/cwd`) in a normalized path,
 * to resolve against the folders the server may be working in (`.` for the
 * folder itself), or `undefined`.
 */
export function procCwdRest(form: string): string | undefined {
  if (!form.startsWith("/proc/")) return undefined;
  const m = PROC_CWD.exec(form);
  return m === null ? undefined : m[1] === undefined || m[1] === "" ? "." : m[1];
}
