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
 * commandLineFolders(["-y", "@mcp/server-filesystem", "/data", "--root=~/docs"], "/home/ana", "linux");
 * // ["/data", "/home/ana/docs"]
 * rootFolder("file:///home/ana/My%20Projects", "linux"); // "/home/ana/My Projects"
 * const bases = ["/srv"];
 * addBases(bases, ["/data", "/srv"]); // bases is ["/srv", "/data"]
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
 * The absolute paths in a server's command-line arguments, as they may name
 * folders: an argument that is one (`/data`, `~/docs`), or the value of an
 * option written `--name=/data`. `file:` URIs are read as their path. The
 * caller keeps those that are folders.
 */
export function commandLineFolders(
  args: readonly string[],
  home: string | undefined,
  os: string,
): string[] {
  const found: string[] = [];
  for (const arg of args) {
    const equals = arg.startsWith("-") ? arg.indexOf("=") : -1;
    const value = equals === -1 ? arg : arg.slice(equals + 1);
    const path = value.startsWith("file:") ? rootFolder(value, os) : expandHome(value, home);
    if (path !== undefined && isAbsoluteOn(path, os)) found.push(path);
  }
  return found;
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
 * Appends to `bases` each of `more` it does not hold yet, up to
 * {@linkcode MAX_BASES}; returns how many were added. The list only grows, so
 * a blocking rule never stops seeing a place it saw.
 */
export function addBases(bases: string[], more: readonly string[]): number {
  let added = 0;
  for (const base of more) {
    if (bases.length >= MAX_BASES) break;
    if (base === "" || bases.includes(base)) continue;
    bases.push(base);
    added++;
  }
  return added;
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
