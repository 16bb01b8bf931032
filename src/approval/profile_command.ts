/**
 * A `thoth` command a person runs from another terminal for the profile
 * `thothHome`: plain when it is the default profile (`<home>/.thoth`), else
 * with the profile named first (`THOTH_HOME='/srv/thoth' thoth audit`), since
 * another terminal would look in the default one. Pure.
 *
 * @example
 * ```ts
 * profileCommandFor("/home/ana/.thoth", "/home/ana", "audit", "linux"); // "thoth audit"
 * profileCommandFor("/srv/t", "/home/ana", "audit", "linux"); // "THOTH_HOME='/srv/t' thoth audit"
 * ```
 */
import { displayText } from "./display_text.ts";

/** `thoth <command>` for the profile `thothHome`, quoted for the shell of `os`. */
export function profileCommandFor(
  thothHome: string,
  home: string | undefined,
  command: string,
  os: string,
): string {
  const sep = os === "windows" ? "\\" : "/";
  const trimmed = home?.replace(/[\\/]+$/, "");
  if (trimmed !== undefined && trimmed !== "" && thothHome === `${trimmed}${sep}.thoth`) {
    return `thoth ${command}`;
  }
  const shown = displayText(thothHome, 400);
  return os === "windows"
    ? `$env:THOTH_HOME='${shown.replace(/'/g, "''")}'; thoth ${command}`
    : `THOTH_HOME='${shown.replace(/'/g, "'\\''")}' thoth ${command}`;
}
