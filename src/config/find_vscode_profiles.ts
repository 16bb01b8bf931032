/**
 * Finds the profile folders of the VS Code family on disk: each folder under
 * an editor's `User/profiles` (see {@linkcode vscodeUserFolders}) is one
 * profile, with its own `mcp.json` and `settings.json`, which that editor
 * runs servers from whenever a window uses the profile. A `profiles` folder
 * that is not there (or is no folder) holds no profile; one that cannot be
 * listed (no permission, a folder thoth may not read in) is said so in words,
 * for the "Not looked in" line: its profiles may run servers no check sees.
 * The I/O half of the lookup; profile folders are given in name order.
 *
 * @example
 * ```ts
 * const found = await findVscodeProfiles(vscodeUserFolders({ os: "linux", env: { HOME: "/home/ana" } }));
 * found.folders; // ["/home/ana/.config/Code/User/profiles/-6f2a9c1"]
 * found.notChecked; // []
 * ```
 */
import type { VscodeUserFolder } from "./vscode_user_places.ts";

/** What {@linkcode findVscodeProfiles} found. */
export interface VscodeProfiles {
  /** Every profile folder found, each editor's in name order. */
  folders: string[];
  /** Profile folders that could not be listed, in words. */
  notChecked: string[];
}

/** Lists the profile folders of each editor in `editors`. */
export async function findVscodeProfiles(
  editors: readonly VscodeUserFolder[],
): Promise<VscodeProfiles> {
  const found: VscodeProfiles = { folders: [], notChecked: [] };
  for (const { editor, profiles } of editors) {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(profiles)) {
        // A profile is a folder; a link to one is followed, as the editor follows it.
        if (entry.isDirectory || (entry.isSymlink && await isFolder(`${profiles}/${entry.name}`))) {
          names.push(entry.name);
        }
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        continue;
      }
      const why = error instanceof Deno.errors.NotCapable
        ? "thoth does not read in it"
        : error instanceof Error
        ? error.message
        : String(error);
      found.notChecked.push(
        `the ${editorName(editor)} profiles in "${profiles}" (their mcp.json and settings.json): ` +
          `the folder cannot be listed: ${why}`,
      );
      continue;
    }
    const sep = profiles.includes("\\") && !profiles.includes("/") ? "\\" : "/";
    found.folders.push(...names.sort().map((name) => `${profiles}${sep}${name}`));
  }
  return found;
}

/** The editor as people name it. */
export function editorName(editor: VscodeUserFolder["editor"]): string {
  return editor === "Code" ? "VS Code" : editor === "Code - Insiders" ? "VS Code Insiders" : editor;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
