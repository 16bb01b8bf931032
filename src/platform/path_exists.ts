/**
 * Whether something is at a path (a file, a folder, a link: `lstat`, so a
 * dangling link counts). Only "not found" is an answer of no; any other
 * error (no permission) is thrown, since it says nothing either way.
 *
 * @example
 * ```ts
 * await pathExists("/etc/hostname"); // true
 * await pathExists("/no/such/file"); // false
 * ```
 */

/** True when `path` names something, false when nothing is there; throws otherwise. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
