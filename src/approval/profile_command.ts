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

/**
 * `thoth <command>` for the profile `thothHome`, quoted for the shell of
 * `os`; `program` is the thoth to run, already a shell word (see
 * {@linkcode shellWord}).
 */
export function profileCommandFor(
  thothHome: string,
  home: string | undefined,
  command: string,
  os: string,
  program = "thoth",
): string {
  const sep = os === "windows" ? "\\" : "/";
  const trimmed = home?.replace(/[\\/]+$/, "");
  if (trimmed !== undefined && trimmed !== "" && thothHome === `${trimmed}${sep}.thoth`) {
    return `${program} ${command}`;
  }
  const shown = displayText(thothHome, 400);
  return os === "windows"
    ? `$env:THOTH_HOME='${shown.replace(/'/g, "''")}'; ${program} ${command}`
    : `THOTH_HOME='${shown.replace(/'/g, "'\\''")}' ${program} ${command}`;
}

/**
 * `path` as one word for the shell of `os`, shown escaped: as it is when
 * it holds only plain characters, else single-quoted (in PowerShell, run
 * with `&`).
 *
 * @example
 * ```ts
 * shellWord("/opt/thoth/bin/thoth", "linux"); // "/opt/thoth/bin/thoth"
 * shellWord("/Users/ana/My Tools/thoth", "darwin"); // "'/Users/ana/My Tools/thoth'"
 * ```
 */
export function shellWord(path: string, os: string): string {
  const word = shellArgument(path, os);
  return os === "windows" && word.startsWith("'") ? `& ${word}` : word;
}

/**
 * `text` as one argument (not the command's first word) for the shell of
 * `os`, shown escaped: as it is when it holds only plain characters, else
 * single-quoted.
 *
 * @example
 * ```ts
 * shellArgument("/src/thoth/deno.json", "linux"); // "/src/thoth/deno.json"
 * shellArgument("C:\\My Tools\\deno.json", "windows"); // "'C:\\My Tools\\deno.json'"
 * ```
 */
export function shellArgument(text: string, os: string): string {
  const shown = displayText(text, 400);
  if (/^[A-Za-z0-9_\/.:,+@%=-]+$/.test(shown)) return shown;
  return os === "windows" ? `'${shown.replace(/'/g, "''")}'` : `'${shown.replace(/'/g, "'\\''")}'`;
}
