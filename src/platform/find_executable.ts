/**
 * Finds a command the way a process launcher would: an absolute or relative
 * path is taken as it is; a bare name is looked up in each `PATH` directory,
 * trying `PATHEXT` extensions on Windows. The file check is passed in, so the
 * search itself is pure.
 *
 * @example
 * ```ts
 * await findExecutable("npx", "/usr/bin:/bin", "linux", isExecutableFile); // "/usr/bin/npx" or null
 * ```
 */

/** Whether `path` is an executable regular file. */
export type ExecutableCheck = (path: string) => Promise<boolean>;

/** The real check: a regular file with an execute bit (any file on Windows). */
export const isExecutableFile: ExecutableCheck = async (path) => {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return false;
    return info.mode === null ? true : (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/** Returns the path `command` resolves to on `pathValue`, or null. */
export async function findExecutable(
  command: string,
  pathValue: string,
  os: string,
  isExecutable: ExecutableCheck = isExecutableFile,
): Promise<string | null> {
  const windows = os === "windows";
  const extensions = windows ? ["", ".exe", ".cmd", ".bat", ".com"] : [""];
  if (command === "") return null;
  if (command.includes("/") || (windows && command.includes("\\"))) {
    for (const ext of extensions) {
      if (await isExecutable(command + ext)) return command + ext;
    }
    return null;
  }
  const sep = windows ? "\\" : "/";
  for (const dir of pathValue.split(windows ? ";" : ":")) {
    if (dir === "") continue;
    for (const ext of extensions) {
      const candidate = dir.endsWith(sep)
        ? `${dir}${command}${ext}`
        : `${dir}${sep}${command}${ext}`;
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return null;
}
