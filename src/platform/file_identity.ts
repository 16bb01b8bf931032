/**
 * A file's identity, its device and inode, to tell the file a handle holds
 * from another put at the same path since (a lock file removed and made
 * again, its folder moved).
 *
 * @example
 * ```ts
 * const held = fileIdentity(file.statSync());
 * if (identityAtPath(path) !== held) {
 *   // removed ("gone") or replaced since it was opened
 * }
 * ```
 */

/** A file's device and inode ("" where the platform has none: nothing to compare). */
export function fileIdentity(info: Deno.FileInfo): string {
  return info.ino === null ? "" : `${info.dev}:${info.ino}`;
}

/** The identity of what is at `path` now; "gone" when nothing is. */
export function identityAtPath(path: string): string {
  try {
    return fileIdentity(Deno.statSync(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "gone";
    throw error;
  }
}
