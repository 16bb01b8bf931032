/**
 * Whether root may create or change files at a path by its name. Run as root
 * by a management tool, thoth must not work inside folders another user can
 * change: that user can swap any folder on the way (`~/.thoth` for a link to
 * `/etc`) between two of root's steps, and root then creates files, or sets
 * modes and owners, wherever the swap points. No check made before a step can
 * hold through it, so such a path is refused outright: the command is run as
 * the user who owns the folder instead.
 *
 * A path is safe for root when every part of it that exists, from the path
 * itself up to `/`, and every part of where its links lead, belongs to root
 * and is not writable by other users (a folder with the sticky bit, like
 * `/tmp`, counts as safe for what root made in it already, since others
 * cannot rename that; not for a part still to be made there, which anyone
 * could make first), and no link on the way leads nowhere. For any other
 * user, or on Windows, every path is safe here: a user's own folders are
 * theirs to change.
 *
 * @example
 * ```ts
 * await refuseUnsafeForRoot("/home/ana/.thoth", "the profile");
 * // run as root: throws io.unsafe_for_root naming /home/ana (uid 1000)
 * ```
 */
import { AppError } from "../errors.ts";
import { folderOf } from "./durable_file.ts";

/** A part of a path another user can change, and why. */
export interface UnsafePart {
  path: string;
  uid: number;
  why: "owner" | "writable" | "unmade" | "dangling";
}

/** This process's effective user id, or null where it cannot be known. */
export function effectiveUid(): number | null {
  if (Deno.build.os === "windows") return null;
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

/** The first part of `path` (or of where it leads) another user can change; undefined if none. */
export function unsafePartForRoot(path: string): Promise<UnsafePart | undefined> {
  return unsafePartFor(path, ROOT_ONLY);
}

const ROOT_ONLY: ReadonlySet<number> = new Set([0]);

/**
 * The first part of `path` (or of where it leads), from the path itself up to
 * `/`, that someone other than the `trusted` users can change: one another
 * user owns, a folder others may write to (with the sticky bit, only when the
 * part below it is still to be made), or a link that leads nowhere; undefined
 * if none. {@linkcode unsafePartForRoot} trusts root alone; a user's own
 * profile trusts root and that user.
 *
 * @example
 * ```ts
 * await unsafePartFor("/home/ana/.thoth", new Set([0, 1000])); // undefined
 * ```
 */
export function unsafePartFor(
  path: string,
  trusted: ReadonlySet<number>,
  options: UnsafePartOptions = {},
): Promise<UnsafePart | undefined> {
  return Promise.try(() => unsafePartForSync(path, trusted, options));
}

/**
 * {@linkcode unsafePartFor}, synchronous: for the readers that judge a config
 * inside synchronous planning (`thoth status`), by the same rule.
 */
export function unsafePartForSync(
  path: string,
  trusted: ReadonlySet<number>,
  options: UnsafePartOptions = {},
): UnsafePart | undefined {
  const closed = options.closedFolders === true && Deno.build.os === "linux";
  const lexical = unsafeAncestor(path, trusted, closed);
  if (lexical !== undefined) return lexical;
  // Where links on the way lead must be as safe (macOS's /tmp is /private/tmp).
  const existing = nearestExisting(path);
  if (existing === undefined) return undefined;
  let real: string;
  try {
    real = Deno.realPathSync(existing);
  } catch {
    // A link that leads nowhere yet: whoever makes its target decides where root writes.
    return { path: existing, uid: 0, why: "dangling" };
  }
  // The parts still to be made go under where it leads, so a sticky folder
  // behind a link (macOS's /private/tmp) is judged as the folder itself.
  return real === existing
    ? undefined
    : unsafeAncestor(real + path.slice(existing.length), trusted, closed);
}

/** How {@linkcode unsafePartFor} judges a path. */
export interface UnsafePartOptions {
  /**
   * Whether a folder of a trusted user that no one else may enter (no search
   * permission for its group or others: `mode & 0o011` is 0) shields what is
   * below it: others cannot reach what is in it, so a folder in it they could
   * otherwise write to (or a part still to be made there) is no way for them
   * to swap the path (but for a handle opened before the folder was closed
   * off). A part below it that another user owns, or a link that leads
   * nowhere, is still refused. Only on Linux, where a POSIX ACL's mask is the
   * group's bits of the mode, so no ACL entry grants search where the mode
   * does not (macOS keeps ACLs apart from the mode, and they are not read
   * here). Not for root: {@linkcode unsafePartForRoot} never shields.
   */
  closedFolders?: boolean;
}

/** Whether this process is root and `path` is not safe for root (see the module's doc). */
export async function rootMustNotWrite(path: string): Promise<boolean> {
  return effectiveUid() === 0 && (await unsafePartForRoot(path)) !== undefined;
}

/**
 * Throws `io.unsafe_for_root` when this process is root and `path` is not
 * safe for root (see the module's doc); `what` names it in the message, and
 * `kind` says whether it is a folder or a file (the hint makes its folder).
 */
export async function refuseUnsafeForRoot(
  path: string,
  what: string,
  kind: "folder" | "file" = "folder",
): Promise<void> {
  if (effectiveUid() !== 0) return;
  const part = await unsafePartForRoot(path);
  if (part === undefined) return;
  const whose = part.why === "owner"
    ? `"${part.path}" belongs to uid ${part.uid}`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `anyone may make it in "${part.path}" before root does`
    : `"${part.path}" can be changed by other users`;
  throw new AppError(
    "io.unsafe_for_root",
    `thoth runs as root, and ${what} "${path}" is in a place root cannot trust (${whose}): ` +
      "root creates and changes nothing there, since another user could redirect it to any file",
    {
      hints: part.why === "owner"
        ? [
          `run the same command as that user instead (sudo -u '#${part.uid}' …)`,
          "or, for root's own use, set THOTH_HOME to a folder only root can change",
        ]
        : part.why === "dangling"
        ? ["create what the link leads to as root first, or set THOTH_HOME to a plain folder"]
        : part.why === "unmade"
        ? [
          `make the folder first, as root, in one step: mkdir -p -m 700 ${
            quote(kind === "file" ? folderOf(path) : path)
          }`,
          "or set THOTH_HOME to a folder only root can change (such as /var/lib/thoth)",
        ]
        : ["set THOTH_HOME to a folder only root can change (such as /var/lib/thoth)"],
    },
  );
}

function unsafeAncestor(
  path: string,
  trusted: ReadonlySet<number>,
  closedFolders = false,
): UnsafePart | undefined {
  // Whether a part below is still to be made: then no one else may make it first.
  let below = false;
  // With closedFolders: a part others could write to, unless a closed folder above shields it.
  let shielded: UnsafePart | undefined;
  for (let p = path;; p = folderOf(p)) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.lstatSync(p);
    } catch (error) {
      if (!missing(error)) throw error;
    }
    if (info === undefined) {
      below = true;
    } else if (info.uid !== null) {
      if (!trusted.has(info.uid)) return { path: p, uid: info.uid, why: "owner" };
      const mode = info.mode ?? 0;
      let part: UnsafePart | undefined;
      // Others who may write here may rename what root made (no sticky bit), or
      // make the missing part below before root does (sticky bit or not).
      if (info.isDirectory && (mode & 0o022) !== 0) {
        if ((mode & 0o1000) === 0) part = { path: p, uid: info.uid, why: "writable" };
        else if (below) part = { path: p, uid: info.uid, why: "unmade" };
      }
      if (part !== undefined) {
        if (!closedFolders) return part;
        shielded ??= part;
      } else if (closedFolders && info.isDirectory && (mode & 0o011) === 0) {
        // No one else may enter it: nothing below it is within their reach.
        shielded = undefined;
      }
      below = false;
    }
    if (folderOf(p) === p) return shielded;
  }
}

function nearestExisting(path: string): string | undefined {
  for (let p = path;; p = folderOf(p)) {
    try {
      Deno.lstatSync(p);
      return p;
    } catch (error) {
      if (!missing(error)) throw error;
    }
    if (folderOf(p) === p) return undefined;
  }
}

/** A part that is not there (or sits under a file): nothing of it to check. */
function missing(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory;
}

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/**
 * The first link on the way to `path`, followed as the system follows it, that
 * belongs to a user other than root, with its owner; undefined when there is
 * none. A link of root's is followed to check what it leads through.
 */
export function foreignLinkOnPath(
  path: string,
): Promise<{ link: string; uid: number } | undefined> {
  return Promise.try(() => foreignLinkOnPathSync(path));
}

/**
 * {@linkcode foreignLinkOnPath}, synchronous (see {@linkcode unsafePartForSync}),
 * and for any `trusted` users (root alone unless given): the first link on
 * the way to `path`, on any part of it, owned by a user not among them. A link
 * of a trusted user's is followed to check what it leads through.
 *
 * @example
 * ```ts
 * foreignLinkOnPathSync("/srv/shared/team/policy.jsonc", new Set([0, 1000]));
 * // { link: "/srv/shared/team", uid: 1001 } when uid 1001 made that link
 * ```
 */
export function foreignLinkOnPathSync(
  path: string,
  trusted: ReadonlySet<number> = ROOT_ONLY,
): { link: string; uid: number } | undefined {
  return foreignLinkFrom(path, trusted, 0);
}

function foreignLinkFrom(
  path: string,
  trusted: ReadonlySet<number>,
  depth: number,
): { link: string; uid: number } | undefined {
  const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const parts = absolute.split("/").filter((part) => part !== "" && part !== ".");
  let at = "";
  for (const [i, part] of parts.entries()) {
    at = part === ".." ? folderOf(at || "/") : `${at}/${part}`;
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(at);
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
    if (!info.isSymlink) continue;
    if (info.uid !== null && !trusted.has(info.uid)) return { link: at, uid: info.uid };
    // Too many links on the way is a loop, or a maze someone built: not followed.
    if (depth >= 40) return { link: at, uid: info.uid ?? 0 };
    const target = Deno.readLinkSync(at);
    const rest = parts.slice(i + 1).join("/");
    const next = target.startsWith("/") ? target : `${folderOf(at)}/${target}`;
    return foreignLinkFrom(rest === "" ? next : `${next}/${rest}`, trusted, depth + 1);
  }
  return undefined;
}
