/**
 * The `PATH` an MCP client gives the servers it starts, as one `PATH` value
 * for `os`. Claude Desktop is launched by the OS, not a shell, so on macOS and
 * Linux it does not see what a shell profile adds (Homebrew, nvm, volta,
 * ~/.local/bin), and on Windows it gets the `PATH` the system keeps. Claude
 * Code runs in a terminal, so its servers get the user's `PATH`. The model is
 * `wrap-config`'s, {@linkcode guiClientFolders} and
 * {@linkcode clientPathFolders}: the doctor and `wrap-config` judge a command
 * the same way. Pure.
 *
 * @example
 * ```ts
 * guiClientPath("darwin", {}); // "/usr/bin:/bin:/usr/sbin:/sbin"
 * guiClientPath("windows", { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs" });
 * // "C:\\Windows\\system32;C:\\Program Files\\nodejs"
 * clientPath("claude-code", "darwin", { PATH: "/opt/homebrew/bin:/usr/bin" });
 * // "/opt/homebrew/bin:/usr/bin"
 * ```
 */
import { clientPathFolders, guiClientFolders } from "../config/upstream_path_warning.ts";

/** The GUI client's `PATH` for `os`, joined with that OS's separator. */
export function guiClientPath(
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return guiClientFolders(os, env).join(os === "windows" ? ";" : ":");
}

/** The `PATH` `client` gives its servers on `os`, joined with that OS's separator. */
export function clientPath(
  client: string,
  os: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return clientPathFolders(client, os, env).join(os === "windows" ? ";" : ":");
}
