/**
 * Warns when an upstream command would not start under a GUI client. Pure:
 * the file check is passed in.
 *
 * Claude Desktop and other GUI clients on macOS and Linux start servers with a
 * minimal PATH, not the shell's, so `npx` installed by Homebrew or nvm is not
 * found. Windows GUI apps get the user's PATH, so bare names are not checked
 * there.
 *
 * @example
 * ```ts
 * const isFile = (path: string) => path === "/opt/homebrew/bin/npx";
 * upstreamPathWarning("npx", { os: "darwin", isFile, userPath: "/opt/homebrew/bin" });
 * // '"npx" is not on the minimal PATH … (found at "/opt/homebrew/bin/npx" on your PATH)'
 * ```
 */

/** The PATH a GUI client gives its servers on each OS. */
export function minimalPath(os: string): string[] {
  if (os === "darwin") return ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];
  return ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
}

/** What the check needs. */
export interface PathCheck {
  /** The OS the client runs on (`Deno.build.os` values). */
  os: string;
  /** Whether a path names an existing file. */
  isFile: (path: string) => boolean;
  /** The user's own PATH, to suggest an absolute path. */
  userPath?: string;
}

/** A warning for the command, or undefined when it will be found. */
export function upstreamPathWarning(command: string, check: PathCheck): string | undefined {
  if (check.os === "windows") return undefined;
  if (command.startsWith("/")) {
    return check.isFile(command) ? undefined : `"${command}" does not exist on this machine`;
  }
  if (command.includes("/")) {
    return `"${command}" is a relative path; the client starts servers in a directory of its ` +
      "choosing, so use an absolute path";
  }
  const dirs = minimalPath(check.os);
  if (dirs.some((dir) => check.isFile(`${dir}/${command}`))) return undefined;
  const found = (check.userPath ?? "").split(":")
    .filter((dir) => dir.startsWith("/"))
    .map((dir) => `${dir.replace(/\/+$/, "")}/${command}`)
    .find((path) => check.isFile(path));
  const hint = found === undefined
    ? `use its absolute path (see "command -v ${command}")`
    : `use its absolute path (found at "${found}" on your PATH)`;
  return `"${command}" is not on the minimal PATH a GUI client gives its servers ` +
    `(${dirs.join(":")}); ${hint}`;
}
