/**
 * The `PATH` a desktop MCP client gives the servers it starts. Claude Desktop
 * is launched by the OS, not a shell, so it does not see what a shell profile
 * adds (Homebrew, nvm, volta, ~/.local/bin): a command that works in a
 * terminal can be missing there. Pure.
 *
 * @example
 * ```ts
 * guiClientPath("darwin", {}); // "/usr/bin:/bin:/usr/sbin:/sbin"
 * ```
 */

/** The minimal `PATH` for `os`; on Windows, the system directories. */
export function guiClientPath(
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (os === "darwin") return "/usr/bin:/bin:/usr/sbin:/sbin";
  if (os === "windows") {
    const root = env["SystemRoot"] ?? env["SYSTEMROOT"] ?? "C:\\Windows";
    return [
      `${root}\\system32`,
      root,
      `${root}\\System32\\Wbem`,
      `${root}\\System32\\WindowsPowerShell\\v1.0`,
    ].join(";");
  }
  return "/usr/local/bin:/usr/bin:/bin";
}
