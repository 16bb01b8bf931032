/**
 * Reads a command word given as a shell parameter expansion, whose value is
 * chosen when the command starts: `$THOTH`, `${THOTH}`, `${THOTH:-thoth}`,
 * `${THOTH-/usr/bin/thoth}`, `${X:=thoth}`, `${X:+thoth}`, or cmd's
 * `%THOTH%`. Pure; no variable is looked up.
 *
 * @example
 * ```ts
 * expandedCommand("${THOTH:-/opt/thoth/bin/thoth}");
 * // { name: "THOTH", values: ["/opt/thoth/bin/thoth"] }
 * expandedCommand("${BIN:-/opt}/thoth"); // { name: "BIN", values: ["/opt/thoth"] }
 * expandedCommand("$THOTH"); // { name: "THOTH", values: [] }
 * expandedCommand("npx"); // undefined
 * ```
 */

/** A command a variable chooses: the variable, and the values its defaults give. */
export interface ExpandedCommand {
  /** The variable that chooses the command. */
  name: string;
  /** What the defaults or alternatives give, with what follows the expansion in the word. */
  values: string[];
}

/**
 * A command given as a parameter expansion (`$THOTH`, `${THOTH}`,
 * `${THOTH:-thoth}`, `${THOTH-/usr/bin/thoth}`, `${X:=thoth}`, cmd's
 * `%THOTH%`): the variable, and the values its default or alternative words
 * give (nested defaults too, up to a few levels), each with what follows the
 * expansion in the word. Undefined for any other word.
 */
export function expandedCommand(word: string): ExpandedCommand | undefined {
  const percent = /^%([^%\s]+)%/.exec(word);
  if (percent !== null) return { name: percent[1]!, values: [] };
  const values: string[] = [];
  let name: string | undefined;
  let rest = word;
  let suffix = "";
  for (let depth = 0; depth < 8; depth++) {
    const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (plain !== null) {
      name ??= plain[1]!;
      break;
    }
    if (!rest.startsWith("${")) break;
    const close = closingBrace(rest, 1);
    const inner = rest.slice(2, close < 0 ? rest.length : close);
    const parts = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-=+?])?/.exec(inner);
    if (parts === null) break;
    name ??= parts[1]!;
    suffix = (close < 0 ? "" : rest.slice(close + 1)) + suffix;
    if (parts[2] === undefined || parts[2].endsWith("?")) break;
    rest = inner.slice(parts[0].length);
    values.push(rest + suffix);
  }
  return name === undefined ? undefined : { name, values };
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
