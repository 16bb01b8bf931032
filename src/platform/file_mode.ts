/**
 * Permission bits: a file's, to keep them when it is rewritten (undefined on
 * Windows or when the file does not exist); how a mode is written in a
 * message (`0755`); and whether other users may replace a file in a folder of
 * a given mode.
 *
 * @example
 * ```ts
 * const mode = await fileMode("/etc/hosts"); // 0o644
 * modeText(0o40755);                          // "0755"
 * othersMayReplaceIn(0o41777);                // false: sticky, like /tmp
 * ```
 */

/** Reads `path`'s mode bits (following symlinks). */
export async function fileMode(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.mode === null ? undefined : info.mode & 0o7777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The permission bits of `mode` as a message writes them: `0755`. */
export function modeText(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/**
 * Whether users other than a folder's owner may replace a file in a folder
 * of this mode: group or others may write to it and it has no sticky bit (a
 * sticky folder such as `/tmp` lets each user replace only their own files).
 */
export function othersMayReplaceIn(mode: number): boolean {
  return (mode & 0o022) !== 0 && (mode & 0o1000) === 0;
}
