/**
 * Reads a command word whose value is chosen when the command starts: a shell
 * parameter expansion (`$THOTH`, `${THOTH}`, `${THOTH:-thoth}`,
 * `${THOTH-/usr/bin/thoth}`, `${X:=thoth}`, `${X:+thoth}`, bash's `${!T}`,
 * PowerShell's `$env:THOTH` and `${env:THOTH}`, cmd's `%THOTH%`), anywhere in
 * the word, or a command substitution (`$(command -v thoth)`, `` `which
 * thoth` ``, PowerShell's `(Get-Command thoth).Source`). Pure; no variable is
 * looked up and no command is run.
 *
 * @example
 * ```ts
 * expandedCommand("${THOTH:-/opt/thoth/bin/thoth}");
 * // { name: "THOTH", values: ["/opt/thoth/bin/thoth"] }
 * expandedCommand("${BIN:-/opt}/thoth"); // { name: "BIN", values: ["/opt/thoth"], base: "thoth" }
 * expandedCommand("$HOME/bin/server"); // { name: "HOME", values: [], base: "server" }
 * expandedCommand("$(command -v thoth)");
 * // { name: "$(command -v thoth)", values: [], substitution: true }
 * expandedCommand("thoth${IFS}run"); // { name: "IFS", values: [], split: ["thoth", "run"] }
 * expandedCommand("$THOTH"); // { name: "THOTH", values: [] }
 * expandedCommand("npx"); // undefined
 * ```
 */

/** A command a variable or a command substitution chooses. */
export interface ExpandedCommand {
  /** The variable that chooses the command, or the word itself when a substitution does. */
  name: string;
  /** What the defaults or alternatives give, with what stands before and after the expansion. */
  values: string[];
  /** Set when a command substitution (`$(…)`, a backtick, PowerShell's `(…)`) chooses the command. */
  substitution?: true;
  /**
   * The word's last path segment (after its last `/` or `\`), when nothing in
   * it is expanded: it fixes the program's name (`$HOME/bin/server` runs a
   * program called `server`, wherever `$HOME` is).
   */
  base?: string;
  /** The words `$IFS` splits the word into, when it has one unquoted (`thoth${IFS}run`). */
  split?: string[];
}

/** Where a substitution or expansion starts in a word: `$(`, a backtick, `(`, `${`, `$NAME`. */
const EXPANSION =
  /\$\(|`|\(|\$\{|\$(?:[A-Za-z_]|(?:env|global|script|local|private|using|variable):)/i;

/** A word's last path segment with nothing expanded in it: no `$`, backtick, `%`, braces or parentheses. */
const LITERAL_SEGMENT = /^[^$`%{}()]+$/;

/** `$IFS` or `${IFS}`: the shell splits the word at its value (a blank by default). */
const IFS = /\$\{IFS\}|\$IFS(?![A-Za-z0-9_])/;

/**
 * A command word chosen when the command starts (see the module's
 * description): the variable, the values its default or alternative words
 * give (nested defaults too, up to a few levels, each with what stands before
 * and after the expansion), the literal base name that fixes the program,
 * and the words `$IFS` splits it into. Undefined for a word without an
 * expansion or a substitution. Linear in the word's length.
 */
export function expandedCommand(word: string): ExpandedCommand | undefined {
  const found = firstExpansion(word);
  if (found === undefined) return undefined;
  const cut = Math.max(word.lastIndexOf("/"), word.lastIndexOf("\\"));
  const segment = cut < 0 ? "" : word.slice(cut + 1);
  const base = LITERAL_SEGMENT.test(segment) ? { base: segment } : {};
  const split = IFS.test(word)
    ? { split: word.split(new RegExp(IFS.source, "g")).filter((piece) => piece !== "") }
    : {};
  return { ...found, ...base, ...split };
}

/** The first expansion or substitution in `word`, with the values its defaults give. */
function firstExpansion(word: string): ExpandedCommand | undefined {
  const percent = /^%([^%\s]+)%/.exec(word);
  if (percent !== null) return { name: percent[1]!, values: [] };
  const at = word.search(EXPANSION);
  if (at < 0) return undefined;
  if (word[at] === "`" || word[at] === "(" || word[at + 1] === "(") {
    return { name: word, values: [], substitution: true };
  }
  const prefix = word.slice(0, at);
  const values: string[] = [];
  let name: string | undefined;
  let rest = word.slice(at);
  let suffix = "";
  for (let depth = 0; depth < 8; depth++) {
    const plain =
      /^\$((?:(?:env|global|script|local|private|using|variable):)?[A-Za-z_][A-Za-z0-9_]*)/i
        .exec(rest);
    if (plain !== null) {
      name ??= plain[1]!;
      break;
    }
    if (!rest.startsWith("${")) break;
    const close = closingBrace(rest, 1);
    const inner = rest.slice(2, close < 0 ? rest.length : close);
    // bash's ${!T}: the value of the variable T names; PowerShell's ${env:T}.
    const parts =
      /^!?((?:(?:env|global|script|local|private|using|variable):)?[A-Za-z_][A-Za-z0-9_]*)(:?[-=+?])?/i
        .exec(inner);
    if (parts === null) break;
    name ??= parts[1]!;
    suffix = (close < 0 ? "" : rest.slice(close + 1)) + suffix;
    if (parts[2] === undefined || parts[2].endsWith("?")) break;
    rest = inner.slice(parts[0].length);
    values.push(prefix + rest + suffix);
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
