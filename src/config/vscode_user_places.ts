/**
 * Every user-level place the VS Code family reads MCP servers from: VS Code,
 * VS Code Insiders and VSCodium each keep a `User` folder (in the same
 * per-user config folder as VS Code's: `~/Library/Application Support` on
 * macOS, `%APPDATA%` on Windows, `$XDG_CONFIG_HOME` elsewhere) with an
 * `mcp.json` (`servers`) and a `settings.json` (`mcp.servers`), and one more
 * pair in each profile folder under `User/profiles/` (a folder per profile,
 * named by an id such as `-6f2a9c1`). The profile folders are found on disk
 * (see `find_vscode_profiles.ts`); this module only names the places. Pure.
 *
 * @example
 * ```ts
 * const folders = vscodeUserFolders({ os: "linux", env: { HOME: "/home/ana" } });
 * folders.map((folder) => folder.user);
 * // ["/home/ana/.config/Code/User", "/home/ana/.config/Code - Insiders/User",
 * //  "/home/ana/.config/VSCodium/User"]
 * vscodeFilesIn("/home/ana/.config/Code/User/profiles/-6f2a9c1");
 * // ["/home/ana/.config/Code/User/profiles/-6f2a9c1/mcp.json", "…/settings.json"]
 * ```
 */
import { clientConfigPlaces, type PlatformFacts } from "./default_config_path.ts";

/** The editors of the VS Code family, by the folder each keeps its user data in. */
export const VSCODE_EDITORS = ["Code", "Code - Insiders", "VSCodium"] as const;

/** The names of the files a VS Code `User` (or profile) folder holds servers in. */
export const VSCODE_SERVER_FILES = ["mcp.json", "settings.json"] as const;

/** One editor's user folder, and the folder its profiles are in. */
export interface VscodeUserFolder {
  /** The editor's folder name (`Code`, `Code - Insiders`, `VSCodium`). */
  editor: (typeof VSCODE_EDITORS)[number];
  /** Its `User` folder. */
  user: string;
  /** Its `User/profiles` folder: one folder per profile. */
  profiles: string;
}

/**
 * The user folder of each editor of the family, VS Code's first. Throws
 * `config.no_home` without a home folder, as `clientConfigPlaces` does: the
 * per-user config folder is the one VS Code's own `mcp.json` is in.
 */
export function vscodeUserFolders(facts: PlatformFacts): VscodeUserFolder[] {
  const sep = facts.os === "windows" ? "\\" : "/";
  const mcp = clientConfigPlaces("vscode", facts)[0]!;
  const tail = ["Code", "User", "mcp.json"].join(sep);
  const config = mcp.slice(0, mcp.length - tail.length - 1);
  return VSCODE_EDITORS.map((editor) => {
    const user = [config, editor, "User"].join(sep);
    return { editor, user, profiles: `${user}${sep}profiles` };
  });
}

/** The files of one `User` or profile folder that may hold servers: `mcp.json`, `settings.json`. */
export function vscodeFilesIn(folder: string): string[] {
  const sep = folder.includes("\\") && !folder.includes("/") ? "\\" : "/";
  return VSCODE_SERVER_FILES.map((name) => `${folder}${sep}${name}`);
}

/**
 * Whether `path` is a VS Code `settings.json` (a file of user settings that
 * is an MCP config only where it names servers), not an `mcp.json`.
 */
export function isVscodeSettings(path: string): boolean {
  return /[\\/]settings\.json$/.test(path);
}
