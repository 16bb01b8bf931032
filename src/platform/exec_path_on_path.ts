/**
 * The path to write for a program that must be started again later (in a
 * client config): the first `PATH` entry that leads to the very file running
 * now, else the file itself. The running file's path is where links end (a
 * compiled thoth installed as `/usr/local/bin/thoth` →
 * `../Cellar/thoth/1.2.3/bin/thoth` runs as the versioned file); written
 * down, it stops working when an upgrade removes that folder, while the
 * link on `PATH` is moved to the new version. Pure: the link resolution and
 * what `lstat` finds are passed in.
 *
 * Only absolute `PATH` folders are looked in (a relative one depends on the
 * folder the client starts in), in order, each for each of `names`; an entry
 * counts when `realPath` leads it to the file `execPath` leads to, and no
 * part of it, or of where its links lead, hop by hop, is one another user can
 * change (`redirectable_part.ts`: a link in a folder any user may write to,
 * such as a `chmod 777` folder on `PATH`, could be swapped for one to their
 * program, which the client would then start, ungoverned, as the user). An
 * entry that leads to the file but is not safe so is passed over; when none
 * is left, the file itself is written, as it was before links were looked
 * for. `self` is who runs thoth: the parts may be that user's or root's (root
 * alone when root runs it, or when who runs it cannot be known). Windows has
 * no POSIX owners: there nothing is judged.
 *
 * @example
 * ```ts
 * const links: Record<string, string> = {
 *   "/usr/local/bin/thoth": "/usr/local/Cellar/thoth/1.2.3/bin/thoth",
 * };
 * execPathOnPath({
 *   execPath: "/usr/local/Cellar/thoth/1.2.3/bin/thoth",
 *   names: ["thoth"],
 *   pathValue: "/usr/bin:/usr/local/bin",
 *   os: "darwin",
 *   realPath: (path) => links[path] ?? (path.includes("Cellar") ? path : undefined),
 *   lstat: (path) => ({ uid: 0, mode: 0o40755, isSymlink: path in links, isDirectory: !(path in links) }),
 *   readLink: (path) => links[path],
 *   self: 501,
 * }); // "/usr/local/bin/thoth"
 * ```
 */
import { type PathPartInfo, redirectablePart } from "./redirectable_part.ts";
import { trustedUsers } from "./written_path_risk.ts";

/** What {@linkcode execPathOnPath} looks at. */
export interface ExecPathLookup {
  /** The running executable, as `Deno.execPath()` gives it. */
  readonly execPath: string;
  /** The file names to try in each `PATH` folder (`thoth`, `deno`, `thoth.exe`). */
  readonly names: readonly string[];
  /** The value of `PATH` (see `path_variable.ts`). */
  readonly pathValue: string;
  /** A `Deno.build.os` value: `;` separates `PATH` on Windows, `:` elsewhere. */
  readonly os: string;
  /** Where `path` leads with every link followed, or undefined when nothing is there. */
  readonly realPath: (path: string) => string | undefined;
  /** What is at `path` itself, links not followed; undefined when nothing can be found there. */
  readonly lstat: (path: string) => PathPartInfo | undefined;
  /** What the link at `path` holds, as written; undefined when it cannot be read. */
  readonly readLink: (path: string) => string | undefined;
  /** The user running thoth (root: 0), or null where it cannot be known. */
  readonly self: number | null;
}

/**
 * The first `PATH` entry that is `execPath` or a link to it, and that no
 * other user can make lead elsewhere, else `execPath`.
 */
export function execPathOnPath(lookup: ExecPathLookup): string {
  const { execPath, names, pathValue, os, realPath, lstat, readLink, self } = lookup;
  const target = realPath(execPath) ?? execPath;
  const windows = os === "windows";
  // A user trusts their own parts and root's; root (or an unknown user) root's alone.
  const trusted = windows ? null : trustedUsers(self);
  for (const dir of pathValue.split(windows ? ";" : ":")) {
    if (!isAbsoluteFolder(dir, windows)) continue;
    for (const name of names) {
      if (name === "" || /[\\/]/.test(name)) continue;
      const candidate = /[\\/]$/.test(dir)
        ? `${dir}${name}`
        : `${dir}${windows ? "\\" : "/"}${name}`;
      if (realPath(candidate) !== target) continue;
      if (trusted === null) return candidate;
      if (redirectablePart(candidate, { lstat, readLink, trusted }) === undefined) return candidate;
    }
  }
  return execPath;
}

function isAbsoluteFolder(dir: string, windows: boolean): boolean {
  return windows ? /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith("\\\\") : dir.startsWith("/");
}
