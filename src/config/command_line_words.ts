/**
 * Splits a launcher's command line into commands, each as its words, roughly
 * as the shell that runs it would: a POSIX shell (`sh -c`), PowerShell
 * (`pwsh -Command`) or Windows `cmd` (`cmd /c`). Pure.
 *
 * @example
 * ```ts
 * shellCommands(`cd /opt && exec "thoth" run -- npx 2>&1`);
 * // [["cd", "/opt"], ["exec", "thoth", "run", "--", "npx"]]
 * powershellCommands("& 'C:\\thoth\\thoth.exe' run; exit");
 * // [["C:\\thoth\\thoth.exe", "run"], ["exit"]]
 * cmdCommands('"C:\\Program Files\\thoth\\thoth.exe" run ^& x');
 * // [["C:\\Program Files\\thoth\\thoth.exe", "run", "&", "x"]]
 * cmdCommand(["@call", "thoth", "run"]); // ["thoth", "run"]
 * ```
 */
import { decodeAnsiC } from "./ansi_c_quoting.ts";

/**
 * The words and commands a command-line reader below finds: it adds
 * characters to the word being read, ends words at blanks and commands at
 * separators. A shell's redirection (`> file`) drops the word after it.
 * Commands inside a command substitution are read by a reader of their own
 * that adds them to the same list.
 */
class CommandWords {
  readonly commands: string[][];
  #words: string[] = [];
  /** The word being read; undefined between words (an empty quoted word is ""). */
  word: string | undefined;
  /** Whether the next word is a redirection's target, not a word of the command. */
  redirect = false;

  constructor(commands: string[][] = []) {
    this.commands = commands;
  }

  endWord(): void {
    if (this.word !== undefined && !this.redirect) this.#words.push(this.word);
    else if (this.word !== undefined) this.redirect = false;
    this.word = undefined;
  }

  endCommand(): void {
    this.endWord();
    this.redirect = false;
    if (this.#words.length > 0) this.commands.push(this.#words);
    this.#words = [];
  }
}

/**
 * The command substitutions open where a reader stands (`$(`, a backtick,
 * PowerShell's `(`), innermost last. Each one's commands are read as commands
 * of their own, and its text, as written, stays in the word it stands in
 * (`"$(command -v thoth)" run` starts with the word `$(command -v thoth)`):
 * one pass, each character read once.
 */
class Substitutions {
  readonly commands: string[][] = [];
  /** The reader of the innermost open substitution, or of the line. */
  w = new CommandWords(this.commands);
  /** Whether the innermost reader is inside double quotes. */
  quoted = false;
  /** How many `(` are open inside the innermost substitution (a subshell, `$((…))`). */
  parens = 0;
  /** What closes the innermost substitution; undefined at the line's own level. */
  close: ")" | "`" | undefined;
  #start = 0;
  readonly #outer: {
    w: CommandWords;
    quoted: boolean;
    parens: number;
    close: ")" | "`" | undefined;
    start: number;
  }[] = [];

  /** A substitution opens at `at`, closed by `close`. */
  open(close: ")" | "`", at: number): void {
    const { w, quoted, parens } = this;
    this.#outer.push({ w, quoted, parens, close: this.close, start: this.#start });
    this.w = new CommandWords(this.commands);
    this.quoted = false;
    this.parens = 0;
    this.close = close;
    this.#start = at;
  }

  /** The innermost substitution ends before `end`: its text joins the word it stands in. */
  shut(line: string, end: number): void {
    this.w.endCommand();
    const outer = this.#outer.pop();
    if (outer === undefined) return;
    const text = line.slice(this.#start, end);
    ({ w: this.w, quoted: this.quoted, parens: this.parens, close: this.close } = outer);
    this.#start = outer.start;
    this.w.word = (this.w.word ?? "") + text;
  }

  /** The line ends: every substitution still open ends with it. */
  end(line: string): string[][] {
    while (this.close !== undefined) this.shut(line, line.length);
    this.w.endCommand();
    return this.commands;
  }
}

/**
 * The commands of a shell command line, each as its words, roughly as a
 * POSIX shell splits them: quotes and backslashes are taken out, blanks end a
 * word, and `; & | ( )` and a newline end a command; a redirection (`> file`,
 * `2>&1`, `< in`) is left out with its target; a backslash before a newline
 * joins the lines (`thoth \<newline> run` is `thoth run`). A command
 * substitution (`$(…)`, `` `…` ``, quoted or not) stays whole, as written,
 * in the word it stands in (`$(which thoth)`), and the commands inside it
 * are read as commands too. `$'…'` is decoded as bash decodes it (see
 * {@linkcode decodeAnsiC}; `onInexact` is told when a part of it cannot be
 * known, which is U+FFFD in the word) and `$"…"` is read as `"…"`. Other
 * expansions are left as they are (`${THOTH:-thoth}`). Linear in the line.
 */
export function shellCommands(line: string, onInexact?: () => void): string[][] {
  const s = new Substitutions();
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const w = s.w;
    if (c === "\\" && line[i + 1] === "\n") {
      // A line continuation: no character, and no end of word.
      i++;
    } else if (c === "\\" && s.quoted) {
      // In double quotes a backslash escapes only $ ` " \ (and a newline, above).
      if (i + 1 < line.length && '$`"\\'.includes(line[i + 1]!)) i++;
      w.word += line[i]!;
    } else if (c === "\\") {
      w.word = (w.word ?? "") + (line[++i] ?? "");
    } else if (c === "$" && line[i + 1] === "$") {
      // $$ (the shell's process id): the second "$" opens no quoting.
      w.word = (w.word ?? "") + "$$";
      i++;
    } else if (c === "$" && line[i + 1] === "(") {
      w.word ??= "";
      s.open(")", i);
      i++;
    } else if (c === "`" && s.close === "`") {
      s.shut(line, i + 1);
    } else if (c === "`") {
      w.word ??= "";
      s.open("`", i);
    } else if (s.quoted) {
      if (c === '"') s.quoted = false;
      else w.word += c;
    } else if (c === ")" && s.close === ")" && s.parens === 0) {
      s.shut(line, i + 1);
    } else if (c === "$" && line[i + 1] === "'") {
      const decoded = decodeAnsiC(line, i + 2);
      w.word = (w.word ?? "") + decoded.text;
      if (!decoded.exact) onInexact?.();
      i = decoded.end;
    } else if (c === "$" && line[i + 1] === '"') {
      // $"…", bash's translated string: without a message catalog, the same as "…".
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      w.word = (w.word ?? "") + line.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      w.word ??= "";
      s.quoted = true;
    } else if (c === "<" || c === ">") {
      // "2>": the digits before are the file descriptor, not a word.
      if (w.word !== undefined && /^\d+$/.test(w.word)) w.word = undefined;
      w.endWord();
      while (i + 1 < line.length && "<>&|".includes(line[i + 1]!)) i++;
      w.redirect = true;
    } else if (/[;&|()\n]/.test(c)) {
      if (s.close === ")") s.parens += c === "(" ? 1 : c === ")" ? -1 : 0;
      w.endCommand();
    } else if (/\s/.test(c)) {
      w.endWord();
    } else {
      w.word = (w.word ?? "") + c;
    }
  }
  return s.end(line);
}

/**
 * The commands of a PowerShell command line, each as its words, roughly:
 * quotes are taken out (`''` in single quotes and a backtick escape a
 * character), blanks end a word, and `; & | { }` and a newline end a
 * command. A backslash is part of a word (a Windows path), unlike in
 * {@linkcode shellCommands}. `${…}` (`${env:THOTH}`) stays one word; a
 * parenthesis, `$(…)` or `@(…)` stays whole, as written, in the word it
 * stands in (`(Get-Command thoth).Source`), and the commands inside it are
 * read as commands too. Linear in the line.
 */
export function powershellCommands(line: string): string[][] {
  const s = new Substitutions();
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const w = s.w;
    if (c === "'") {
      w.word ??= "";
      for (i++; i < line.length; i++) {
        if (line[i] === "'" && line[i + 1] === "'") w.word += line[++i];
        else if (line[i] === "'") break;
        else w.word += line[i];
      }
    } else if (c === '"') {
      w.word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "`" && i + 1 < line.length) i++;
        w.word += line[i];
      }
    } else if (c === "`") {
      // A backtick before a newline continues the line; before anything else it escapes it.
      if (line[i + 1] === "\n" || line[i + 1] === "\r") {
        i += line[i + 1] === "\r" && line[i + 2] === "\n" ? 2 : 1;
      } else {
        w.word = (w.word ?? "") + (line[++i] ?? "");
      }
    } else if (c === "$" && line[i + 1] === "{") {
      // ${env:THOTH}: a variable's name in braces, one word.
      const end = line.indexOf("}", i + 2);
      const stop = end < 0 ? line.length : end + 1;
      w.word = (w.word ?? "") + line.slice(i, stop);
      i = stop - 1;
    } else if ((c === "$" || c === "@") && line[i + 1] === "(") {
      w.word ??= "";
      s.open(")", i);
      i++;
    } else if (c === "(") {
      w.word ??= "";
      s.open(")", i);
    } else if (c === ")" && s.close === ")") {
      s.shut(line, i + 1);
    } else if (/[;&|(){}\n]/.test(c)) {
      w.endCommand();
    } else if (/[\s<>]/.test(c)) {
      w.endWord();
    } else {
      w.word = (w.word ?? "") + c;
    }
  }
  return s.end(line);
}

/**
 * The commands of a Windows `cmd` line, each as its words: `"` quotes (taken
 * out), `^` escapes a character, blanks end a word, and `&`, `|`, `(`, `)`
 * and a newline end a command. A backslash is part of a word.
 */
export function cmdCommands(line: string): string[][] {
  const w = new CommandWords();
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      const end = line.indexOf('"', i + 1);
      const stop = end < 0 ? line.length : end;
      w.word = (w.word ?? "") + line.slice(i + 1, stop);
      i = stop;
    } else if (c === "^") {
      w.word = (w.word ?? "") + (line[++i] ?? "");
    } else if (/[&|()\n]/.test(c)) {
      w.endCommand();
    } else if (/[\s<>]/.test(c)) {
      w.endWord();
    } else {
      w.word = (w.word ?? "") + c;
    }
  }
  w.endCommand();
  return w.commands;
}

/** A cmd command without its leading `@` (echo off) and `call`s: `@call thoth run` runs thoth. */
export function cmdCommand(words: readonly string[]): string[] {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.startsWith("@") ? words[i]!.slice(1) : words[i]!;
    if (word !== "" && word.toLowerCase() !== "call") return [word, ...words.slice(i + 1)];
  }
  return [];
}

/**
 * A `sh -c` line's positional parameters: `"$@"`, `"$1"` with their double
 * quotes, or bare (`$@`, `${1}`); `$0` to `$9`, `$@` and `$*`.
 */
export const POSITIONAL = /"\$(?:\{([\d@*])\}|([\d@*]))"|\$(?:\{([\d@*])\}|([\d@*]))/g;

/** `word` as one single-quoted shell word. */
export function singleQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
