/**
 * Joins path parts with the separator the base already uses (`\` for a
 * Windows profile such as `C:\Users\ana\.thoth`, `/` otherwise). Pure.
 *
 * @example
 * ```ts
 * joinPath("/home/ana/.thoth", "sessions", "a.jwt"); // "/home/ana/.thoth/sessions/a.jwt"
 * joinPath("C:\\Users\\ana\\.thoth", "policy.jsonc"); // "C:\\Users\\ana\\.thoth\\policy.jsonc"
 * ```
 */

/** Joins `parts` onto `base`. */
export function joinPath(base: string, ...parts: readonly string[]): string {
  const sep = base.includes("\\") && !base.includes("/") ? "\\" : "/";
  let path = base;
  for (const part of parts) {
    path = path.endsWith(sep) ? `${path}${part}` : `${path}${sep}${part}`;
  }
  return path;
}
