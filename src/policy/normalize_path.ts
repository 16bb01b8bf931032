/**
 * Resolves `.` and `..` segments of a path-like string lexically, without
 * touching a file system, so a glob sees the path a server would open.
 *
 * - A string starting with `/` is an absolute path: runs of `/` collapse,
 *   `.` segments go, `..` removes the segment before it, and `..` at the root
 *   stays at the root (`/..` is `/`). A trailing `/` is kept.
 * - Any other string (a relative path, a URL, a Windows path) keeps its `//`
 *   runs, loses its `.` segments, and resolves `..` only against a named
 *   segment that does not follow an empty one, so `https://host/..` cannot
 *   climb into the authority and `../x` cannot climb above its start: such
 *   `..` segments stay in the result, as does a `..` right after a leading
 *   `~` or `~name` (a home folder, whose parent is unknown here). A string
 *   that resolves to nothing
 *   (`a/..`) is `.`.
 * - Only `/` separates segments; `\` is an ordinary character here.
 *
 * The result may still hold a `..` segment; callers decide what that means.
 *
 * @example
 * ```ts
 * normalizePath("/tmp/../etc//shadow"); // "/etc/shadow"
 * normalizePath("/.."); // "/"
 * normalizePath("https://host/a/../b"); // "https://host/b"
 * normalizePath("../etc/passwd"); // "../etc/passwd"
 * ```
 */

/** The lexically normalized form of `value`. */
export function normalizePath(value: string): string {
  const parts = value.split("/");
  const absolute = value.startsWith("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === ".") continue;
    if (absolute && part === "") continue;
    if (part === "..") {
      const last = out.at(-1);
      if (absolute) {
        out.pop();
        continue;
      }
      const beforeLast = out.length >= 2 ? out[out.length - 2] : undefined;
      // A leading `~` or `~name` is a home folder whose place is unknown here: `..` stays.
      const home = out.length === 1 && last !== undefined && last.charCodeAt(0) === 126;
      if (last !== undefined && last !== "" && last !== ".." && beforeLast !== "" && !home) {
        out.pop();
        continue;
      }
    }
    out.push(part);
  }
  if (!absolute) return out.length > 0 ? out.join("/") : ".";
  const trailing = value.endsWith("/") && out.length > 0 ? "/" : "";
  return `/${out.join("/")}${trailing}`;
}
