/**
 * How thoth's help lays out what the commands say about themselves, for
 * `thoth` and `thothctl` alike (`program.ts` installs it on every command).
 *
 * Descriptions are written hand-wrapped, to read well at 80 columns, and
 * may hold a table (lines that start with spaces). The parser's help wraps
 * each written line again on its own, so a line a little past the width
 * leaves one word alone on the next line ("checks every / tools/call /
 * against policy"), and it prints a description holding a table verbatim
 * even in a list of commands. Here:
 *
 * - a command's own help joins the lines of each paragraph and wraps the
 *   paragraph once, at the terminal's width; blank lines and table rows stay
 *   as written;
 * - a list of commands shows each command on one line: its summary, or the
 *   first paragraph of its description, never a table.
 *
 * Pure.
 *
 * @example
 * ```ts
 * flowText("checks every\ntools/call against policy\n\n  30m  an age");
 * // "checks every tools/call against policy\n\n  30m  an age"
 * commandSummary("", "list records\nas a table\n\n  30m  an age"); // "list records as a table"
 * ```
 */
import type { HelpConfiguration } from "@commander-js/extra-typings";

/** Whether a line is a table row (or any line written indented): kept as written. */
function indented(line: string): boolean {
  return /^\s/.test(line);
}

/**
 * `text` with the lines of each paragraph joined by spaces, for the help to
 * wrap at the width it has. Blank lines and indented lines stay as they are,
 * and so does the line after an indented one.
 */
export function flowText(text: string): string {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const last = out.at(-1);
    if (line === "" || indented(line) || last === undefined || last === "" || indented(last)) {
      out.push(line);
    } else {
      out[out.length - 1] = `${last} ${line.trimStart()}`;
    }
  }
  return out.join("\n");
}

/**
 * What a list of commands shows for one command: its `summary` when it has
 * one, else the first paragraph of its `description`, on one line.
 */
export function commandSummary(summary: string, description: string): string {
  if (summary !== "") return flowText(summary).split("\n")[0] ?? "";
  return flowText(description).split("\n")[0] ?? "";
}

/** The overrides `program.ts` gives every command's help. */
export const HELP_LAYOUT: HelpConfiguration = {
  commandDescription: (command) => flowText(command.description()),
  subcommandDescription: (command) => commandSummary(command.summary(), command.description()),
};
