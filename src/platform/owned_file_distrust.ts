/**
 * Whether root may trust a file it reads on a user's behalf (`thoth status`
 * or `wrap-config` run as root, judging a config by the policy and intent map
 * of the user who owns it): the file (and, where it is a link, the link and
 * what it leads to) and the folder it is in (the link and the folder) must
 * belong to that user or to root, and the folder must not let other users
 * replace the file (group or others may write to it, without the sticky
 * bit). Else another user could have put the file there, or could swap it
 * for a link to a file of root's. A path that is not there is no distrust:
 * there is nothing to read. The folders above are judged once, beforehand,
 * by `unsafePartFor` (`root_safe_path.ts`). Synchronous, for the readers
 * that judge a config inside synchronous planning. Windows has no POSIX
 * owners: there nothing is distrusted.
 *
 * {@linkcode fileIdentitySync} tells whether the file read is the file
 * judged: compared before and after the read, a swap in between shows.
 *
 * @example
 * ```ts
 * ownedFileDistrustSync("/home/ana/.thoth/intent_map.json", new Set([0, 1000]));
 * // undefined, or '"/home/ana/.thoth/intent_map.json" is owned by uid 1001, not uid 1000 or root'
 * ```
 */
import { folderOf } from "./durable_file.ts";
import { modeText, othersMayReplaceIn } from "./file_mode.ts";

/**
 * Why the file at `path` is not to be trusted as the `trusted` users' own, or
 * undefined. With `noLink` (a file in a profile, where thoth follows no
 * link), a link in its place is refused before anything it leads to is
 * looked at: else a user could lead root to a file of root's own.
 */
export function ownedFileDistrustSync(
  path: string,
  trusted: ReadonlySet<number>,
  options: { noLink?: boolean } = {},
): string | undefined {
  const whom = [...trusted].filter((uid) => uid !== 0).map((uid) => `uid ${uid}`);
  const notTrusted = (what: string, uid: number) =>
    `${what} is owned by uid ${uid}, not ${[...whom, "root"].join(" or ")}`;
  const folder = folderOf(path);
  for (const info of [lstat(folder), stat(folder)]) {
    if (info === undefined || info.uid === null) continue;
    if (!trusted.has(info.uid)) return notTrusted(`its folder "${folder}"`, info.uid);
    if (info.isDirectory && othersMayReplaceIn(info.mode ?? 0)) {
      return `its folder "${folder}" is ${modeText(info.mode ?? 0)}: other users can replace ` +
        "the file in it";
    }
  }
  const own = lstat(path);
  if (options.noLink && own?.isSymlink) {
    return `"${path}" is a symbolic link, and root follows no link in another user's profile`;
  }
  for (const info of [own, stat(path)]) {
    if (info === undefined || info.uid === null) continue;
    if (!trusted.has(info.uid)) return notTrusted(`"${path}"`, info.uid);
  }
  return undefined;
}

/** The device and inode of what `path` leads to, as one string; undefined when nothing is there. */
export function fileIdentitySync(path: string): string | undefined {
  const info = stat(path);
  return info === undefined ? undefined : `${info.dev}:${info.ino ?? ""}`;
}

function lstat(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

function stat(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}
