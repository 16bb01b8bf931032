/**
 * The `PATH` a desktop (GUI) MCP client gives the servers it starts, and a
 * warning for an upstream command that would not be found on it. Pure: the
 * environment and the file check are passed in.
 *
 * {@linkcode guiClientFolders} is the one model of that `PATH`: `wrap-config`
 * warns with it and `thoth doctor` (`gui_client_path.ts`) checks with it.
 * - macOS: a GUI app is started by launchd, not a shell, with
 *   `/usr/bin:/bin:/usr/sbin:/sbin`; nothing a shell profile adds (Homebrew,
 *   nvm, volta, `~/.local/bin`) is on it.
 * - Linux (and other Unix): a desktop session's default,
 *   `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` (systemd's
 *   and Debian's `/etc/environment`), again without the shell profile's
 *   additions.
 * - Windows: Explorer starts an app with the `PATH` the system keeps (the
 *   machine's and the user's, from the registry), which a new terminal gets
 *   too; so the `PATH` thoth itself runs with stands in for it. A folder added
 *   in one terminal only (`conda activate`, a PowerShell profile) is not on it.
 *   Without a `PATH`, the system folders every Windows `PATH` starts with.
 *
 * That model is for the desktop apps. Claude Code is a terminal program: the
 * servers it starts inherit the `PATH` of the shell it runs in, the user's;
 * {@linkcode clientPathFolders} gives each client its own, and
 * {@linkcode upstreamPathWarning} judges a command against it as `thoth
 * doctor` does (`PathCheck.client`).
 *
 * @example
 * ```ts
 * const isFile = (path: string) => path === "/opt/homebrew/bin/npx";
 * upstreamPathWarning("npx", { os: "darwin", isFile, userPath: "/opt/homebrew/bin" });
 * // '"npx" is not on the minimal PATH … (found at "/opt/homebrew/bin/npx" on your PATH)'
 * guiClientFolders("windows", { Path: "C:\\Program Files\\nodejs;C:\\Windows" });
 * // ["C:\\Program Files\\nodejs", "C:\\Windows"]
 * clientPathFolders("claude-code", "darwin", { PATH: "/opt/homebrew/bin:/usr/bin" });
 * // ["/opt/homebrew/bin", "/usr/bin"]
 * ```
 */
import { isAbsolutePath } from "./is_absolute_path.ts";
import { pathVariable } from "../platform/path_variable.ts";

const DARWIN = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];
const UNIX = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
const WINDOWS_EXTENSIONS = ["", ".exe", ".cmd", ".bat", ".com"];

/** The folders on the `PATH` a GUI client gives its servers on `os` (`Deno.build.os` values). */
export function guiClientFolders(
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (os === "darwin") return [...DARWIN];
  if (os !== "windows") return [...UNIX];
  // Windows spells the variable in any case ("Path" is usual).
  const folders = pathVariable(env, os).split(";").filter((folder) => folder !== "");
  if (folders.length > 0) return folders;
  const root = env["SystemRoot"] ?? env["SYSTEMROOT"] ?? "C:\\Windows";
  return [
    `${root}\\system32`,
    root,
    `${root}\\System32\\Wbem`,
    `${root}\\System32\\WindowsPowerShell\\v1.0`,
  ];
}

/**
 * The folders on the `PATH` `client` gives the servers it starts: the user's
 * own `PATH` (from `env`) for Claude Code, a terminal program; the GUI
 * client's ({@linkcode guiClientFolders}) for the others, and for Claude Code
 * when `env` has no `PATH`.
 */
export function clientPathFolders(
  client: string,
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (client !== "claude-code") return guiClientFolders(os, env);
  const folders = pathVariable(env, os).split(os === "windows" ? ";" : ":").filter((folder) =>
    folder !== ""
  );
  return folders.length > 0 ? folders : guiClientFolders(os, env);
}

/** What the check needs. */
export interface PathCheck {
  /** The OS the client runs on (`Deno.build.os` values). */
  os: string;
  /** Whether a path names an existing file. */
  isFile: (path: string) => boolean;
  /** The user's own PATH: where to suggest an absolute path from; on Windows, the client's PATH. */
  userPath?: string;
  /**
   * The client the config is for (`--client`): Claude Code gives its servers
   * the user's PATH ({@linkcode clientPathFolders}); any other, or none, a
   * GUI client's.
   */
  client?: string;
}

/** A warning for the command, or undefined when it will be found. */
export function upstreamPathWarning(command: string, check: PathCheck): string | undefined {
  const windows = check.os === "windows";
  const extensions = windows ? WINDOWS_EXTENSIONS : [""];
  const exists = (path: string) => extensions.some((ext) => check.isFile(path + ext));
  if (windows ? isAbsolutePath(command) : command.startsWith("/")) {
    return exists(command) ? undefined : `"${command}" does not exist on this machine`;
  }
  if (command.includes("/") || (windows && command.includes("\\"))) {
    return `"${command}" is a relative path; the client starts servers in a directory of its ` +
      "choosing, so use an absolute path";
  }
  const sep = windows ? "\\" : "/";
  const inFolder = (dir: string) => `${dir.replace(/[\\/]+$/, "")}${sep}${command}`;
  const env = { PATH: check.userPath ?? "" };
  const client = check.client;
  const terminal = client === "claude-code" && env.PATH !== "";
  const dirs = terminal
    ? clientPathFolders(client, check.os, env)
    : guiClientFolders(check.os, env);
  if (dirs.some((dir) => exists(inFolder(dir)))) return undefined;
  if (terminal) {
    // Nowhere else to suggest a path from: the user's PATH is the one it was looked for on.
    return `"${command}" is not found on Claude Code's PATH (yours: the servers it starts ` +
      "inherit it); install it on your PATH, or use its absolute path";
  }
  if (windows) {
    return `"${command}" is not on the PATH a GUI client gives its servers (your PATH, as ` +
      `Windows keeps it); use its absolute path (see "where.exe ${command}")`;
  }
  const found = (check.userPath ?? "").split(":")
    .filter((dir) => dir.startsWith("/"))
    .map(inFolder)
    .find((path) => check.isFile(path));
  const hint = found === undefined
    ? `use its absolute path (see "command -v ${command}")`
    : `use its absolute path (found at "${found}" on your PATH)`;
  return `"${command}" is not on the minimal PATH a GUI client gives its servers ` +
    `(${dirs.join(":")}); ${hint}`;
}
