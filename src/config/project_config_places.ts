/**
 * The project configs Claude Code's `~/.claude.json` points at: the folders
 * it lists under `projects`, and in each the config file of each client that
 * reads one from a project folder (`.mcp.json` for Claude Code,
 * `.cursor/mcp.json` for Cursor, `.vscode/mcp.json` for VS Code). One lookup
 * for `thoth doctor` and `health` (every client) and `thoth status`
 * (one client), so that they look at the same files. Every folder listed is
 * looked at: Claude Code adds a folder as it is first opened, so the last
 * ones listed may be the ones in use. Pure.
 *
 * @example
 * ```ts
 * projectConfigPlaces('{"projects": {"/w/web": {}}}', "linux").places;
 * // [{ client: "claude-code", folder: "/w/web", path: "/w/web/.mcp.json" },
 * //  { client: "cursor", folder: "/w/web", path: "/w/web/.cursor/mcp.json" },
 * //  { client: "vscode", folder: "/w/web", path: "/w/web/.vscode/mcp.json" }]
 * ```
 */
import { findNodeAtLocation, type Node } from "jsonc-parser";
import type { ClientId } from "./client_id.ts";
import { parseConfig } from "./parse_config.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";

/** One project config place. */
export interface ProjectConfigPlace {
  /** The client that reads this file. */
  client: ClientId;
  /** The project folder, as `~/.claude.json` lists it. */
  folder: string;
  /** The config file in it. */
  path: string;
}

/** What {@linkcode projectConfigPlaces} found. */
export interface ProjectConfigPlaces {
  /** The places, folder by folder, in the order `~/.claude.json` lists the folders. */
  places: ProjectConfigPlace[];
}

/**
 * The project config places of the folders `claudeJson` (the text of
 * `~/.claude.json`) lists, only `client`'s when given; none when the text
 * cannot be read as JSON. Folders that are not absolute paths are left out.
 * A caller that has parsed the file already passes the tree to
 * {@linkcode projectConfigPlacesOf} instead: `~/.claude.json` keeps every
 * project's history and grows to tens of MiB.
 */
export function projectConfigPlaces(
  claudeJson: string,
  os: string,
  client?: ClientId,
): ProjectConfigPlaces {
  let root: Node | undefined;
  try {
    root = parseConfig(claudeJson, "~/.claude.json", true);
  } catch {
    root = undefined;
  }
  return projectConfigPlacesOf(root, os, client);
}

/**
 * {@linkcode projectConfigPlaces} of `~/.claude.json` parsed (by
 * `parseConfig`); none when `root` is undefined (the file could not be read).
 *
 * @example
 * ```ts
 * projectConfigPlacesOf(parseConfig(text, path, true), "linux", "cursor").places;
 * ```
 */
export function projectConfigPlacesOf(
  root: Node | undefined,
  os: string,
  client?: ClientId,
): ProjectConfigPlaces {
  const folders = [...new Set(projectFolders(root))];
  const sep = os === "windows" ? "\\" : "/";
  const join = (dir: string, ...parts: string[]) =>
    [dir.replace(/[\\/]+$/, ""), ...parts].join(sep);
  const places = folders.flatMap((folder) => {
    const inFolder: ProjectConfigPlace[] = [
      { client: "claude-code", folder, path: join(folder, ".mcp.json") },
      { client: "cursor", folder, path: join(folder, ".cursor", "mcp.json") },
      { client: "vscode", folder, path: join(folder, ".vscode", "mcp.json") },
    ];
    return inFolder.filter((place) => client === undefined || place.client === client);
  });
  return { places };
}

/** Whether `client` reads a config from the project folders (see {@linkcode projectConfigPlaces}). */
export function readsProjectConfigs(client: ClientId): boolean {
  return client === "claude-code" || client === "cursor" || client === "vscode";
}

/** The absolute project folders `~/.claude.json` lists; none when it cannot be read. */
function projectFolders(root: Node | undefined): string[] {
  const projects = root === undefined ? undefined : findNodeAtLocation(root, ["projects"]);
  if (projects?.type !== "object") return [];
  return (projects.children ?? []).flatMap((property) => {
    const key = property.children?.[0]?.value;
    return typeof key === "string" && isAbsolutePath(key) ? [key] : [];
  });
}
