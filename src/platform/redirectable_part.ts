/**
 * The first part of a path that a user other than the trusted ones can
 * change to make the path lead to another file: judged part by part as the
 * system follows it, from `/` down, and through every link on the way, hop
 * by hop (a link to a link is judged at each hop, with the folders each one
 * is in). A path written into a client config for the client to start later
 * (`exec_path_on_path.ts`) must lead where it leads now: a link in a folder
 * another user may write to can be swapped for theirs, and the client then
 * runs their program under the user's account.
 *
 * The rule is the one thoth trusts a named policy or key file's path by
 * (`platform/root_safe_path.ts`, `identity/owner_file_trust.ts`), for parts
 * that exist: every part, link or not, is owned by a trusted user (the user
 * running thoth and root; root alone when root runs it); a folder its group
 * or other users may write to is refused unless it has the sticky bit (like
 * `/tmp`: others may not rename what a trusted user made in it); a file its
 * group or other users may write to is refused. A part that is not there, or
 * cannot be looked at, or more than 40 links in a row, is refused too: what
 * cannot be judged is not trusted. A part whose owner or mode cannot be known
 * (`null`, on Windows) passes. Pure: the `lstat` and `readLink` results are
 * passed in; only `/`-separated absolute paths are judged.
 *
 * @example
 * ```ts
 * const parts: Record<string, { uid: number; mode: number; isSymlink: boolean; isDirectory: boolean }> = {
 *   "/": { uid: 0, mode: 0o40755, isSymlink: false, isDirectory: true },
 *   "/shared": { uid: 0, mode: 0o40777, isSymlink: false, isDirectory: true },
 *   "/shared/deno": { uid: 1000, mode: 0o120777, isSymlink: true, isDirectory: false },
 * };
 * redirectablePart("/shared/deno", {
 *   lstat: (path) => parts[path],
 *   readLink: () => "/usr/bin/deno",
 *   trusted: new Set([0, 1000]),
 * }); // { path: "/shared", uid: 0, why: "writable" }
 * ```
 */

/** What `lstat` tells of one part of a path (a subset of `Deno.FileInfo`). */
export interface PathPartInfo {
  readonly uid: number | null;
  readonly mode: number | null;
  readonly isSymlink: boolean;
  readonly isDirectory: boolean;
}

/** What {@linkcode redirectablePart} looks at. */
export interface PathLook {
  /** The part at `path` itself, links not followed; undefined when nothing can be found there. */
  readonly lstat: (path: string) => PathPartInfo | undefined;
  /** What the link at `path` holds, as written; undefined when it cannot be read. */
  readonly readLink: (path: string) => string | undefined;
  /** The users a part may belong to. */
  readonly trusted: ReadonlySet<number>;
}

/** A part of a path another user can change, and why. */
export interface RedirectablePart {
  readonly path: string;
  /** Its owner, when known. */
  readonly uid: number | null;
  /**
   * `owner`: another user owns it; `writable`: its group or other users may
   * write to it (a folder without the sticky bit, or a file); `missing`: it is
   * not there or cannot be looked at; `loop`: too many links in a row.
   */
  readonly why: "owner" | "writable" | "missing" | "loop";
}

/** Links followed in a row before a path counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * The first part of the absolute `path`, or of where its links lead, that a
 * user outside `look.trusted` can change (see the module's doc); undefined
 * when every part is safe from them.
 */
export function redirectablePart(path: string, look: PathLook): RedirectablePart | undefined {
  let rest = parts(path);
  let links = 0;
  let at = "/";
  const root = judged("/", look);
  if (root !== undefined) return root;
  while (rest.length > 0) {
    const [part, ...after] = rest as [string, ...string[]];
    rest = after;
    if (part === "..") {
      // Every part above was judged on the way down.
      at = folderOf(at);
      continue;
    }
    at = at === "/" ? `/${part}` : `${at}/${part}`;
    const info = look.lstat(at);
    if (info === undefined) return { path: at, uid: null, why: "missing" };
    const found = judgedInfo(at, info, look.trusted);
    if (found !== undefined) return found;
    if (!info.isSymlink) continue;
    if (++links > MAX_LINKS) return { path: at, uid: info.uid, why: "loop" };
    const target = look.readLink(at);
    if (target === undefined || target === "") return { path: at, uid: info.uid, why: "missing" };
    // A link's target starts again from / (absolute) or from the link's folder.
    rest = [...parts(target), ...rest];
    if (target.startsWith("/")) at = "/";
    else at = folderOf(at);
  }
  return undefined;
}

/** `path`'s parts, without empty ones and `.`. */
function parts(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

/** The folder `path` (absolute, `/`-separated) is in; `/` for `/`. */
function folderOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

function judged(path: string, look: PathLook): RedirectablePart | undefined {
  const info = look.lstat(path);
  if (info === undefined) return { path, uid: null, why: "missing" };
  return judgedInfo(path, info, look.trusted);
}

/** Why the part at `path` lets another user change where the path leads, or undefined. */
function judgedInfo(
  path: string,
  info: PathPartInfo,
  trusted: ReadonlySet<number>,
): RedirectablePart | undefined {
  if (info.uid !== null && !trusted.has(info.uid)) return { path, uid: info.uid, why: "owner" };
  // A link's own mode means nothing (always 0777 on Linux); its folder is judged.
  if (info.isSymlink || info.mode === null || (info.mode & 0o022) === 0) return undefined;
  // A sticky folder (like /tmp) lets others rename only what they own, and every
  // part in it is judged for its owner.
  if (info.isDirectory && (info.mode & 0o1000) !== 0) return undefined;
  return { path, uid: info.uid, why: "writable" };
}
