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
 */
class CommandWords {
  readonly commands: string[][] = [];
  #words: string[] = [];
  /** The word being read; undefined between words (an empty quoted word is ""). */
  word: string | undefined;
  /** Whether the next word is a redirection's target, not a word of the command. */
  redirect = false;

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
 * The commands of a shell command line, each as its words, roughly as a
 * POSIX shell splits them: quotes and backslashes are taken out, blanks end a
 * word, and `; & | ( )`, a backtick and a newline end a command; a
 * redirection (`> file`, `2>&1`, `< in`) is left out with its target; a
 * backslash before a newline joins the lines (`thoth \<newline> run` is
 * `thoth run`). `$'…'` is decoded as bash decodes it (see
 * {@linkcode decodeAnsiC}; `onInexact` is told when a part of it cannot be
 * known, which is U+FFFD in the word) and `$"…"` is read as `"…"`. Other
 * expansions are left as they are (`${THOTH:-thoth}`).
 */
export function shellCommands(line: string, onInexact?: () => void): string[][] {
  const w = new CommandWords();
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "$" && line[i + 1] === "$") {
      // $$ (the shell's process id): the second "$" opens no quoting.
      w.word = (w.word ?? "") + "$$";
      i++;
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
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && line[i + 1] === "\n") {
          i++;
          continue;
        }
        if (line[i] === "\\" && i + 1 < line.length && '$`"\\'.includes(line[i + 1]!)) i++;
        w.word += line[i];
      }
    } else if (c === "\\" && line[i + 1] === "\n") {
      // A line continuation: no character, and no end of word.
      i++;
    } else if (c === "\\") {
      w.word = (w.word ?? "") + (line[++i] ?? "");
    } else if (c === "<" || c === ">") {
      // "2>": the digits before are the file descriptor, not a word.
      if (w.word !== undefined && /^\d+$/.test(w.word)) w.word = undefined;
      w.endWord();
      while (i + 1 < line.length && "<>&|".includes(line[i + 1]!)) i++;
      w.redirect = true;
    } else if (/[;&|()`\n]/.test(c)) {
      w.endCommand();
    } else if (/\s/.test(c)) {
      w.endWord();
    } else {
      w.word = (w.word ?? "") + c;
    }
  }
  w.endCommand();
  return w.commands;
}

/**
 * The commands of a PowerShell command line, each as its words, roughly:
 * quotes are taken out (`''` in single quotes and a backtick escape a
 * character), blanks end a word, and `; & | ( ) { }` and a newline end a
 * command. A backslash is part of a word (a Windows path), unlike in
 * {@linkcode shellCommands}.
 */
export function powershellCommands(line: string): string[][] {
  const w = new CommandWords();
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
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
    } else if (/[;&|(){}\n]/.test(c)) {
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
