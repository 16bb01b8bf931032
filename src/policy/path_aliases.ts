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
 *   and an administrative share (`//localhost/c$/x`, `//127.1/c$/x`, any host)
 *   as the drive path it may open, `//localhost/admin$/x` as `c:/windows/x`; on other systems `/proc/self/root/…` (and
 *   `/proc/<pid>/root`, `/proc/thread-self/root`, `…/task/<tid>/root`) as
 *   `/…`, the root those links lead to, walked segment by segment
 *   ({@linkcode procWalk}) so `.`, doubled `/` and links one after another
 *   (`/proc/./self/root/proc/self/root/../etc`) reach the same root.
 * - {@linkcode formAlias}, after: the same `/proc/…/root` prefix; on macOS
 *   `/private/etc`, `/private/var`, `/private/tmp` as `/etc`, `/var`, `/tmp`
 *   and `/System/Volumes/Data/Users/x` as `/Users/x` (the same files, for
 *   the folders macOS firmlinks only), and
 *   {@linkcode privateAlias} the other way (`/etc` as `/private/etc`, for a
 *   rule written against the real folder); on Windows each
 *   name without an NTFS stream (`.env::$DATA`, `.env:x`) and without the
 *   trailing dots and spaces Windows drops (`secret.txt. `), never in a
 *   URL (`https:`, `:8080` are no streams); and a path
 *   without its trailing `/` (`/srv/app/.env/` is the file `.env` to a
 *   server that strips it).
 * - {@linkcode urlAlias}: a URL with a special scheme (`http`, `https`,
 *   `ws`, `wss`, `ftp`, `file`) as the WHATWG URL parser serializes it,
 *   without user info: `HTTP://x@169.254.169.254:80\latest` is
 *   `http://169.254.169.254/latest`, after the parser's own preprocessing
 *   (C0 controls and spaces at the ends dropped, tabs and line breaks
 *   removed); {@linkcode urlReadings} adds the host as a server connects to
 *   it (`[::ffff:a9fe:a9fe]` as `169.254.169.254`, `host.` as `host`, a zone
 *   id dropped, the host after a `\`…`@` as curl sees it) and the path
 *   percent-decoded, then dot-resolved (`/public/..%2fadmin` as `/admin`).
 * - {@linkcode fileUrlPath}: a `file:` URL, whatever its host, as the local
 *   path it opens; on Windows {@linkcode fileUrlShare} also as the share its
 *   host names (`file://srv/share/x` is `//srv/share/x`).
 * - {@linkcode procCwdRest} and {@linkcode procWalk}: what `/proc/self/cwd/x`
 *   leaves to resolve against the server's working folder (`x`).
 *
 * @example
 * ```ts
 * rawAlias("/proc/self/root/etc/shadow", "linux"); // "/etc/shadow"
 * rawAlias("/proc/./self/root/../etc/shadow", "linux"); // "/etc/shadow"
 * rawAlias("//?/c:/users/ana/.ssh/id_rsa", "windows"); // "c:/users/ana/.ssh/id_rsa"
 * formAlias("/private/etc/hosts", "darwin"); // "/etc/hosts"
 * privateAlias("/etc/hosts", "darwin"); // "/private/etc/hosts"
 * fileUrlShare("file://srv/share/x"); // "//srv/share/x"
 * formAlias("c:/app/.env::$data", "windows"); // "c:/app/.env"
 * formAlias("/srv/app/.env/", "linux"); // "/srv/app/.env"
 * urlAlias("http:\\\\169.254.169.254\\latest\\meta-data"); // "http://169.254.169.254/latest/meta-data"
 * procCwdRest("/proc/self/cwd/secret/plan.txt"); // "secret/plan.txt"
 * ```
 */
import { normalizePath } from "./normalize_path.ts";

/** `/proc/<self, thread-self or pid>[/task/<tid>]/root` in a normalized path, once or more. */
const PROC_ROOT = /^(?:\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/root(?=\/|$))+/;
/** `/proc/…/cwd` and what follows it. */
const PROC_CWD = /^\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/cwd(?:\/(.*))?$/;
/** Device and long-path prefixes of a drive path: `//?/c:`, `//./c:`, `/??/c:`. */
const WINDOWS_DEVICE = /^(?:\/\/[?.]\/|\/\?\?\/)(?=[a-z]:)/i;
/** `//?/unc/host/share`: the share `//host/share`. */
const WINDOWS_UNC = /^(?:\/\/[?.]\/|\/\?\?\/)unc\//i;
/**
 * An administrative share of a drive, `//<host>/c$`: read as the drive under
 * any host spelling (`localhost`, `localhost.`, `127.1`, `[::1]`, the
 * machine's own name, which thoth cannot tell from another's), so a rule
 * that blocks sees the drive's file; the share reading stays besides.
 */
const WINDOWS_ADMIN_SHARE = /^\/\/[^/]+\/([a-z])\$(?=\/|$)/i;
/**
 * The administrative share of the Windows folder, `//<host>/admin$`: read
 * as `c:/windows` (where Windows is installed unless set up otherwise) under
 * any host spelling, as a drive's share is; its name compared as Windows
 * compares names (`ADMıN$` too: `ı` is `i` there, see `case_folding.ts`).
 */
const WINDOWS_ADMIN_FOLDER = /^\/\/[^/]+\/adm[i\u0131]n\$(?=\/|$)/i;
/** macOS firmlinks and symbolic links to the data volume. */
const DARWIN_PRIVATE = /^\/private(?=\/(?:etc|var|tmp)(?:\/|$))/i;
/**
 * `/System/Volumes/Data` before a folder macOS firmlinks from the system
 * volume (its `/usr/share/firmlinks`): `/Applications`, `/Library`,
 * `/Users`, `/Volumes`, `/cores`, `/opt`, `/private`, `/usr/local`,
 * `/AppleInternal`, `/usr/libexec/cups`, `/usr/share/snmp` and the
 * `/System/Library` folders kept on the data volume. Any other folder there
 * (`/System/Volumes/Data/tmp`) is a folder of the data volume's own.
 */
const DARWIN_DATA =
  /^\/system\/volumes\/data(?=\/(?:applications|library|users|volumes|cores|opt|private|appleinternal|usr\/(?:local|libexec\/cups|share\/snmp)|system\/library\/(?:caches|assets|preinstalledassets|assetsv2|preinstalledassetsv2|speech|coreservices\/coretypes\.bundle\/contents\/library))(?:\/|$))/i;
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
    ).replace(WINDOWS_ADMIN_FOLDER, "c:/windows");
  }
  if (text.indexOf("proc") === -1) return text;
  return procWalk(text)?.path ?? text;
}

/** What a path through `/proc` reaches (see {@linkcode procWalk}). */
export interface ProcReach {
  /** The path it opens, normalized, when a `/proc/…/root` link led back to the root. */
  path: string | undefined;
  /** What follows a `/proc/…/cwd` link, unresolved, to resolve against the working folder. */
  cwd: string | undefined;
}

/**
 * An absolute path walked segment by segment as the kernel does, each
 * `/proc/<self, thread-self or pid>[/task/<tid>]/root` reached (however
 * written: `/proc/./self/root`, `//proc/self/root`, one after another)
 * starting again at `/`, so `..` right after it stays at the root
 * (`/proc/self/root/../etc/shadow` is `/etc/shadow`); a `/proc/…/cwd` reached
 * ends the walk with what follows it. `undefined` when the path meets
 * neither.
 *
 * @example
 * ```ts
 * procWalk("/proc/./self/root/../etc/shadow"); // { path: "/etc/shadow", cwd: undefined }
 * procWalk("/proc/self/./cwd/../secret/k"); // { path: undefined, cwd: "../secret/k" }
 * ```
 */
export function procWalk(text: string): ProcReach | undefined {
  if (text.charCodeAt(0) !== 47) return undefined;
  const parts = text.split("/");
  const stack: string[] = [];
  let linked = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      stack.pop();
      continue;
    }
    stack.push(part);
    // Links every Linux has that lead into /proc/self: `/proc/net` is `self/net`, `/dev/fd`
    // is `/proc/self/fd`, so a `..` after them lands in /proc/self.
    if (stack.length === 2 && stack[0] === "proc" && part === "net") {
      stack.splice(1, 1, "self", "net");
    } else if (stack.length === 2 && stack[0] === "dev" && part === "fd") {
      stack.splice(0, 2, "proc", "self", "fd");
    }
    const link = procLink(stack);
    if (link === "root") {
      stack.length = 0;
      linked = true;
    } else if (link === "cwd") {
      const rest = parts.slice(i + 1).join("/").replace(/^\/+/, "");
      return { path: undefined, cwd: rest === "" ? "." : rest };
    }
  }
  return linked ? { path: `/${stack.join("/")}`, cwd: undefined } : undefined;
}

const PROC_ID = /^(?:self|thread-self|\d+)$/;
const DIGITS = /^\d+$/;

/** Whether the segments `stack` name a `/proc/…/root` or `/proc/…/cwd` link. */
function procLink(stack: readonly string[]): "root" | "cwd" | undefined {
  const n = stack.length;
  if ((n !== 3 && n !== 5) || stack[0] !== "proc" || !PROC_ID.test(stack[1]!)) return undefined;
  if (n === 5 && (stack[2] !== "task" || !DIGITS.test(stack[3]!))) return undefined;
  const last = stack[n - 1];
  return last === "root" || last === "cwd" ? last : undefined;
}

/**
 * A normalized path `form` as another spelling of the same file (see the
 * module doc), or `form` itself.
 */
export function formAlias(form: string, os: string | undefined): string {
  let out = form;
  if (os === "windows") {
    // A URL's "https:" and ":8080" are no NTFS streams.
    if (
      (out.indexOf(":") !== -1 || out.indexOf(". ") !== -1 || END_DOT_OR_SPACE.test(out)) &&
      !URL_SCHEME.test(out)
    ) {
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
    if (trimmed !== "" && !(os === "windows" && DRIVE.test(trimmed) && trimmed.length === 2)) {
      out = trimmed;
    }
  }
  return out;
}

/** `/etc`, `/var`, `/tmp` (or what is inside them), which macOS keeps under `/private`. */
const DARWIN_PRIVATE_TARGET = /^\/(?:etc|var|tmp)(?:\/|$)/i;

/**
 * On macOS, a normalized path in `/etc`, `/var` or `/tmp` as the same file
 * under `/private` (the folders those links lead to), for a rule written
 * against `/private/etc/**`; else `undefined`.
 *
 * @example
 * ```ts
 * privateAlias("/etc/sudoers", "darwin"); // "/private/etc/sudoers"
 * privateAlias("/etc/sudoers", "linux"); // undefined
 * ```
 */
export function privateAlias(form: string, os: string | undefined): string | undefined {
  if (os !== "darwin" || !DARWIN_PRIVATE_TARGET.test(form)) return undefined;
  return form.charCodeAt(form.length - 1) === 47 && form.length > 1
    ? `/private${form.slice(0, -1)}`
    : `/private${form}`;
}

/**
 * Every spelling of the file a normalized path `form` names that macOS
 * gives it: `/etc/hosts` is also `/private/etc/hosts`, and
 * `/System/Volumes/Data/private/tmp/x` is `/tmp/x` and `/private/tmp/x`;
 * `undefined` when it has no other (and on any other system). A glob judges
 * them as one file: inside when any of them is.
 *
 * @example
 * ```ts
 * sameFileSpellings("/tmp/x", "darwin"); // ["/tmp/x", "/private/tmp/x"]
 * sameFileSpellings("/tmp/x", "linux"); // undefined
 * ```
 */
export function sameFileSpellings(form: string, os: string | undefined): string[] | undefined {
  if (os !== "darwin") return undefined;
  const data = DARWIN_DATA.test(form);
  const inPrivate = DARWIN_PRIVATE.test(form);
  if (!data && !inPrivate && !DARWIN_PRIVATE_TARGET.test(form)) return undefined;
  const base = form.replace(DARWIN_DATA, "").replace(DARWIN_PRIVATE, "") || "/";
  const out = [form];
  if (base !== form) out.push(base);
  const target = privateAlias(base, os);
  if (target !== undefined && !out.includes(target)) out.push(target);
  return out.length === 1 ? undefined : out;
}

/** A URL's scheme (`https://`, `file:`), which no Windows path starts with (`c://` is a drive). */
const URL_SCHEME = /^(?:[a-z][a-z0-9+.-]+:\/\/|file:)/i;

/** A drive (`c:`), or a volume's unknown drive as `windows_device_readings.ts` writes it. */
// deno-lint-ignore no-control-regex -- U+0000 stands for a volume's unknown drive
const DRIVE = /^[a-z\u0000]:/i;

/** A name that ends in a dot or a space, somewhere in the path. */
const END_DOT_OR_SPACE = /[^/.][. ]+(?:\/|$)/;

/** Each name of `form` without an NTFS stream and without trailing dots and spaces. */
function windowsNames(form: string): string {
  const parts = form.split("/");
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    // The drive ("c:") of the first name is no stream.
    const drive = i === 0 && DRIVE.test(part) ? part.slice(0, 2) : "";
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
  const text = URL_NOISE.test(value)
    ? value.replace(URL_ENDS, "").replace(URL_TAB_OR_NEWLINE, "")
    : value;
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
  const m = FILE_URL_PATH.exec(value.replace(URL_ENDS, "").replace(URL_TAB_OR_NEWLINE, ""));
  return m === null ? undefined : decodedPath(m[1]!);
}

const FILE_URL_PATH = /^file:(?:\/\/[^/?#]*)?(\/[^?#]*)/i;

/** `path` with every percent escape decoded once; an escape that is no UTF-8 as the byte's own character. */
function decodedPath(path: string): string {
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

/** `value` parsed as a URL with a special scheme, after the parser's preprocessing. */
function parsedUrl(value: string): URL | undefined {
  const text = URL_NOISE.test(value)
    ? value.replace(URL_ENDS, "").replace(URL_TAB_OR_NEWLINE, "")
    : value;
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
