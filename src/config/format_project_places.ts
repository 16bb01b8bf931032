/**
 * Says, under `thoth status --client`'s tables, which project configs of
 * that client it looked at (those of the folders `~/.claude.json` lists, as
 * `thoth doctor` does), which it found, which it cannot read or understand,
 * which folders are gone, and where it did not look; each list names its first
 * {@linkcode MAX_PATHS_NAMED} paths and counts the rest (`--json` has them
 * all). The paths are folder names `~/.claude.json` lists: each line passes
 * {@linkcode displayText}, so none can add a line or drive the terminal. Pure.
 *
 * @example
 * ```ts
 * formatProjectPlaces(look, ".mcp.json");
 * // 'Project configs: .mcp.json in the 2 project folders "/home/ana/.claude.json" lists: ' +
 * // 'found "/home/ana/web/.mcp.json"; none in 1 folder\n' +
 * // 'Not looked in: .mcp.json files in folders ~/.claude.json does not list (…)\n'
 * ```
 */
import {
  MAX_PATHS_NAMED,
  namedPaths,
  type ProjectConfigsLook,
  type ProjectConfigState,
} from "./look_at_project_configs.ts";
import { displayText } from "../approval/display_text.ts";

/** Formats `look` as lines ending in a newline; `file` is the project file name (`.mcp.json`). */
export function formatProjectPlaces(look: ProjectConfigsLook, file: string): string {
  const lines: string[] = [];
  if (look.listRead) {
    const folders = look.places.length;
    const paths = (state: ProjectConfigState) =>
      look.places.filter((place) => place.state === state).map((place) => place.path);
    const found = paths("found");
    const unreadable = paths("unreadable");
    const invalid = paths("invalid");
    const gone = look.places.filter((place) => place.state === "folder_missing")
      .map((place) => place.folder);
    const none = look.places.filter((place) => place.state === "none").length;
    // A count first where the list is cut short.
    const counted = (list: readonly string[]) =>
      `${list.length > MAX_PATHS_NAMED ? `${list.length}: ` : ""}${namedPaths(list)}`;
    const parts = [
      ...(found.length === 0 ? [] : [`found ${counted(found)}`]),
      ...(unreadable.length === 0 ? [] : [`cannot read ${counted(unreadable)}`]),
      ...(invalid.length === 0 ? [] : [`cannot understand ${counted(invalid)}`]),
      ...(none === 0 ? [] : [`none in ${none} folder${none === 1 ? "" : "s"}`]),
      ...(gone.length === 0 ? [] : [
        `${gone.length} folder${gone.length === 1 ? "" : "s"} not there (nothing to check): ${
          namedPaths(gone)
        }`,
      ]),
    ];
    lines.push(
      folders === 0
        ? `Project configs: "${look.listedIn}" lists no project folders`
        : `Project configs: ${file} in the ${folders} project folder${
          folders === 1 ? "" : "s"
        } "${look.listedIn}" lists: ${parts.join("; ")}`,
    );
  }
  if (look.notChecked.length > 0) lines.push(`Not looked in: ${look.notChecked.join("; ")}`);
  return lines.map((line) => `${displayText(line, Infinity)}\n`).join("");
}
