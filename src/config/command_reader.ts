/**
 * Finds where a launcher's command line starts thoth: the word naming thoth
 * where a command stands (`sh -c "cd /srv && exec thoth run …"`, `sudo -u svc
 * thoth run …`, `cmd /c call thoth run …`), never an option's value or a
 * later argument. Follows launchers inside one another up to a depth and a
 * read budget, then throws {@linkcode TooDeepToRead}. Pure.
 *
 * @example
 * ```ts
 * const reader = new CommandReader([], {}, []);
 * reader.commandAt(["sh", "-c", "cd /srv && exec thoth run -- npx"], 0); // "thoth"
 * reader.commandAt(["sudo", "-u", "svc", "thoth", "run"], 0); // "thoth"
 * reader.commandAt(["uv", "--directory", "/opt/thoth", "run", "server.py"], 0); // undefined
 * reader.cmdLine(["call", "thoth", "run"]); // "thoth"
 * ```
 */
import { UNKNOWN_PART } from "./ansi_c_quoting.ts";
import { expandedCommand } from "./expanded_command.ts";
import { recordedThothPath } from "./wrap_record.ts";
import { namesThothBinary, runAfter, THOTH_SCRIPT } from "./thoth_names.ts";
import {
  ASSIGNMENT,
  cmdSwitchesEnd,
  EXEC_SPEC,
  POWERSHELL_VALUES,
  POWERSHELLS,
  SHELL_KEYWORDS,
  SHELLS,
} from "./launcher_specs.ts";
import { type LauncherSpec, readOption } from "./launcher_option.ts";
import { launcherSpec, PREFIX_SPECS } from "./prefix_command_specs.ts";
import {
  cmdCommand,
  cmdCommands,
  powershellCommands,
  shellCommands,
} from "./command_line_words.ts";
import { cmdLineVariants } from "./cmd_line_variants.ts";
import { type Doubt, meantForThoth } from "./invocation_doubt.ts";
import { positionalsFilled } from "./positionals_filled.ts";
import { TooDeepToRead } from "./too_deep_to_read.ts";
import { unquotedBlankPath } from "./unquoted_blank_path.ts";

/**
 * How much the reader reads before it gives up and asks (fail closed): the
 * characters of every command line it splits (again: `eval`, `sh -c`, `cmd
 * /c` inside one another), and every command and launcher word it looks at,
 * beyond four times the length of the entry's own arguments.
 */
const READ_BUDGET = 1_000_000;

/** How many commands started inside one another the reader follows (`sudo nice sh -c "exec thoth …"` is 4). */
const MAX_DEPTH = 64;

/**
 * Finds the word that names thoth where a command stands: the first word of
 * a command (after `VAR=value` words and shell keywords such as `if`, `!`),
 * and after a launcher and its options; a launcher's command line (`sh -c`,
 * `su -c`, `env -S`, `pwsh -Command`, `cmd /c`) is split into commands at
 * `;`, `&`, `&&`, `|`, `||`, `(`, `)` and newlines. Never an option's value
 * or a later argument (`uv --directory /opt/thoth run` starts uv). It
 * follows at most {@linkcode MAX_DEPTH} commands inside one another and
 * reads at most its budget (see {@linkcode READ_BUDGET}), then throws
 * {@linkcode TooDeepToRead}.
 */
export class CommandReader {
  #budget: number;
  #depth = 0;
  /** What {@linkcode commandAt} found for each list of words and index: `start start …` reads each once. */
  readonly #found = new WeakMap<readonly string[], Map<number, string | undefined>>();
  readonly #namesThoth: (word: string) => boolean;
  readonly #script: string | undefined;
  /** Whether a `$'…'` string read so far could not be decoded exactly. */
  #inexact = false;
  #doubt: Doubt | undefined;

  /**
   * A reader for one entry: `self` is how this thoth is started, `context`
   * the entry's `THOTH_WRAP` record, `args` its arguments (they set the budget).
   */
  constructor(
    readonly self: readonly string[],
    context: { readonly wrapRecord?: string },
    args: readonly string[],
  ) {
    this.#budget = READ_BUDGET + 4 * args.reduce((sum, arg) => sum + arg.length + 1, 0);
    const recorded = context.wrapRecord === undefined
      ? undefined
      : recordedThothPath(context.wrapRecord);
    const script = self.length > 1 ? self[self.length - 1] : undefined;
    this.#script = script;
    this.#namesThoth = (word) =>
      namesThothBinary(word) || THOTH_SCRIPT.test(word) || word === self[0] ||
      word === script || word === recorded;
  }

  /**
   * The first command read that may start thoth but cannot be told for sure
   * (a variable, a `$'…'` word not decoded exactly, a path cmd splits at a
   * blank); wanted only when no command read starts thoth.
   */
  get doubt(): Doubt | undefined {
    return this.#doubt;
  }

  /** Spends `cost` of the read budget; throws {@linkcode TooDeepToRead} when it is spent. */
  #charge(cost: number): void {
    this.#budget -= cost;
    if (this.#budget < 0) throw new TooDeepToRead();
  }

  /**
   * The thoth word the command `words[at…]` starts, where `words[at]` stands
   * as a command. Throws {@linkcode TooDeepToRead} past {@linkcode MAX_DEPTH}
   * commands inside one another or past the read budget.
   */
  commandAt(words: readonly string[], at: number): string | undefined {
    this.#charge(1);
    let known = this.#found.get(words);
    if (known === undefined) this.#found.set(words, known = new Map());
    if (known.has(at)) return known.get(at);
    if (++this.#depth > MAX_DEPTH) throw new TooDeepToRead();
    try {
      const found = this.#commandAt(words, at);
      known.set(at, found);
      return found;
    } finally {
      this.#depth--;
    }
  }

  #commandAt(words: readonly string[], at: number): string | undefined {
    let i = at;
    while (i < words.length && (ASSIGNMENT.test(words[i]!) || SHELL_KEYWORDS.has(words[i]!))) i++;
    const word = words[i];
    if (word === undefined) return undefined;
    // A word holding a command substitution holds its text, which may hold more: charged whole.
    this.#charge(word.length);
    if (this.#namesThoth(word) && this.#startsRun(words, i)) return word;
    // zsh's "=thoth": the path of the command thoth (its EQUALS option, on by default).
    if (word.startsWith("=") && this.#namesThoth(word.slice(1)) && this.#startsRun(words, i)) {
      return word;
    }
    if (this.#inexact && word.includes(UNKNOWN_PART)) {
      this.#doubt ??= { kind: "inexact", word };
      return undefined;
    }
    const variable = expandedCommand(word);
    // "$HOME/bin/server": a literal last segment names the program; read on as that program.
    if (
      variable !== undefined &&
      (variable.base === undefined || this.#namesThoth(variable.base))
    ) {
      this.#charge(words.length - i);
      const why = meantForThoth(variable, words, i + 1, this.#namesThoth);
      if (why !== undefined) {
        this.#doubt ??= variable.substitution === true
          ? { kind: "substitution", word, why }
          : { kind: "variable", word, name: variable.name, why };
      }
      return undefined;
    }
    const base = (word.split(/[\\/]/).pop() ?? "").toLowerCase();
    const name = base.endsWith(".exe") ? base.slice(0, -4) : base;
    if (name === "deno") {
      // thoth from source: its script, then run ("deno run -A …/thoth.ts run").
      const script = words.findIndex((w, j) =>
        j > i && (THOTH_SCRIPT.test(w) || w === this.#script) && runAfter(words, j + 1)
      );
      return script < 0 ? undefined : words[script];
    }
    if (name === "exec") return this.launcherArgs(EXEC_SPEC, words, i + 1);
    if (name === "eval") return this.shellLine(words.slice(i + 1).join(" "));
    if (name === "cmd") {
      const flag = cmdSwitchesEnd(words, i + 1);
      return /^\/[ck]$/i.test(words[flag] ?? "") ? this.cmdLine(words.slice(flag + 1)) : undefined;
    }
    if (name === "start") {
      // cmd's start: its switches, then maybe a quoted title, then the command.
      let j = i + 1;
      while (words[j]?.startsWith("/")) j++;
      return this.commandAt(words, j) ?? this.commandAt(words, j + 1);
    }
    if (POWERSHELLS.has(name)) return this.powershellArgs(words, i + 1);
    if (SHELLS.has(name)) return this.shellArgs(words, i + 1);
    const spec = PREFIX_SPECS[name];
    return spec === undefined
      ? undefined
      : this.launcherArgs(launcherSpec(name, words, i + 1), words, i + 1);
  }

  /** Whether the thoth word at `i` is followed by `run` (its own options, or this thoth's launch words, between). */
  #startsRun(words: readonly string[], i: number): boolean {
    const launch = this.self.slice(1);
    const skip = words[i] === this.self[0] && launch.every((arg, j) => words[i + 1 + j] === arg)
      ? launch.length
      : 0;
    return runAfter(words, i + 1 + skip) || runAfter(words, i + 1);
  }

  /** The thoth word a POSIX shell command line starts, in any of its commands. */
  shellLine(line: string): string | undefined {
    this.#charge(line.length);
    for (const command of shellCommands(line, () => this.#inexact = true)) {
      const found = this.commandAt(command, 0);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * The words after `cmd [switches] /c`: the line they make, as given and
   * without its outer quotes (`/s`, and cmd's own rule without it). A word
   * with a blank in it stays one word, quoted the way the C runtime quotes
   * it when it builds the line (`"C:\\Program Files\\thoth\\thoth.exe" run`);
   * the line joined without those quotes is read too. A command's leading
   * `@` and `call` are left out (`call thoth run …`, `@thoth run …`).
   */
  cmdLine(words: readonly string[]): string | undefined {
    for (const each of cmdLineVariants(words)) {
      this.#charge(each.length);
      for (const command of cmdCommands(each)) {
        const words = cmdCommand(command);
        const found = this.commandAt(words, 0);
        if (found !== undefined) return found;
        this.#unquotedBlank(words);
      }
    }
    return undefined;
  }

  /** Keeps, as a doubt, a cmd command whose first words join to a path cmd cuts at a blank (see {@linkcode unquotedBlankPath}). */
  #unquotedBlank(words: readonly string[]): void {
    if (this.#doubt !== undefined) return;
    const path = unquotedBlankPath(words, this.#namesThoth);
    if (path !== undefined) this.#doubt = { kind: "split", path, first: words[0]! };
  }

  /** A shell's words: its options, then `-c LINE [$0 args…]`, or a script and its arguments. */
  shellArgs(words: readonly string[], at: number): string | undefined {
    let i = at;
    let line = false;
    while (i < words.length) {
      const word = words[i]!;
      if (word === "--" || word === "-") {
        i++;
        break;
      }
      if (
        /^--(rcfile|init-file|init-command)$/.test(word) || /^[-+][oO]$/.test(word) || word === "-C"
      ) {
        i += 2;
      } else if (word.startsWith("--command=")) {
        const found = this.shellLine(word.slice("--command=".length));
        if (found !== undefined) return found;
        i++;
      } else if (word === "--command") {
        line = true;
        i++;
      } else if (word.startsWith("--")) {
        i++;
      } else if (/^[-+][A-Za-z]+$/.test(word)) {
        if (word[0] === "-" && word.includes("c")) line = true;
        // "-eo pipefail": the option's value is the next word.
        i += /[oO]$/.test(word) ? 2 : 1;
      } else {
        break;
      }
    }
    if (i >= words.length) return undefined;
    if (!line) return this.commandAt(words, i);
    // sh -c LINE $0 $1…: the line may start its own arguments ("exec \"$0\" \"$@\"").
    const text = words[i]!;
    const found = this.shellLine(text) ?? this.commandAt(words, i + 1);
    if (found !== undefined) return found;
    // "$@", "$1"…: the words after the line, in its place ('exec "$@"' _ thoth run …).
    // "$@" many times over many words: charged as it grows, not after.
    const filled = positionalsFilled(text, words.slice(i + 1), (put) => this.#charge(put.length));
    return filled === text ? undefined : this.shellLine(filled);
  }

  /** PowerShell's words: its options, then `-Command LINE…`, `-File SCRIPT`, or a line. */
  powershellArgs(words: readonly string[], at: number): string | undefined {
    for (let i = at; i < words.length; i++) {
      const word = words[i]!;
      const line = (from: number) => this.powershellLine(words.slice(from).join(" "));
      if (!word.startsWith("-")) return line(i);
      const name = word.slice(1).toLowerCase();
      if (
        ["c", "command", "commandwithargs", "cwa"].includes(name) ||
        (name.length >= 3 && "command".startsWith(name))
      ) {
        return line(i + 1);
      }
      if (name === "f" || (name.length >= 2 && "file".startsWith(name))) {
        return this.commandAt(words, i + 1);
      }
      if (POWERSHELL_VALUES.has(name)) i++;
    }
    return undefined;
  }

  /** The thoth word a PowerShell command line starts, in any of its commands. */
  powershellLine(line: string): string | undefined {
    this.#charge(line.length);
    for (const command of powershellCommands(line)) {
      const found = this.commandAt(command, 0);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * A prefix command's words: its options (a value skipped, a command line
   * read, a split string put in its place), its operands, then the command,
   * and no further: the command's own options and arguments are not read. An
   * option it does not list is read both as a flag and, once (`strict`
   * after), as taking the next word as its value.
   */
  launcherArgs(
    spec: LauncherSpec,
    words: readonly string[],
    at: number,
    operandsLeft = spec.operands ?? 0,
    strict = false,
  ): string | undefined {
    let list = words;
    let operands = operandsLeft;
    let i = at;
    while (i < list.length) {
      this.#charge(1);
      const word = list[i]!;
      if (word === "--") {
        i++;
        break;
      }
      if (!word.startsWith("-") && spec.flags?.includes(word) === true) {
        // A word before the command that is not an option: wsl's "~".
        i++;
        continue;
      }
      if (word === "-" || !word.startsWith("-")) {
        if (word !== "-" && operands <= 0) break;
        if (word !== "-") operands--;
        i++;
        continue;
      }
      const option = readOption(spec, word);
      if (option.kind === "exec") return this.commandAt(list, i + 1);
      if (option.kind === "line") {
        const value = option.value ?? list[++i];
        const found = value === undefined ? undefined : this.shellLine(value);
        if (found !== undefined) return found;
      } else if (option.kind === "split") {
        // env -S "thoth run" -- npx: the split words, then the words after them.
        const value = option.value ?? list[i + 1];
        if (value === undefined) return undefined;
        const found = this.shellLine(value);
        if (found !== undefined) return found;
        const split = shellCommands(value).flat();
        const after = i + (option.value === undefined ? 2 : 1);
        list = [...list.slice(0, i), ...split, ...list.slice(after)];
        continue;
      } else if (option.kind === "value") {
        if (option.value === undefined) i++;
      } else if (option.kind === "unknown") {
        if (strict) return undefined;
        // Not listed: it may take the next word as its value, then the command follows.
        const next = list[i + 1];
        if (!word.includes("=") && next !== undefined && next !== "-" && !next.startsWith("-")) {
          const found = this.launcherArgs(spec, list, i + 2, operands, true);
          if (found !== undefined) return found;
        }
      }
      i++;
    }
    if (i >= list.length || spec.rest === "none") return undefined;
    return spec.rest === "line"
      ? this.shellLine(list.slice(i).join(" ")) ?? this.commandAt(list, i)
      : this.commandAt(list, i);
  }
}
