/**
 * Whether a program path written into a client config, for the client to
 * start later, can be made to lead elsewhere by another user: the rule
 * `exec_path_on_path.ts` picks a `PATH` entry by (`redirectable_part.ts`),
 * for any path, so that the path written when no entry is safe (the running
 * binary's own, perhaps in a folder anyone may write to) or a `--thoth-path`
 * is judged the same way. `self` is who runs thoth: the parts may be that
 * user's or root's (root alone when root runs it, or when who runs it cannot
 * be known). Windows has no POSIX owners, and a path that is not absolute
 * and `/`-separated cannot be judged: for both, nothing is found. Pure: what
 * `lstat` and `readLink` find is passed in.
 *
 * @example
 * ```ts
 * const parts: Record<string, { uid: number; mode: number; isSymlink: boolean; isDirectory: boolean }> = {
 *   "/": { uid: 0, mode: 0o40755, isSymlink: false, isDirectory: true },
 *   "/shared": { uid: 0, mode: 0o40777, isSymlink: false, isDirectory: true },
 *   "/shared/deno": { uid: 0, mode: 0o100755, isSymlink: false, isDirectory: false },
 * };
 * writtenPathRisk("/shared/deno", {
 *   os: "linux",
 *   lstat: (path) => parts[path],
 *   readLink: () => undefined,
 *   self: 1000,
 * }); // { path: "/shared", uid: 0, why: "writable" }
 * ```
 */
import { type PathPartInfo, type RedirectablePart, redirectablePart } from "./redirectable_part.ts";

/** What {@linkcode writtenPathRisk} looks at. */
export interface WrittenPathLook {
  /** A `Deno.build.os` value: on Windows nothing is judged. */
  readonly os: string;
  /** What is at `path` itself, links not followed; undefined when nothing can be found there. */
  readonly lstat: (path: string) => PathPartInfo | undefined;
  /** What the link at `path` holds, as written; undefined when it cannot be read. */
  readonly readLink: (path: string) => string | undefined;
  /** The user running thoth (root: 0), or null where it cannot be known. */
  readonly self: number | null;
}

/** The users a part of a written path may belong to: `self` and root; root alone for root or unknown. */
export function trustedUsers(self: number | null): ReadonlySet<number> {
  return new Set(self === null || self === 0 ? [0] : [0, self]);
}

/**
 * The first part of `path`, or of where its links lead, that a user other
 * than `look.self` and root can change; undefined when there is none, on
 * Windows, or for a path that is not absolute.
 */
export function writtenPathRisk(path: string, look: WrittenPathLook): RedirectablePart | undefined {
  if (look.os === "windows" || !path.startsWith("/")) return undefined;
  return redirectablePart(path, {
    lstat: look.lstat,
    readLink: look.readLink,
    trusted: trustedUsers(look.self),
  });
}
