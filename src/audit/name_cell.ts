/**
 * A server, tool or prompt name as a cell of `thoth audit show`'s table: as
 * it is when it is a plain MCP name (1 to 128 of `A-Z a-z 0-9 _ . -`), else
 * in double quotes with `"` and `\` escaped and every character outside
 * printable ASCII written as a `\uXXXX` escape (a pair of them beyond
 * U+FFFF): look-alike letters, zero-width and other invisible characters,
 * bidirectional controls, control characters. Distinct names therefore never
 * print the same (`wipe\u200b` and `wipe\u202e` no longer both show as
 * `"wipe?"`), and nothing in a name acts on the terminal. A name longer than
 * the cell is cut between escapes; an ellipsis after the closing quote marks
 * the cut. Pure.
 *
 * @example
 * ```ts
 * nameCell("write_file", 200); // "write_file"
 * nameCell("wipe\u200b", 200); // '"wipe\\u200b"'
 * nameCell("w\u0456pe", 200); // '"w\\u0456pe"'
 * ```
 */
import { isPlainName } from "../approval/shown_name.ts";

/** `name` as a table cell of at most `max` characters (see the module's comment). */
export function nameCell(name: string, max: number): string {
  return name === "" || isPlainName(name) ? name : escapedName(name, max);
}

/**
 * `name` quoted and escaped as {@linkcode nameCell} shows a name that is not
 * plain, at most `max` characters with the ellipsis; for text that is never
 * shown bare (a method such as `Tools/Call\u200b`).
 */
export function escapedName(name: string, max: number): string {
  let body = "";
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    const piece = unit === 0x22 || unit === 0x5c
      ? `\\${name[i]}`
      : unit >= 0x20 && unit <= 0x7e
      ? name[i]!
      : `\\u${unit.toString(16).padStart(4, "0")}`;
    // Room for the closing quote, and for the ellipsis should more follow.
    if (body.length + piece.length + 2 > max - (i + 1 < name.length ? 1 : 0)) {
      return `"${body}"…`;
    }
    body += piece;
  }
  return `"${body}"`;
}
