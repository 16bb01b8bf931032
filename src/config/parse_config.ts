/**
 * Parses a client config (JSON or JSONC: comments and trailing commas allowed)
 * into a jsonc-parser syntax tree, or fails with the first error as
 * `file:line:column`. A key twice in one object is an error too: clients
 * differ on which one counts, so what would run could not be known. Pure.
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
 * Parses `text`; `label` names the file in errors. `reading` (`thoth status`,
 * the doctor): the hints say the file was only read, not that nothing was written.
 */
export function parseConfig(text: string, label: string, reading = false): Node {
  const untouched = reading ? "thoth only read it; nothing was changed" : "nothing was written";
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
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
  const duplicate = root === undefined ? undefined : objectKeys(root).find((k) => k.repeated);
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
