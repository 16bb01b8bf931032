/**
 * Says, under `thoth status --client`'s tables, which project configs of
 * that client it looked at (those of the folders `~/.claude.json` lists, as
 * `thoth doctor` does), which it found, which folders are gone, and where it
 * did not look. Pure.
 *
 * @example
 * ```ts
 * formatProjectPlaces(look, ".mcp.json");
 * // 'Project configs: .mcp.json in the 2 project folders "/home/ana/.claude.json" lists: ' +
 * // 'found "/home/ana/web/.mcp.json"; none in 1 folder\n' +
 * // 'Not looked in: .mcp.json files in folders ~/.claude.json does not list (…)\n'
 * ```
 */
import type { ProjectConfigsLook } from "./look_at_project_configs.ts";

/** Formats `look` as lines ending in a newline; `file` is the project file name (`.mcp.json`). */
export function formatProjectPlaces(look: ProjectConfigsLook, file: string): string {
  const lines: string[] = [];
  if (look.listRead) {
    const folders = look.places.length;
    const quoted = (state: string) =>
      look.places.filter((place) => place.state === state).map((place) => `"${place.path}"`);
    const found = quoted("found");
    const unreadable = quoted("unreadable");
    const gone = look.places.filter((place) => place.state === "folder_missing")
      .map((place) => `"${place.folder}"`);
    const none = look.places.filter((place) => place.state === "none").length;
    const parts = [
      ...(found.length === 0 ? [] : [`found ${found.join(", ")}`]),
      ...(unreadable.length === 0 ? [] : [`cannot read ${unreadable.join(", ")}`]),
      ...(none === 0 ? [] : [`none in ${none} folder${none === 1 ? "" : "s"}`]),
      ...(gone.length === 0 ? [] : [
        `folder${gone.length === 1 ? "" : "s"} not there (nothing to check): ${gone.join(", ")}`,
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
  return lines.map((line) => `${line}\n`).join("");
}
