/**
 * Whether a path names the root of a file system: `/` (however it is
 * spelled: `//`, `/.`, `/tmp/..`), or on Windows a drive's root (`C:\`) or a
 * share's (`\\server\share`). Pure: the path is read as written, so pass a
 * real path (links resolved) to catch a link to the root.
 *
 * @example
 * ```ts
 * isFileSystemRoot("//", "linux"); // true
 * isFileSystemRoot("C:\\", "windows"); // true
 * isFileSystemRoot("/var/lib/thoth", "linux"); // false
 * ```
 */

/** Whether `path` is the root of a file system on `os`. */
export function isFileSystemRoot(path: string, os: string): boolean {
  if (os !== "windows") return path.startsWith("/") && lexicalDepth(path.split("/")) === 0;
  const plain = path.replaceAll("/", "\\").replace(
    /^\\\\\?\\(?:UNC\\)?/,
    (prefix) => prefix.endsWith("UNC\\") ? "\\\\" : "",
  );
  const drive = /^[A-Za-z]:(\\.*)?$/.exec(plain);
  if (drive !== null) return lexicalDepth((drive[1] ?? "").split("\\")) === 0;
  const share = /^\\\\[^\\]+\\[^\\]+(\\.*)?$/.exec(plain);
  return share !== null && lexicalDepth((share[1] ?? "").split("\\")) === 0;
}

/** How many folders deep the parts lead, `.` and `..` applied (never above the root). */
function lexicalDepth(parts: readonly string[]): number {
  let depth = 0;
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    depth = part === ".." ? Math.max(0, depth - 1) : depth + 1;
  }
  return depth;
}
