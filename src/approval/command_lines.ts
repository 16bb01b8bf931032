/**
 * The value of a field that holds the command a call runs (see
 * `prompt_value_fields.ts`) as the lines of an approval's argument shape:
 * JSON, with each character a screen would hide or that moves text (a
 * control or format character) written as a `\uXXXX` escape, and each run of
 * three or more of one whitespace character said once with its count
 * (`⟨120 spaces⟩`), so padding cannot push the rest out of view; `⟨`, `⟩`
 * and `…` in the command itself are escaped, so no marker can be faked.
 * Long text is wrapped over continuation lines (`  ↳ …`), each at most
 * {@linkcode COMMAND_LINE_WIDTH} characters of it, so every line stays
 * within what the approval queue keeps. Up to
 * {@linkcode COMMAND_MAX_CHARS} characters are shown; a longer command
 * shows its start and its end, says how many characters in the middle are
 * not shown, and that a command one cannot see whole should not be approved.
 * Pure.
 *
 * @example
 * ```ts
 * commandLines("command", `ls${" ".repeat(120)}; rm -rf ~`, 13);
 * // { lines: ['command: "ls⟨120 spaces⟩; rm -rf ~"'], hiddenChars: 0 }
 * ```
 */

/** The most characters of a command's shown text (escapes counted as written). */
export const COMMAND_MAX_CHARS = 2000;
/** The most characters of a command's text on one line of the shape. */
export const COMMAND_LINE_WIDTH = 160;
/** How a continuation line of a wrapped command begins. */
export const CONTINUATION = "  ↳ ";
/** What a cut command's last line says, after how many characters are not shown. */
export const CUT_WARNING = "do not approve a command you cannot see whole";

/** What a screen may draw as nothing or use to reorder text (see `display_text.ts`). */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;
/** The markers this module writes, escaped where the command itself holds them. */
const MARKERS = /[⟨⟩…]/u;
/** A run of one whitespace character this long or longer is said once, with its count. */
const RUN_MIN = 3;

const RUN_NAMES: Record<string, string> = {
  " ": "spaces",
  "\t": "tabs",
  "\n": "line breaks",
  "\r": "carriage returns",
};

/** One piece of the shown text: what it shows, and how many characters of the value it covers. */
interface Token {
  text: string;
  chars: number;
}

function escapeUnits(char: string): string {
  return Array.from(
    { length: char.length },
    (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`,
  ).join("");
}

/** One character as the JSON text shows it, what would not show escaped. */
function charToken(char: string, inString: boolean): string {
  const json = inString ? (JSON.stringify(char) ?? "").slice(1, -1) : char;
  return UNSAFE.test(json) || MARKERS.test(json) ? escapeUnits(char) : json;
}

function runToken(char: string, count: number): Token {
  const name = RUN_NAMES[char] ??
    `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} characters`;
  return { text: `⟨${count} ${name}⟩`, chars: count };
}

/**
 * The tokens of `chars`, runs of one whitespace character of at least
 * {@linkcode RUN_MIN} as one each.
 */
function tokens(chars: string[], inString: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < chars.length;) {
    const char = chars[i]!;
    let end = i + 1;
    if (/^\s$/u.test(char)) { while (end < chars.length && chars[end] === char) end++; }
    if (end - i >= RUN_MIN) out.push(runToken(char, end - i));
    else for (let j = i; j < end; j++) out.push({ text: charToken(chars[j]!, inString), chars: 1 });
    i = end;
  }
  return out;
}

/** The tokens of a value: a string as a JSON string, anything else as its JSON text. */
function valueTokens(value: unknown): { tokens: Token[]; chars: number } {
  if (typeof value === "string") {
    const chars = Array.from(value);
    return {
      tokens: [{ text: '"', chars: 0 }, ...tokens(chars, true), { text: '"', chars: 0 }],
      chars: chars.length,
    };
  }
  // A list or an object: its JSON text, in which only spaces stay unescaped.
  const chars = Array.from(JSON.stringify(value) ?? "null");
  return { tokens: tokens(chars, false), chars: chars.length };
}

const width = (list: Token[]) => list.reduce((sum, t) => sum + t.text.length, 0);

/** `list` whole when it fits in `max`, else its start, `…` and its end, each about half. */
function cut(list: Token[], max: number): { shown: Token[]; hidden: number } {
  if (width(list) <= max) return { shown: list, hidden: 0 };
  const head: Token[] = [];
  let used = 0;
  for (const token of list) {
    if (used + token.text.length > Math.floor((max - 1) / 2)) break;
    head.push(token);
    used += token.text.length;
  }
  const tail: Token[] = [];
  for (let i = list.length - 1; i >= head.length; i--) {
    if (used + list[i]!.text.length > max - 1) break;
    tail.unshift(list[i]!);
    used += list[i]!.text.length;
  }
  const total = list.reduce((sum, t) => sum + t.chars, 0);
  const shownChars = [...head, ...tail].reduce((sum, t) => sum + t.chars, 0);
  return { shown: [...head, { text: "…", chars: 0 }, ...tail], hidden: total - shownChars };
}

/** `list` as lines of at most {@linkcode COMMAND_LINE_WIDTH} characters, no token split. */
function wrapped(list: Token[]): string[] {
  const lines: string[] = [];
  let line = "";
  for (const token of list) {
    if (line.length > 0 && line.length + token.text.length > COMMAND_LINE_WIDTH) {
      lines.push(line);
      line = "";
    }
    line += token.text;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * The lines of field `name`'s command `value`, in at most `maxLines` lines:
 * `name: <text>`, then continuation lines. `hiddenChars` is how many
 * characters of the value are not shown (0 when it is shown whole).
 */
export function commandLines(
  name: string,
  value: unknown,
  maxLines: number,
): { lines: string[]; hiddenChars: number } {
  const { tokens: list, chars } = valueTokens(value);
  const budget = Math.min(COMMAND_MAX_CHARS, Math.max(1, maxLines) * COMMAND_LINE_WIDTH);
  // Room for the escapes of a cut's start or end that would not fit a line's end.
  let { shown, hidden } = cut(list, budget);
  let lines = wrapped(shown);
  for (let room = budget; lines.length > Math.max(1, maxLines);) {
    room -= COMMAND_LINE_WIDTH / 4;
    ({ shown, hidden } = cut(list, room));
    lines = wrapped(shown);
  }
  if (hidden > 0) {
    lines[lines.length - 1] += ` (${chars} chars, ${hidden} in the middle not shown; ` +
      `${CUT_WARNING})`;
  }
  return {
    lines: lines.map((line, i) => i === 0 ? `${name}: ${line}` : `${CONTINUATION}${line}`),
    hiddenChars: hidden,
  };
}
