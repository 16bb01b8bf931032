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
 *   first paragraph of its description, never a table;
 * - whatever else the help prints (text a command adds after its options)
 *   is fitted to the same width by {@linkcode fitToWidth}: a paragraph with
 *   a line past the width is wrapped again as a whole, an indented one (prose
 *   written under a heading) too, under its indent; a long table row wraps
 *   under its last column, and lines that fit stay as written; an example
 *   command (an indented line starting `thoth` or `thothctl`, or ending in
 *   ` \`) past the width is broken with ` \` and its comment put above it,
 *   so that no line of it run on its own does half of what the example says.
 *
 * Pure.
 *
 * @example
 * ```ts
 * flowText("checks every\ntools/call against policy\n\n  30m  an age");
 * // "checks every tools/call against policy\n\n  30m  an age"
 * commandSummary("", "list records\nas a table\n\n  30m  an age"); // "list records as a table"
 * fitToWidth("a b c d\ne", 4); // "a b\nc d\ne"
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

/**
 * Whether an indented `line` is prose that goes on in the next line of the
 * same indent (a paragraph written under a heading, such as "What a wrapped
 * server runs:"), so that words carried out of it go into that line. Not
 * prose: a table row or a trailing comment (a run of two spaces inside), a
 * comment, a list item (`-`, `*`, `•`, `1.`), an example command (starting
 * `thoth` or `thothctl`, ending in ` \\`, or continuing one: `before` is the
 * line before it), or a path.
 */
function indentedProse(line: string, before: string | undefined): boolean {
  if (!indented(line) || line.trim() === "") return false;
  if (before?.trimEnd().endsWith(" \\") === true || line.trimEnd().endsWith(" \\")) return false;
  const body = line.trim();
  return !/\S {2,}\S/.test(body) &&
    !/^(?:#|[-*•](?:\s|$)|\d+[.)]\s|(?:thoth|thothctl)(?:\s|$)|[/~$]|[A-Za-z]:\\)/.test(body);
}

/**
 * `text` with no line past `width` columns where a space allows: in a
 * paragraph (lines that do not start with a space, between blank or indented
 * lines; or lines of indented prose at one indent, see
 * {@linkcode indentedProse}) the words past the width are carried into its
 * next line, and so on to its end, under the paragraph's indent (the lines
 * before stay as written); an example command past it is broken with ` \\`
 * (see {@linkcode breakCommand}); any other indented line past it wraps
 * under its last column (the text after its last run of two spaces; a path
 * there is never split) or else its own indent, and every other line stays
 * as written (so the help the parser already wrapped is unchanged).
 */
export function fitToWidth(text: string, width: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  let indent = "";
  // Lines before the first one past the width stay as written; from there the
  // words that do not fit are carried into the next line of the paragraph.
  const flush = (): void => {
    let carry = "";
    for (const line of paragraph) {
      const text = carry === "" ? line : `${indent}${carry} ${line.trim()}`;
      if (text.length <= width) {
        out.push(text);
        carry = "";
        continue;
      }
      const [first = "", ...rest] = wrapWords(text.trim(), indent, width);
      out.push(first);
      carry = rest.map((part) => part.trim()).join(" ");
    }
    if (carry !== "") out.push(...wrapWords(carry, indent, width));
    paragraph = [];
  };
  for (const [i, line] of lines.entries()) {
    const own = /^\s*/.exec(line)?.[0] ?? "";
    if (line.trim() !== "" && (!indented(line) || indentedProse(line, lines[i - 1]))) {
      if (paragraph.length > 0 && own !== indent) flush();
      indent = own;
      paragraph.push(line);
      continue;
    }
    flush();
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    // An example command is broken with " \\" and a comment keeps its "#": a line
    // pasted from the help must never run half a command (a --dry-run left behind).
    const continued = out.at(-1)?.endsWith(" \\") === true;
    const example = /^(\s+)((?:thoth|thothctl)(?:\s.*)?)$/.exec(line) ??
      (continued || line.endsWith(" \\") ? /^(\s+)(\S.*)$/.exec(line) : null);
    // A table row (the command, two spaces, what it does) keeps its command whole on
    // its first line and wraps what it does under its column, below.
    if (example !== null && !/\S {2,}[^#\s]/.test(example[2]!)) {
      out.push(...breakCommand(example[1]!, example[2]!, width));
      continue;
    }
    const comment = /^(\s+)#\s*(.*)$/.exec(line);
    if (comment !== null) {
      out.push(...wrapWords(comment[2]!, `${comment[1]!}# `, width));
      continue;
    }
    // A table row wraps under its last column (after a run of two spaces),
    // else under its own indent.
    const row = /^(\s+\S.*\S {2,})(\S.*)$/.exec(line);
    // A path in the last column ("Application Support") is never split.
    if (row !== null && /^(?:[/~$]|[A-Za-z]:\\)/.test(row[2]!)) {
      out.push(line);
      continue;
    }
    if (row !== null && example !== null && width - row[1]!.length < 20) {
      // Too narrow for its column: the command alone, then what it does below it.
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      out.push(...breakCommand(indent, row[1]!.trim(), width));
      out.push(...wrapWords(row[2]!, `${indent}    `, width));
      continue;
    }
    const [lead, rest] = row !== null && width - row[1]!.length >= 20
      ? [row[1]!, row[2]!]
      : [/^\s*/.exec(line)?.[0] ?? "", line.trimStart()];
    const [first = "", ...more] = wrapWords(rest, " ".repeat(lead.length), width);
    out.push(lead + first.trimStart(), ...more);
  }
  flush();
  return out.join("\n");
}

/**
 * An example command line too long for `width`: its trailing comment (after
 * two spaces and `#`) goes on lines of its own above it (a command that ends
 * in ` \\`, going on in the next line, keeps it at the end), each starting with
 * `#`, and the command is broken between words (never inside quotes) with
 * ` \\` at the end of each line but the last, continued two columns in.
 */
function breakCommand(indent: string, body: string, width: number): string[] {
  // A command that goes on in the next line keeps its " \\" at the end of its last line.
  const goesOn = /^(.*\S) \\$/.exec(body);
  if (goesOn !== null) {
    const lines = breakCommand(indent, goesOn[1]!, width - 2);
    lines[lines.length - 1] += " \\";
    return lines;
  }
  const split = /^(.*?\S)\s{2,}(#.*)$/.exec(body);
  const command = split === null ? body : split[1]!;
  const lines = split === null
    ? []
    : wrapWords(split[2]!.replace(/^#\s*/, ""), `${indent}# `, width);
  const words = command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [command];
  const room = Math.max(width - 2, 20);
  let line = indent;
  let fresh = true;
  for (const [i, word] of words.entries()) {
    // The last line needs no " \\": what is left may use the whole width.
    const rest = words.slice(i).join(" ");
    if (!fresh && line.length + 1 + word.length > room && line.length + 1 + rest.length > width) {
      lines.push(`${line} \\`);
      line = `${indent}  ${word}`;
    } else {
      line = fresh ? line + word : `${line} ${word}`;
    }
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/** `words` wrapped at spaces into lines of at most `width` columns, each after `indent`. */
function wrapWords(words: string, indent: string, width: number): string[] {
  const room = Math.max(width - indent.length, 20);
  const lines: string[] = [];
  let line = "";
  for (const word of words.split(/ +/)) {
    if (line !== "" && line.length + 1 + word.length > room) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(indent + line);
  return lines;
}
