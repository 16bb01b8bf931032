/**
 * The `PATH` a desktop MCP client gives the servers it starts, as one `PATH`
 * value for `os`. Claude Desktop is launched by the OS, not a shell, so on
 * macOS and Linux it does not see what a shell profile adds (Homebrew, nvm,
 * volta, ~/.local/bin), and on Windows it gets the `PATH` the system keeps.
 * The model is `wrap-config`'s, {@linkcode guiClientFolders}: the doctor and
 * `wrap-config` judge a command the same way. Pure.
 *
 * @example
 * ```ts
 * guiClientPath("darwin", {}); // "/usr/bin:/bin:/usr/sbin:/sbin"
 * guiClientPath("windows", { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs" });
 * // "C:\\Windows\\system32;C:\\Program Files\\nodejs"
 * ```
 */
import { guiClientFolders } from "../config/upstream_path_warning.ts";

/** The GUI client's `PATH` for `os`, joined with that OS's separator. */
export function guiClientPath(
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return guiClientFolders(os, env).join(os === "windows" ? ";" : ":");
}
