/**
 * Recognises a wrapped entry, `thoth run [flags] -- upstream…`, and reads its
 * flags. Pure.
 *
 * An entry is thoth's when its command is a thoth binary by name (`thoth`,
 * `thoth.exe`, or a release asset name such as `thoth-linux-x86_64`,
 * `thoth-macos-universal`, `thoth-windows-x86_64.exe`), or starts exactly the
 * way this thoth is started (`self`: this binary, or the `--thoth-path` a
 * wrap writes, whatever it is called), or is `deno` running a
 * `thoth.ts`/`mod.ts` script followed by `run` and `--agent-id` (thoth
 * started from source, by any checkout), or carries a `THOTH_WRAP` record in
 * its `env` that names its very command (`thoth=PATH`: `wrap-config` writes
 * it whenever the thoth it points at is not named as above). Any other
 * command is not thoth's, even one whose arguments look like `run … --`: a
 * server taken for thoth would be reported as governed when it is not, and
 * rewritten. An entry that is none of these yet has a `THOTH_WRAP` record
 * and `run` as its first argument (`cargo run -- serve` with a copied record)
 * is `not_understood`: thoth cannot tell whether it is thoth, so it is
 * neither counted as governed nor rewritten, and `status --check` fails on it.
 * So is thoth started through the Windows shell (`cmd /c thoth run …`,
 * `cmd.exe /C …`), through a POSIX shell (`sh -c "exec thoth run …"`, also
 * `bash`, `zsh`, `dash`, `-lc`, `busybox sh`) or through `env` (`env thoth run
 * …`, `env VAR=1 thoth run …`): wrapping it would nest a second thoth. For
 * the shells and `env`, thoth cannot tell which word the shell starts, so it
 * errs towards asking: any word naming thoth followed by `run`, anywhere in
 * the arguments or in the line the shell runs (split into words as a shell
 * would, roughly), makes the entry `not_understood`, even `sh -c "echo thoth
 * run"`; a shell line that names thoth in no such way (`sh -c "npx foo"`,
 * `sh -c "cd /opt/thoth && npx foo"`) is not thoth's.
 *
 * Such an entry is `wrapped` only in the shape `wrap-config` writes: `run`,
 * then flags (each with its value), then `--` and a non-empty upstream
 * command, which with its arguments is everything after that `--`,
 * unchanged. The flags are read the way `thoth run` reads them: a value flag
 * followed by `--` has no value, `-h`/`--help` asks for help (both are kept
 * in `flagProblems`: `thoth run` starts no server), and a lone `-` is not a
 * flag. Any other entry that names thoth is `not_understood`, with the reason
 * in words: it is neither counted as governed nor rewritten. A `thoth run`
 * entry without `--agent-id` is governed (`thoth run` derives the id from the
 * upstream command); the `deno … thoth.ts run` form needs it, or any script
 * named so would count.
 *
 * @example
 * ```ts
 * const found = readThothInvocation("/opt/thoth/bin/thoth-linux-x86_64", [
 *   "run", "--agent-id", "fs", "--enforcement-mode", "block", "--", "npx", "-y", "pkg",
 * ]);
 * found?.kind === "wrapped" && found.upstream; // ["npx", "-y", "pkg"]
 * readThothInvocation("thoth", ["serve"]);
 * // { kind: "not_understood", reason: 'its arguments start with "serve", not "run"' }
 * readThothInvocation("/opt/acme/governor", ["run", "--agent-id", "fs", "--", "npx"]);
 * // undefined: not named thoth, not this thoth, no THOTH_WRAP record
 * readThothInvocation("/opt/acme/governor", ["run", "--agent-id", "fs", "--", "npx"], [], {
 *   wrapRecord: "v1;thoth=/opt/acme/governor",
 * })?.kind; // "wrapped"
 * ```
 */
import { MACOS_UNIVERSAL_SUFFIX, RELEASE_TARGETS } from "../release/targets.ts";
import { recordedThothPath, WRAP_RECORD_KEY } from "./wrap_record.ts";

/** Flags of `thoth run` that take a value. */
export const RUN_VALUE_FLAGS = [
  "--agent-id",
  "--tenant-id",
  "--enforcement-mode",
  "--intent",
  "--policy",
  "--api-key",
  "--max-line-bytes",
  "--shutdown-grace-ms",
  "--audit-sync",
  "--approval-timeout",
] as const;

/** A parsed `thoth run` entry. */
export interface ThothInvocation {
  kind: "wrapped";
  /** The command and the arguments before `run`: how thoth itself is started. */
  thothCommand: string[];
  /** Index of `run` in args. */
  runIndex: number;
  /** Index of the first `--` in args. */
  dashIndex: number;
  /** The value flags, in order, as `[flag, value]`. */
  flags: [string, string][];
  /** Flags the current `thoth run` does not know (an older flag set). */
  unknownFlags: string[];
  /**
   * Flags `thoth run` reads but refuses where they stand: a value flag
   * followed by `--` (`missing_value`), `-h`/`--help` (`help`: it prints its
   * help and starts no server).
   */
  flagProblems: FlagProblem[];
  /** The upstream command and its arguments. */
  upstream: string[];
}

/** A flag `thoth run` would refuse where it stands. */
export interface FlagProblem {
  flag: string;
  problem: "missing_value" | "help";
}

/** What `thoth run` says about a flag problem, and what to do. */
export function flagProblemText(found: FlagProblem): { message: string; fix: string } {
  return found.problem === "missing_value"
    ? {
      message: `${found.flag} is given no value`,
      fix: `give it as "${found.flag} VALUE" before "--", or remove it`,
    }
    : {
      message: `${found.flag} makes thoth run print its help and start no server`,
      fix: `remove ${found.flag} from the flags before "--"`,
    };
}

/** A flag problem as wrap-config names it: `thoth run will refuse to start: …`. */
export function describeFlagProblem(found: FlagProblem): string {
  return `thoth run will refuse to start: ${flagProblemText(found).message}`;
}

/** An entry that names thoth but is not `run [flags] -- <command>`: why, in words. */
export interface NotUnderstood {
  kind: "not_understood";
  /** Reads after "thoth entry not understood: ". */
  reason: string;
}

/** What {@linkcode readThothInvocation} found; undefined when the entry is not thoth's. */
export type InvocationRead = ThothInvocation | NotUnderstood | undefined;

/** How status, wrap-config and unwrap-config name an entry that is not understood. */
export function describeNotUnderstood(found: NotUnderstood): string {
  return `thoth entry not understood: ${found.reason}`;
}

const SCRIPT = /(^|[\\/])(thoth|mod)\.ts$/;
const THOTH_SCRIPT = /(^|[\\/])thoth\.ts$/;

/** The base names of a thoth binary: `thoth`, `thoth.exe` and the release asset names. */
const THOTH_NAMES: ReadonlySet<string> = new Set([
  "thoth",
  "thoth.exe",
  ...[...RELEASE_TARGETS.map((target) => target.suffix), MACOS_UNIVERSAL_SUFFIX].map((suffix) =>
    `thoth-${suffix}`.toLowerCase()
  ),
]);

/**
 * Whether `command` names a thoth binary by its base name, case-insensitively
 * (`/usr/local/bin/thoth`, `C:\\thoth\\THOTH.EXE`, `thoth-linux-x86_64`).
 */
export function namesThothBinary(command: string): boolean {
  return THOTH_NAMES.has((command.split(/[\\/]/).pop() ?? "").toLowerCase());
}

/** What else is known about the entry besides its command and args. */
export interface InvocationContext {
  /** The value of the entry's `THOTH_WRAP` env key, when it has one. */
  wrapRecord?: string;
}

/**
 * Reads a wrapped entry; undefined when the entry is not thoth's. `self` is
 * how this thoth is started (or the thoth path a wrap writes); an entry that
 * starts exactly that way is thoth's whatever its binary is called.
 */
export function readThothInvocation(
  command: string,
  args: readonly string[],
  self: readonly string[] = [],
  context: InvocationContext = {},
): InvocationRead {
  const base = (command.split(/[\\/]/).pop() ?? "").toLowerCase();
  const shell = throughCmd(base, args, self, context) ??
    throughLauncher(base, args, self, context);
  if (shell !== undefined) return shell;
  const launch = self.slice(1);
  const isSelf = self.length > 0 && self[0] === command &&
    launch.every((arg, i) => args[i] === arg) && args[launch.length] === "run";
  const namesThoth = namesThothBinary(command);
  // Only a record that names this very command proves that a thoth wrote the entry.
  const recorded = context.wrapRecord !== undefined &&
    recordedThothPath(context.wrapRecord) === command;
  let runIndex = -1;
  if (isSelf) {
    runIndex = launch.length;
  } else if (namesThoth || recorded) {
    if (args.length === 0) {
      return notUnderstood('it has no arguments; expected "run [flags] -- <command>"');
    }
    if (args[0] !== "run") {
      return notUnderstood(`its arguments start with ${JSON.stringify(args[0])}, not "run"`);
    }
    runIndex = 0;
  } else if (base === "deno" || base === "deno.exe") {
    runIndex = args.findIndex((arg, i) => arg === "run" && i > 0 && SCRIPT.test(args[i - 1]!));
  }
  // A THOTH_WRAP record on a command thoth cannot tell is thoth: neither governed nor rewritten.
  const doubt = context.wrapRecord !== undefined && args[0] === "run"
    ? notUnderstood(
      `its ${WRAP_RECORD_KEY} record does not name ${JSON.stringify(command)} as thoth, yet ` +
        `its arguments start with "run"; if it is thoth, wrap it again with --thoth-path ` +
        `${JSON.stringify(command)}, else remove ${WRAP_RECORD_KEY} from its env`,
    )
    : undefined;
  if (runIndex < 0) return doubt;
  const dashIndex = args.indexOf("--", runIndex + 1);
  const end = dashIndex < 0 ? args.length : dashIndex;
  const flags: [string, string][] = [];
  const unknownFlags: string[] = [];
  const flagProblems: FlagProblem[] = [];
  let stray: string | undefined;
  for (let i = runIndex + 1; i < end; i++) {
    const token = args[i]!;
    const eq = token.indexOf("=");
    const name = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    const known = (RUN_VALUE_FLAGS as readonly string[]).includes(name);
    if (known && eq > 0 && token.startsWith("--")) {
      flags.push([name, token.slice(eq + 1)]);
    } else if (known && i + 1 < end) {
      flags.push([name, args[++i]!]);
    } else if (known) {
      // thoth run takes "--" as the end of its flags: this one has no value.
      flagProblems.push({ flag: name, problem: "missing_value" });
    } else if (token === "-h" || token === "--help") {
      flagProblems.push({ flag: token, problem: "help" });
    } else if (!name.startsWith("-") || name === "-") {
      // thoth run would take this as the upstream command, and "--" as its argument.
      stray ??= token;
    } else {
      unknownFlags.push(name);
      const next = args[i + 1];
      if (eq < 0 && i + 1 < end && !next!.startsWith("-")) i++;
    }
  }
  const hasAgentId = flags.some(([name]) => name === "--agent-id");
  // deno running some other thoth.ts or mod.ts with a "run" argument is not thoth's.
  if (!hasAgentId && !namesThoth && !isSelf && !recorded) return doubt;
  if (dashIndex < 0) return notUnderstood('no "--" before the upstream command');
  if (stray !== undefined) {
    return notUnderstood(`${JSON.stringify(stray)} before "--" is not a flag`);
  }
  if (dashIndex + 1 >= args.length) return notUnderstood('nothing after "--": no upstream command');
  if (args[dashIndex + 1] === "") return notUnderstood('the upstream command after "--" is empty');
  return {
    kind: "wrapped",
    thothCommand: [command, ...args.slice(0, runIndex)],
    runIndex,
    dashIndex,
    flags,
    unknownFlags,
    flagProblems,
    upstream: args.slice(dashIndex + 1),
  };
}

/**
 * `cmd /c <thoth> …` (or `cmd.exe`, `/C`, `/k`): thoth started through the
 * Windows shell, a shape wrap-config never writes and cannot rewrite without
 * guessing how the shell splits the line. Not understood, with the fix: never
 * taken for a server without thoth (wrapping it again would nest a second
 * thoth), never for a governed one.
 */
function throughCmd(
  base: string,
  args: readonly string[],
  self: readonly string[],
  context: InvocationContext,
): NotUnderstood | undefined {
  if (base !== "cmd" && base !== "cmd.exe") return undefined;
  const [flag, line] = args;
  if (flag === undefined || !/^\/[ck]$/i.test(flag) || line === undefined) return undefined;
  const inner = /^\s*(?:"([^"]*)"|(\S+))/.exec(line);
  const program = inner?.[1] ?? inner?.[2];
  if (program === undefined) return undefined;
  const recorded = context.wrapRecord !== undefined &&
    recordedThothPath(context.wrapRecord) === program;
  if (!namesThothBinary(program) && self[0] !== program && !recorded) return undefined;
  return notUnderstood(
    `it starts thoth (${JSON.stringify(program)}) through "${base} ${flag}"; write thoth's ` +
      `absolute path as "command" and the words after it as "args" ("run [flags] -- ` +
      '<command>"), without the shell',
  );
}

/** Commands that start a command line or their arguments as another command. */
const LAUNCHERS: ReadonlySet<string> = new Set([
  "sh",
  "bash",
  "dash",
  "zsh",
  "ksh",
  "mksh",
  "ash",
  "yash",
  "posh",
  "fish",
  "csh",
  "tcsh",
  "busybox",
  "env",
  // Prefix commands that run their arguments as a command.
  "nice",
  "nohup",
  "sudo",
  "doas",
  "timeout",
  "stdbuf",
  "ionice",
  "chrt",
  "taskset",
  // PowerShell (-c, -Command): its line is split without POSIX backslash escapes.
  "pwsh",
  "powershell",
]);

/** Launchers whose command line is PowerShell's: a backslash is part of a path there. */
const POWERSHELLS: ReadonlySet<string> = new Set(["pwsh", "powershell"]);

/** Launchers that start a whole command line (a shell), named "the shell" in the fix. */
const PREFIXES: ReadonlySet<string> = new Set([
  "env",
  "nice",
  "nohup",
  "sudo",
  "doas",
  "timeout",
  "stdbuf",
  "ionice",
  "chrt",
  "taskset",
]);

/**
 * `sh -c "exec thoth run …"` (any shell in {@linkcode LAUNCHERS}, any flags),
 * `pwsh -c "thoth run …"`, `env [VAR=1…] thoth run …` or a prefix command
 * (`nice`, `nohup`, `sudo`, `doas`, `timeout`, `stdbuf`, `ionice`, `chrt`,
 * `taskset`) before thoth: thoth started through a program that starts it, a
 * shape wrap-config never writes. Conservative: a word that names thoth (its
 * binary name, this thoth's path or script, the path a `THOTH_WRAP` record
 * names, or a `thoth.ts` script) followed by `run`, with only options between
 * them (thoth's `--verbose`, and any other word starting with `-`), in the
 * arguments as they are or as a shell splits them, is taken for thoth started
 * there, even where the shell would not start it (`echo thoth run`): that
 * entry is shown as not understood, for a person to look at, rather than
 * wrapped around a thoth a second time. A word naming thoth followed by
 * anything else first (`cd /opt/thoth && docker run …`) is not.
 */
function throughLauncher(
  base: string,
  args: readonly string[],
  self: readonly string[],
  context: InvocationContext,
): NotUnderstood | undefined {
  const name = base.endsWith(".exe") ? base.slice(0, -4) : base;
  if (!LAUNCHERS.has(name)) return undefined;
  const recorded = context.wrapRecord === undefined
    ? undefined
    : recordedThothPath(context.wrapRecord);
  const script = self.length > 1 ? self[self.length - 1] : undefined;
  const namesThoth = (word: string) =>
    namesThothBinary(word) || THOTH_SCRIPT.test(word) || word === self[0] ||
    word === script || word === recorded;
  const launch = self.slice(1);
  // thoth's options ("thoth --verbose run") may stand between it and "run".
  const runAfter = (words: readonly string[], at: number) => {
    let i = at;
    while (i < words.length && words[i]!.startsWith("-") && words[i] !== "--") i++;
    return words[i] === "run";
  };
  const startsThoth = (words: readonly string[]) =>
    words.find((word, i) => {
      if (!namesThoth(word)) return false;
      // This thoth's own launch words (deno run … thoth.ts) may stand between it and "run".
      const skip = word === self[0] && launch.every((arg, j) => words[i + 1 + j] === arg)
        ? launch.length
        : 0;
      return runAfter(words, i + 1 + skip) || runAfter(words, i + 1);
    });
  const split = POWERSHELLS.has(name) ? powershellWords : shellWords;
  const program = startsThoth(args) ?? startsThoth(args.flatMap(split));
  if (program === undefined) return undefined;
  const through = JSON.stringify(name);
  const fix = name === "env"
    ? `without env, and the variables it sets in the entry's "env"`
    : PREFIXES.has(name)
    ? `without ${name}`
    : `without the shell`;
  return notUnderstood(
    `it starts thoth (${JSON.stringify(program)}) through ${through}, a shape wrap-config ` +
      "does not write and does not wrap again (that would start a second thoth); write " +
      `thoth's absolute path as "command" and the words after it as "args" ("run [flags] ` +
      `-- <command>"), ${fix}; if it does not start thoth, put thoth in front of it by hand ` +
      `("command": thoth's absolute path, "args": ["run", "--agent-id", NAME, "--", ${through}, …])`,
  );
}

/**
 * The words of a shell command line, roughly as a POSIX shell splits them:
 * quotes and backslashes are taken out, and blanks and the operators
 * `; & | ( ) < >` end a word; a backslash before a newline joins the lines
 * (`thoth \<newline> run` is `thoth run`). Expansions are left as they are.
 */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word = (word ?? "") + line.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && line[i + 1] === "\n") {
          i++;
          continue;
        }
        if (line[i] === "\\" && i + 1 < line.length && '$`"\\'.includes(line[i + 1]!)) i++;
        word += line[i];
      }
    } else if (c === "\\" && line[i + 1] === "\n") {
      // A line continuation: no character, and no end of word.
      i++;
    } else if (c === "\\") {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (/[\s;&|()<>]/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The words of a PowerShell command line, roughly: quotes are taken out (`''`
 * in single quotes and a backtick escape a character), and blanks and
 * `; & | ( ) { } < >` end a word. A backslash is part of a word (a Windows
 * path), unlike in {@linkcode shellWords}.
 */
function powershellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      word ??= "";
      for (i++; i < line.length; i++) {
        if (line[i] === "'" && line[i + 1] === "'") word += line[++i];
        else if (line[i] === "'") break;
        else word += line[i];
      }
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "`" && i + 1 < line.length) i++;
        word += line[i];
      }
    } else if (c === "`") {
      // A backtick before a newline continues the line; before anything else it escapes it.
      if (line[i + 1] === "\n" || line[i + 1] === "\r") {
        i += line[i + 1] === "\r" && line[i + 2] === "\n" ? 2 : 1;
      } else {
        word = (word ?? "") + (line[++i] ?? "");
      }
    } else if (/[\s;&|(){}<>]/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function notUnderstood(reason: string): NotUnderstood {
  return { kind: "not_understood", reason };
}
