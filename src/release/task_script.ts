/**
 * Reads a task string the way `deno task`'s shell does: split at every
 * separator it knows (`&&`, `||`, `;`, `|`, `|&`, `&`, a line break,
 * parentheses, and the end of a redirect), quotes removed, and every word
 * whose value is only known when the task runs (`$VAR`, a command
 * substitution, a glob, braces, a backslash) marked as such. What the shell
 * would run that this reader cannot follow (a command substitution, an
 * unclosed quote or parenthesis) is listed as a problem, not guessed at.
 * The files output redirects write to are listed too. Pure; `task_check.ts`
 * judges what it returns.
 *
 * @example
 * ```ts
 * const script = parseTaskScript(`FOO=1 deno run -A x.ts && echo "$HOME"`);
 * script.commands.map((c) => c.words.map((w) => w.text));
 * // [["FOO=1", "deno", "run", "-A", "x.ts"], ["echo", "$HOME"]]
 * script.commands[1]?.words[1]?.computed; // "a $ expansion"
 * parseTaskScript("echo a > out.txt").outputs[0]?.text; // "out.txt"
 * ```
 */

/** One word of a task command, as the task shell would pass it on. */
export interface TaskWord {
  /** The word with quotes removed. */
  readonly text: string;
  /** Why its value is only known when the task runs (`"$VAR"`, `"a glob"`, …); absent when literal. */
  readonly computed?: string;
}

/** One simple command of a task: its words, assignments and `!` included. */
export interface TaskCommand {
  readonly words: readonly TaskWord[];
}

/** A task string split into commands, and what made it unreadable, if anything. */
export interface TaskScript {
  readonly commands: readonly TaskCommand[];
  /** The files that output redirects (`>`, `>>`, `&>`) write to, in order. */
  readonly outputs: readonly TaskWord[];
  /** Why the text cannot be read with certainty; empty when it can. */
  readonly problems: readonly string[];
}

/**
 * Splits a task string into simple commands the way `deno task`'s shell
 * does. Quotes are removed; a word whose value depends on the run
 * (`$VAR`, `$(…)`, a backtick, a glob, braces, a backslash) is marked
 * `computed`. Anything the shell would run that this reader cannot follow
 * (a command substitution, an unclosed quote or parenthesis) is a problem.
 *
 * @example
 * ```ts
 * parseTaskScript("FOO=1 deno run -A x.ts\necho hi").commands.map((c) => c.words.length);
 * // [4, 2]
 * ```
 */
export function parseTaskScript(text: string): TaskScript {
  const commands: TaskCommand[] = [];
  const problems: string[] = [];
  const outputs: TaskWord[] = [];
  let words: TaskWord[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  let computed: string | undefined;
  let wantTarget = false;
  let targetIsOutput = false;
  let depth = 0;
  let i = 0;

  const problem = (p: string) => {
    if (!problems.includes(p)) problems.push(p);
  };
  const mark = (why: string) => {
    computed ??= why;
  };
  const endCommand = () => {
    if (words.length > 0) commands.push({ words });
    words = [];
  };
  const endWord = () => {
    if (!inWord) return;
    const done: TaskWord = computed === undefined ? { text: word } : { text: word, computed };
    word = "";
    inWord = false;
    quoted = false;
    computed = undefined;
    if (wantTarget) {
      // deno task starts a new command after a redirect's target: `echo a > f deno …` runs deno.
      wantTarget = false;
      if (targetIsOutput) outputs.push(done);
      endCommand();
    } else words.push(done);
  };
  const endAll = () => {
    endWord();
    if (wantTarget) problem("a redirect has no target");
    wantTarget = false;
    endCommand();
  };
  // Skips a `$( … )` body from just after `$(`; returns the index after `)`, or -1.
  const skipSubstitution = (from: number): number => {
    let level = 1;
    for (let j = from; j < text.length; j++) {
      const ch = text[j];
      if (ch === "\\") j++;
      else if (ch === "'" || ch === '"') {
        const end = text.indexOf(ch, j + 1);
        if (end < 0) return -1;
        j = end;
      } else if (ch === "(") level++;
      else if (ch === ")" && --level === 0) return j + 1;
    }
    return -1;
  };
  // Reads `$…` at `i`; returns the index after it.
  const readDollar = (at: number): number => {
    const next = text[at + 1];
    if (next === "(") {
      const end = skipSubstitution(at + 2);
      problem("it runs a command substitution $(…), whose command this check does not read");
      mark("a command substitution");
      if (end < 0) {
        problem("a $( is not closed");
        word += text.slice(at);
        return text.length;
      }
      word += text.slice(at, end);
      return end;
    }
    if (next !== undefined && /[A-Za-z0-9_?@*#!$-]/.test(next)) mark("a $ expansion");
    word += "$";
    return at + 1;
  };
  const readBacktick = (at: number): number => {
    problem("it runs a command substitution `…`, whose command this check does not read");
    mark("a command substitution");
    const end = text.indexOf("`", at + 1);
    if (end < 0) {
      problem("a ` is not closed");
      word += text.slice(at);
      return text.length;
    }
    word += text.slice(at, end + 1);
    return end + 1;
  };

  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === "'") {
      inWord = true;
      quoted = true;
      const end = text.indexOf("'", i + 1);
      if (end < 0) {
        problem("a ' quote is not closed");
        word += text.slice(i + 1);
        i = text.length;
      } else {
        word += text.slice(i + 1, end);
        i = end + 1;
      }
      continue;
    }
    if (c === '"') {
      inWord = true;
      quoted = true;
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === "\\") {
          mark("a backslash");
          const e = text[j + 1];
          if (e === '"' || e === "$" || e === "`") {
            word += e;
            j += 2;
          } else {
            word += d;
            j++;
          }
        } else if (d === "$") j = readDollar(j);
        else if (d === "`") j = readBacktick(j);
        else {
          word += d;
          j++;
        }
      }
      if (!closed) problem('a " quote is not closed');
      i = j;
      continue;
    }
    if (c === "\\") {
      if (next === "\n") {
        i += 2;
        continue;
      }
      if (next === "\r" && text[i + 2] === "\n") {
        i += 3;
        continue;
      }
      inWord = true;
      mark("a backslash");
      word += next ?? c;
      i += next === undefined ? 1 : 2;
      continue;
    }
    if (c === "$") {
      inWord = true;
      i = readDollar(i);
      continue;
    }
    if (c === "`") {
      inWord = true;
      i = readBacktick(i);
      continue;
    }
    if (c === "#" && !inWord) {
      // A comment runs to the end of the line; the line break still separates.
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      endAll();
      i++;
      continue;
    }
    if (c === "&" && next === ">") {
      endWord();
      wantTarget = true;
      targetIsOutput = true;
      i += text[i + 2] === ">" ? 3 : 2;
      continue;
    }
    if (c === "&" || c === "|") {
      endAll();
      i += next === "&" || (c === "|" && next === "|") ? 2 : 1;
      continue;
    }
    if (c === "(" || c === ")") {
      endAll();
      depth += c === "(" ? 1 : -1;
      if (depth < 0) {
        problem("a ) has no matching (");
        depth = 0;
      }
      i++;
      continue;
    }
    if (c === ">" || c === "<") {
      if (inWord && !quoted && computed === undefined && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      } else endWord();
      i++;
      if (c === ">" && (text[i] === ">" || text[i] === "|")) i++;
      if (text[i] === "&") {
        const fd = /^&(\d+|-)/.exec(text.slice(i));
        if (fd === null) problem("a redirect to a file descriptor names no descriptor");
        i += fd === null ? 1 : fd[0].length;
        // `2>&1` is a whole redirect; what follows is a new command, as after a file target.
        endCommand();
        continue;
      }
      wantTarget = true;
      targetIsOutput = c === ">";
      continue;
    }
    if (c === "*" || c === "?" || c === "[") mark("a glob pattern");
    if (c === "{" || c === "}") mark("braces");
    word += c;
    inWord = true;
    i++;
  }
  endAll();
  if (depth > 0) problem("a ( is not closed");
  return { commands, outputs, problems };
}

/**
 * The words of each simple command of a task string (see
 * {@linkcode parseTaskScript}), quotes removed.
 *
 * @example
 * ```ts
 * splitTaskCommand(`deno fmt && echo 'a;b'`); // [["deno", "fmt"], ["echo", "a;b"]]
 * ```
 */
export function splitTaskCommand(text: string): string[][] {
  return parseTaskScript(text).commands.map((c) => c.words.map((w) => w.text));
}
