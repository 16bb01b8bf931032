/**
 * Whether a path is absolute on POSIX or Windows, whatever OS thoth runs on
 * (a config may be prepared on one machine for another). Pure.
 *
 * @example
 * ```ts
 * isAbsolutePath("/opt/thoth/bin/thoth"); // true
 * isAbsolutePath("C:\\Program Files\\thoth\\thoth.exe"); // true
 * isAbsolutePath("thoth"); // false
 * ```
 */

/** Tests a path for being absolute. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}
