/**
 * Text from a config (names, commands, comments, paths) as a terminal shows
 * it written: every line passes `displayText`, so no control character,
 * escape sequence or bidirectional override reaches the terminal as it is.
 *
 * @example
 * ```ts
 * shownLines("wrapped  fs\n\tnow runs through thoth", { tabs: true });
 * ```
 */
import { displayText } from "../approval/display_text.ts";

/**
 * One line of text from a config (a name, a command, a path, or a message
 * that quotes one) as a terminal shows it written: see {@linkcode displayText};
 * never cut short.
 *
 * @example
 * ```ts
 * shownLine("thoth: error: \"a\u001b[2Kb\" is not governed"); // 'thoth: error: "a?[2Kb" is not governed'
 * ```
 */
export function shownLine(text: string): string {
  return displayText(text, Infinity);
}

/**
 * `text`, each of its lines as {@linkcode shownLine} shows it; with `tabs`,
 * tabs are kept (a diff shows a file indented with them as it is).
 */
export function shownLines(text: string, options: { tabs?: boolean } = {}): string {
  return text.split("\n").map((line) =>
    options.tabs ? line.split("\t").map(shownLine).join("\t") : shownLine(line)
  ).join("\n");
}
