/**
 * Parses a client config (JSON or JSONC: comments and trailing commas allowed)
 * into a jsonc-parser syntax tree, or fails with the first error as
 * `file:line:column`. A key twice in one object is an error too where it
 * decides which servers run (see {@linkcode decidesServers}: `mcpServers`,
 * `servers`, `mcp` and `mcp.*`, `projects`, a project and its `mcpServers`,
 * and everything below those): clients differ on which one counts, so what
 * would run could not be known. Anywhere else (a user's `"editor.fontSize"`
 * twice in VS Code's settings.json, which VS Code reads, the last winning) it
 * is left as it is, and so are the file's bytes. Text nested deeper than
 * {@linkcode MAX_CONFIG_DEPTH} objects and arrays is refused before it is
 * parsed: the parser recurses once per level and would run out of stack. Pure.
 *
 * @example
 * ```ts
 * const root = parseConfig('{ "mcpServers": {} }', "claude_desktop_config.json");
 * root.type; // "object"
 * parseConfig('{ "a": 1 "b": 2 }', "c.json"); // throws config.invalid: "… c.json:1:10: expected \",\""
 * ```
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { AppError } from "../errors.ts";
import { objectKeys } from "./object_keys.ts";

/**
 * The deepest nesting of objects and arrays a config may have. No client
 * config comes near it (a server entry is four levels down); the parser's
 * recursion fails somewhere past a few thousand.
 */
export const MAX_CONFIG_DEPTH = 512;

/** How {@linkcode parseConfig} judges a key given twice. */
export interface ParseConfigOptions {
  /**
   * `servers` (the default): refused only where it decides which servers
   * run ({@linkcode decidesServers}); `anywhere`: refused in any object (an
   * intent map, whose every key names a server).
   */
  duplicateKeys?: "servers" | "anywhere";
}

/**
 * Parses `text`; `label` names the file in errors. `reading` (`thoth status`,
 * the doctor): the hints say the file was only read, not that nothing was written.
 */
export function parseConfig(
  text: string,
  label: string,
  reading = false,
  options: ParseConfigOptions = {},
): Node {
  const anywhere = options.duplicateKeys === "anywhere";
  // A command parses one text again and again (wrap-config: the plan's text three times, each
  // a second or more for a ~/.claude.json of 50 MB): the last two trees are kept.
  const seen = lastParsed.find((entry) => entry.anywhere === anywhere && entry.text === text);
  if (seen !== undefined) return seen.root;
  const root = parseConfigOnce(text, label, reading, anywhere);
  lastParsed.unshift({ text, anywhere, root });
  lastParsed.length = Math.min(lastParsed.length, 2);
  return root;
}

/** The last two texts parsed whole, and their trees (never changed by their readers). */
const lastParsed: { text: string; anywhere: boolean; root: Node }[] = [];

function parseConfigOnce(text: string, label: string, reading: boolean, anywhere: boolean): Node {
  const untouched = reading ? "thoth only read it; nothing was changed" : "nothing was written";
  const deep = tooDeepAt(text);
  if (deep !== undefined) throw tooDeepError(text, label, deep, untouched);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // The parser recurses per level: a stack smaller than the limit assumes fails as deep text.
    if (error instanceof RangeError) throw tooDeepError(text, label, undefined, untouched);
    throw error;
  }
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lineColumn(text, first.offset);
    throw new AppError(
      "config.invalid",
      `invalid JSON in config ${label}:${line}:${column}: ${describe(first.error)}`,
      {
        hints: [
          reading
            ? `fix the file by hand (${untouched})`
            : "fix the file by hand (nothing was written), then run the command again",
        ],
      },
    );
  }
  const duplicate = root === undefined
    ? undefined
    : objectKeys(root).find((k) => k.repeated && (anywhere || decidesServers(k.path)));
  if (duplicate !== undefined) {
    const { line, column } = lineColumn(text, duplicate.offset);
    throw new AppError(
      "config.invalid",
      `config ${label}:${line}:${column} has the key ${
        JSON.stringify(duplicate.key)
      } twice in one object`,
      {
        hints: [
          "clients disagree on which of the two counts (most take the last, some the first), " +
          `so thoth cannot tell which server would run; remove one by hand (${untouched})`,
        ],
      },
    );
  }
  if (root === undefined || root.type !== "object") {
    throw new AppError(
      "config.invalid",
      `cannot read config "${label}": the top level is not a JSON object`,
      { hints: ['an MCP client config is an object such as {"mcpServers": {…}}'] },
    );
  }
  return root;
}

/**
 * Whether a key at `path` (the path of its value) decides which MCP servers
 * a client runs: under `mcpServers` (Claude Desktop, Cursor, Windsurf,
 * Claude Code), `servers` (VS Code's mcp.json), `mcp` or a dotted `mcp.…`
 * key (VS Code's settings.json), or `projects` down to each project's
 * `mcpServers` (Claude Code's `~/.claude.json`), whatever the client: a file
 * read without one is searched in every place.
 *
 * @example
 * ```ts
 * decidesServers(["mcp", "servers", "fs", "env", "TOKEN"]); // true
 * decidesServers(["projects", "/home/ana/web"]); // true: which project object counts
 * decidesServers(["projects", "/home/ana/web", "history"]); // false
 * decidesServers(["editor.fontSize"]); // false
 * ```
 */
export function decidesServers(path: readonly (string | number)[]): boolean {
  const [top, , third] = path;
  if (typeof top !== "string") return false;
  if (top === "mcpServers" || top === "servers" || top === "mcp" || top.startsWith("mcp.")) {
    return true;
  }
  return top === "projects" && (path.length <= 2 || third === "mcpServers");
}

/**
 * The offset of the first `{` or `[` that opens a level past
 * {@linkcode MAX_CONFIG_DEPTH}, or undefined; strings and comments are
 * skipped. One pass, no recursion.
 */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, past escapes (an unterminated one ends the text).
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) i++;
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      // To the end of the line (LF, CR or CRLF), as the parser reads a line comment.
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_CONFIG_DEPTH) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}

/** `config.invalid` for text nested too deeply (at `offset`, when known). */
function tooDeepError(
  text: string,
  label: string,
  offset: number | undefined,
  untouched: string,
): AppError {
  const at = offset === undefined ? undefined : lineColumn(text, offset);
  return new AppError(
    "config.invalid",
    `cannot read config "${label}": it is nested too deeply (more than ${MAX_CONFIG_DEPTH} ` +
      `levels of objects and arrays${
        at === undefined ? "" : `, at line ${at.line} column ${at.column}`
      })`,
    {
      hints: [
        "no MCP client config nests this deep: the file is damaged or not a config; fix or " +
        `restore it by hand (${untouched})`,
      ],
    },
  );
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(code: Parameters<typeof printParseErrorCode>[0]): string {
  const name = printParseErrorCode(code);
  const words: Record<string, string> = {
    InvalidSymbol: "unexpected character",
    InvalidNumberFormat: "invalid number",
    PropertyNameExpected: "expected a property name",
    ValueExpected: "expected a value",
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: "unexpected text after the end",
    InvalidCommentToken: "invalid comment",
    UnexpectedEndOfComment: "unterminated comment",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfNumber: "unterminated number",
    InvalidUnicode: "invalid unicode escape",
    InvalidEscapeCharacter: "invalid escape character",
    InvalidCharacter: "invalid character",
  };
  return words[name] ?? name;
}
