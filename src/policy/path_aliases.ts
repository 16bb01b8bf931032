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
 * - A URL with a special scheme as the URL parser and servers read it
 *   (`url_readings.ts`), and a `file:` URL as the local path or share it
 *   opens (`file_url_paths.ts`).
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
 * formAlias("c:/app/.env::$data", "windows"); // "c:/app/.env"
 * formAlias("/srv/app/.env/", "linux"); // "/srv/app/.env"
 * procCwdRest("/proc/self/cwd/secret/plan.txt"); // "secret/plan.txt"
 * ```
 */

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
 * What follows `/proc/self/cwd` (or `/proc/<pid>/cwd`) in a normalized path,
 * to resolve against the folders the server may be working in (`.` for the
 * folder itself), or `undefined`.
 */
export function procCwdRest(form: string): string | undefined {
  if (!form.startsWith("/proc/")) return undefined;
  const m = PROC_CWD.exec(form);
  return m === null ? undefined : m[1] === undefined || m[1] === "" ? "." : m[1];
}
