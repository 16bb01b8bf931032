/**
 * The folders a governed server may resolve a relative path argument against,
 * so rules that block or step up can see where `secret/plan.txt` lands (see
 * `compilePredicate`). Servers use their working folder (Node's
 * `path.resolve`, Python's `open`), the folders they were started with
 * (server-filesystem resolves against its allowed folders), or the roots the
 * client gave them (server-filesystem again, when the client lists roots).
 * thoth cannot know which one a server picks, so a blocking rule tries them
 * all; an allow rule never relies on any.
 *
 * @example
 * ```ts
 * commandLineFolders(["/data", "--root=~/docs", "work"], "/home/ana", "linux", "/srv");
 * // ["/data", "/home/ana/docs", "/srv/work"]
 * rootFolder("file:///home/ana/My%20Projects", "linux"); // "/home/ana/My Projects"
 * composeBases(["/a", "/b"], ["/b", "/c"]); // ["/a", "/b", "/c"]
 * ```
 */

import { isAbsolutePath } from "../config/is_absolute_path.ts";

/** At most this many bases: each costs a resolution per relative value a blocking rule tests. */
export const MAX_BASES = 64;

/** An absolute path on `os`: `/x`, and `C:\x`, `C:/x` or `\\host\share` on Windows. */
function isAbsoluteOn(text: string, os: string): boolean {
  return os === "windows" ? isAbsolutePath(text) : text.startsWith("/");
}

/**
 * The paths in a server's command-line arguments that may name its folders,
 * absolute, for the caller to keep those that are folders: each argument
 * (`/data`, `~/docs`, `data`, as the server resolves it in `cwd`), the value
 * of an option (`--root=/data`, `--root:/data`, `-d/data`), and each item of
 * a list in one (`--roots=/a,/b`, `/a:/b`; `;` on Windows). `file:` URIs are
 * read as their path.
 */
export function commandLineFolders(
  args: readonly string[],
  home: string | undefined,
  os: string,
  cwd: string,
): string[] {
  const found: string[] = [];
  const add = (value: string) => {
    if (value === "") return;
    const path = value.startsWith("file:") ? rootFolder(value, os) : expandHome(value, home);
    if (path === undefined) return;
    const absolute = isAbsoluteOn(path, os)
      ? path
      : `${cwd}${os === "windows" ? "\\" : "/"}${path}`;
    if (!found.includes(absolute)) found.push(absolute);
  };
  const separator = os === "windows" ? ";" : ":";
  for (const arg of args) {
    for (const value of optionValues(arg)) {
      add(value);
      if (value.includes(",")) { for (const item of value.split(",")) add(item); }
      if (!value.startsWith("file:") && value.includes(separator)) {
        for (const item of value.split(separator)) add(item);
      }
    }
  }
  return found;
}

/** What an argument may name: itself, or an option's value (`--x=v`, `--x:v`, `-xv` for a path). */
function optionValues(arg: string): string[] {
  if (!arg.startsWith("-")) return [arg];
  const mark = arg.search(/[=:]/);
  if (mark !== -1) return [arg.slice(mark + 1)];
  // "-d/data", "-d~/docs": a short option joined to a path.
  return /^-[a-zA-Z][/~.]/.test(arg) ? [arg.slice(2)] : [];
}

function expandHome(value: string, home: string | undefined): string {
  if (home === undefined || value.charCodeAt(0) !== 126) return value;
  return value.length === 1 || value[1] === "/" || value[1] === "\\"
    ? home + value.slice(1)
    : value;
}

/**
 * The local path a `file:` root URI names (`file:///data/My%20Docs` is
 * `/data/My Docs`; `file:///C:/x` is `C:/x` on Windows), or `undefined` for
 * any other URI, a remote host or a malformed one.
 */
export function rootFolder(uri: string, os: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== "file:" || (url.hostname !== "" && url.hostname !== "localhost")) {
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (os === "windows" && /^\/[a-zA-Z]:/.test(path)) path = path.slice(1);
  return path.includes("\0") ? undefined : path;
}

/**
 * One list of bases from `groups`, in order, each folder once, at most
 * {@linkcode MAX_BASES}: name the groups that must be covered first.
 */
export function composeBases(...groups: readonly (readonly string[])[]): string[] {
  const bases: string[] = [];
  for (const group of groups) {
    for (const base of group) {
      if (bases.length >= MAX_BASES) return bases;
      if (base !== "" && !bases.includes(base)) bases.push(base);
    }
  }
  return bases;
}

/**
 * The folders a `roots/list` result names (`{ roots: [{ uri: "file:///…" }] }`),
 * read as local paths; anything else in it is ignored.
 */
export function rootsOf(result: unknown, os: string): string[] {
  if (result === null || typeof result !== "object") return [];
  const roots = (result as { roots?: unknown }).roots;
  if (!Array.isArray(roots)) return [];
  const found: string[] = [];
  for (const root of roots) {
    const uri = root !== null && typeof root === "object"
      ? (root as { uri?: unknown }).uri
      : undefined;
    const path = typeof uri === "string" ? rootFolder(uri, os) : undefined;
    if (path !== undefined) found.push(path);
  }
  return found;
}
