/**
 * Whether a folder's mode and owner leave no doubt that a user may not make
 * a file in it (write and search permission, `-wx`), judged without trying:
 * for a dry run, which must write nothing, and before the first write of a
 * command that writes several files. Only a sure "no" is told; anything the
 * mode bits cannot settle is left to the write itself (true means denied,
 * false means "not known to be denied"):
 * - root (uid 0) may write any folder (a read-only mount is not seen here);
 * - the owner gets the owner's bits only, whatever the group and ACLs say;
 * - anyone else is denied only when neither the group bits (which, with
 *   ACLs, are the mask every named user and group entry is cut to) nor the
 *   other bits grant `-wx`: this user's groups are not known here.
 * No mode or owner (Windows) is never judged. Pure.
 *
 * @example
 * ```ts
 * folderDeniesWrite({ mode: 0o40755, uid: 0 }, 65534); // true: root's folder, others r-x
 * folderDeniesWrite({ mode: 0o40775, uid: 0 }, 65534); // false: its group may write, maybe this user
 * folderDeniesWrite({ mode: 0o40555, uid: 501 }, 501); // true: the owner's bits say r-x
 * folderDeniesWrite({ mode: 0o40555, uid: 501 }, 0); // false: root
 * ```
 */

/** Write and search permission, as the low three bits of a class. */
const WRITE_SEARCH = 0o3;

/** Whether `folder` surely denies `uid` making a file in it; null facts are not judged. */
export function folderDeniesWrite(
  folder: { mode: number | null; uid: number | null },
  uid: number | null,
): boolean {
  if (folder.mode === null || folder.uid === null || uid === null || uid === 0) return false;
  const grants = (bits: number) => (bits & WRITE_SEARCH) === WRITE_SEARCH;
  if (folder.uid === uid) return !grants(folder.mode >> 6);
  return !grants(folder.mode >> 3) && !grants(folder.mode);
}
