/**
 * How every approval text shows a name that comes from outside thoth's own
 * policy file (a tool or server name a server listed or a model chose): in
 * double quotes with JSON string escaping, after `displayText`, so a `"` in
 * the name cannot close the quotes and add words of its own ("write_file"
 * on server "docs-readonly"). A name outside the characters MCP recommends
 * for tool names (1 to 128 of `A-Z a-z 0-9 _ . -`) also shows every
 * non-ASCII character as a `\uXXXX` escape, so a look-alike letter (the
 * Cyrillic "і" of "wrіte_file") cannot pass for the ASCII one; the text
 * then says so once, with {@linkcode unusualNameNote}. ASCII names show as
 * they are, in quotes. The question, the dialog, the client's form, the
 * refusals and `thoth approvals list` all show names this way. Pure.
 *
 * @example
 * ```ts
 * shownName("write_file"); // '"write_file"'
 * shownName('a" on server "b'); // '"a\\" on server \\"b"'
 * shownName("wr\u0456te_file"); // '"wr\\u0456te_file"'
 * unusualNameNote(["wr\u0456te_file"]); // "(a name here is not a plain MCP tool name …)"
 * ```
 */
import { displayText } from "./display_text.ts";

/** The characters and length MCP recommends for a tool name (spec 2025-11-25). */
const MCP_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Characters past this many are cut; an ellipsis after the closing quote marks the cut. */
const SHOWN_MAX = 128;

/** Whether `name` keeps to the characters and length MCP recommends for tool names. */
export function isPlainName(name: string): boolean {
  return MCP_NAME.test(name);
}

/** `text` (JSON, so no raw control characters) with each UTF-16 unit outside ASCII as `\uXXXX`. */
function asciiEscaped(text: string): string {
  return text.replace(
    /[^ -~]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * `name` ready for prose: display-safe, quoted with JSON string escaping,
 * non-ASCII characters escaped when the name is not a plain MCP name, and
 * cut after `max` characters (the ellipsis follows the closing quote).
 */
export function shownName(name: string, max = SHOWN_MAX): string {
  const chars = Array.from(displayText(name, Number.MAX_SAFE_INTEGER));
  const cut = chars.length > max;
  const kept = cut ? chars.slice(0, Math.max(0, max - 1)).join("") : chars.join("");
  const quoted = JSON.stringify(kept);
  return (isPlainName(name) ? quoted : asciiEscaped(quoted)) + (cut ? "…" : "");
}

/**
 * The one sentence a text adds when some of `names` is not a plain MCP
 * name (see {@linkcode shownName}); undefined when all are.
 */
export function unusualNameNote(names: readonly string[]): string | undefined {
  return names.every(isPlainName)
    ? undefined
    : "(a name here is not a plain MCP tool name of 1 to 128 characters from A–Z, a–z, 0–9, " +
      "_ . -; characters outside ASCII are shown as \\uXXXX escapes)";
}
