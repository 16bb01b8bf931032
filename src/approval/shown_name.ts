/**
 * How every approval text shows a name that comes from outside thoth's own
 * policy file (a tool or server name a server listed or a model chose): in
 * double quotes, with `"` and `\\` escaped, so a `"` in the name cannot
 * close the quotes and add words of its own ("write_file" on server
 * "docs-readonly"). A name outside the characters MCP recommends for tool
 * names (1 to 128 of `A-Z a-z 0-9 _ . -`) also shows every character
 * outside printable ASCII (control and format characters, those drawn as
 * nothing, every non-ASCII one) as a `\uXXXX` escape, so a look-alike letter
 * (the Cyrillic "і" of "wrіte_file") cannot pass for the ASCII one and two
 * different names never show the same; the text then says so once, with
 * {@linkcode unusualNameNote}. ASCII names show as
 * they are, in quotes. The question, the dialog, the client's form, the
 * refusals and `thoth approvals list` all show names this way. Pure.
 *
 * @example
 * ```ts
 * shownName("write_file"); // '"write_file"'
 * shownName('a" on server "b'); // '"a\\" on server \\"b"'
 * shownName("wr\u0456te_file"); // '"wr\\u0456te_file"'
 * shownName("del\u0007ete\r\n"); // '"del\\u0007ete\\u000d\\u000a"'
 * unusualNameNote(["wr\u0456te_file"]); // "(a name here is not a plain MCP tool name …)"
 * ```
 */
/** The characters and length MCP recommends for a tool name (spec 2025-11-25). */
const MCP_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Characters past this many are cut; an ellipsis after the closing quote marks the cut. */
const SHOWN_MAX = 128;

/** Whether `name` keeps to the characters and length MCP recommends for tool names. */
export function isPlainName(name: string): boolean {
  return MCP_NAME.test(name);
}

/**
 * `text` in double quotes, `"` and `\\` escaped, and (with `all`) each
 * UTF-16 unit outside printable ASCII as `\uXXXX`.
 */
function quoted(text: string, all: boolean): string {
  const escaped = text.replace(
    all ? /["\\]|[^ -~]/g : /["\\]/g,
    (unit) =>
      unit === '"' || unit === "\\"
        ? `\\${unit}`
        : `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}

/**
 * `name` ready for prose: quoted, every character outside printable ASCII
 * escaped when the name is not a plain MCP name (so it is display-safe), and
 * cut after `max` characters (the ellipsis follows the closing quote).
 */
export function shownName(name: string, max = SHOWN_MAX): string {
  const chars = Array.from(name);
  const cut = chars.length > max;
  const kept = cut ? chars.slice(0, Math.max(0, max - 1)).join("") : chars.join("");
  // A plain name has nothing to escape; any other shows all but printable ASCII escaped.
  return quoted(kept, !isPlainName(name)) + (cut ? "…" : "");
}

/**
 * The one sentence a text adds when some of `names` is not a plain MCP
 * name (see {@linkcode shownName}); undefined when all are.
 */
export function unusualNameNote(names: readonly string[]): string | undefined {
  return names.every(isPlainName)
    ? undefined
    : "(a name here is not a plain MCP tool name of 1 to 128 characters from A–Z, a–z, 0–9, " +
      "_ . -; characters outside printable ASCII are shown as \\uXXXX escapes)";
}
