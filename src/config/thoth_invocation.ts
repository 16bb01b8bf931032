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
 * `cmd.exe /C …`, `cmd /d /s /c "…"`, `cmd /c call thoth run …`, `cmd /c
 * "@thoth run …"`), through a POSIX shell (`sh -c "exec thoth run …"`, also
 * `bash`, `zsh`, `dash`, `-lc`, `busybox sh`, and `sh -c 'exec "$@"' _ thoth
 * run …`), through `env` (`env thoth run …`, `env VAR=1 thoth run …`, `env
 * -S "thoth run" -- …`) or through a prefix command (`nice`, `sudo`,
 * `setsid`, `su -c`, `wsl`, `xargs`, …): wrapping it would nest a second
 * thoth. So is a launcher's command line nested too deeply to read (`sh -c
 * "eval eval … npx"`): thoth cannot tell whether it starts thoth. So is a
 * command a variable chooses when the server starts (`"command":
 * "${THOTH:-thoth}"`, `sh -c '"${THOTH:-thoth}" run …'`, `$THOTH run … --
 * npx`) where its default names thoth or the words after it are `run … --
 * <command>`; a `$'…'` word in command position that cannot be decoded
 * exactly (`$'\u00e9…'`: the shell's locale decides); and a path naming
 * thoth left unquoted in a `cmd /c` line (`C:\Program Files\thoth\thoth.exe
 * run …`: cmd runs `C:\Program`, and thoth does not start). `$'…'` is
 * decoded as bash does (`bash -c "$'thoth' run …"` starts thoth). A word
 * naming thoth followed by `run` counts only where a command stands: the
 * first word of the arguments or of a command in the line the shell runs
 * (split into words and commands as a shell would, roughly), or after a
 * launcher and its options (the command, never its own options); never an
 * option's value or a later argument, so `sh -c "uv --directory /opt/thoth
 * run server.py"`, `sh -c "cd /opt/thoth && npx foo"` and `sh -c "echo thoth
 * run"` are not thoth's.
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
import { decodeAnsiC, UNKNOWN_PART } from "./ansi_c_quoting.ts";
import { expandedCommand } from "./expanded_command.ts";
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
  const shell = throughShell(base, args, self, context);
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
  if (runIndex < 0) {
    return doubt ??
      variableCommand(command, args, (word) =>
        namesThothBinary(word) || word === self[0] ||
        (context.wrapRecord !== undefined && recordedThothPath(context.wrapRecord) === word));
  }
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
 * thoth started through `cmd /c` or a launcher ({@linkcode throughCmd},
 * {@linkcode throughLauncher}). A command line nested deeper than the reader
 * follows (`sh -c "eval eval … npx"`, `cmd /c start start …`) is not
 * understood: thoth cannot tell whether it starts thoth, so it neither counts
 * it as governed nor wraps it (fail closed), and other servers are still read.
 */
function throughShell(
  base: string,
  args: readonly string[],
  self: readonly string[],
  context: InvocationContext,
): NotUnderstood | undefined {
  const name = base.endsWith(".exe") ? base.slice(0, -4) : base;
  const reader = new CommandReader(self, context, args);
  try {
    const found = throughCmd(base, args, reader) ?? throughLauncher(base, args, reader);
    const doubt = reader.doubt;
    if (found !== undefined || doubt === undefined) return found;
    return notUnderstood(describeDoubt(doubt, JSON.stringify(name)));
  } catch (error) {
    // RangeError: a nesting the depth limit did not catch still ran out of stack.
    if (!(error instanceof TooDeepToRead) && !(error instanceof RangeError)) throw error;
    return notUnderstood(
      `its command line through ${JSON.stringify(name)} is too deeply nested to read ` +
        "(commands started inside one another, or a line read again too many times), so " +
        "thoth cannot tell whether it starts thoth; write the server's own command without " +
        'the nesting, or put thoth in front of it by hand ("command": thoth\'s absolute ' +
        `path, "args": ["run", "--agent-id", NAME, "--", ${JSON.stringify(name)}, …])`,
    );
  }
}

/**
 * `cmd /c <thoth> …` (or `cmd.exe`, `/C`, `/k`, with cmd's own switches
 * before it: `cmd /d /s /c "…"`, the way Node and npm start it): thoth
 * started through the Windows shell, a shape wrap-config never writes and
 * cannot rewrite without guessing how the shell splits the line. Not
 * understood, with the fix: never taken for a server without thoth (wrapping
 * it again would nest a second thoth), never for a governed one.
 */
function throughCmd(
  base: string,
  args: readonly string[],
  reader: CommandReader,
): NotUnderstood | undefined {
  if (base !== "cmd" && base !== "cmd.exe") return undefined;
  const at = cmdSwitchesEnd(args, 0);
  const flag = args[at];
  if (flag === undefined || !/^\/[ck]$/i.test(flag)) return undefined;
  const program = reader.cmdLine(args.slice(at + 1));
  if (program === undefined) return undefined;
  return notUnderstood(
    `it starts thoth (${JSON.stringify(program)}) through "${base} ${flag}"; write thoth's ` +
      `absolute path as "command" and the words after it as "args" ("run [flags] -- ` +
      '<command>"), without the shell',
  );
}

/** The index of the first word after cmd's own switches (`/d`, `/s`, `/q`, `/e:on`, …). */
function cmdSwitchesEnd(words: readonly string[], at: number): number {
  let i = at;
  while (i < words.length && /^\/(?:[dqsauxy]|[eftv]:\S*)$/i.test(words[i]!)) i++;
  return i;
}

/** POSIX shells: `-c` makes the first operand the command line they run. */
const SHELLS: ReadonlySet<string> = new Set([
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
]);

/** PowerShell (-c, -Command): its line is split without POSIX backslash escapes. */
const POWERSHELLS: ReadonlySet<string> = new Set(["pwsh", "powershell"]);

/** How a launcher reads its own options before the command it starts. */
interface LauncherSpec {
  /**
   * Options that take no value (`sudo -E`, `setsid -w`; a cluster of them,
   * `caffeinate -dimsu`), and words before the command that are not options
   * (`wsl ~`). The next word is not theirs.
   */
  readonly flags?: readonly string[];
  /** Options whose value is the next word, or attached (`-uSVC`, `-o0`, `--user=svc`). */
  readonly values?: readonly string[];
  /** Options whose value is a command line a shell runs (`su -c LINE`, `flock -c LINE`). */
  readonly lines?: readonly string[];
  /**
   * Options whose value is split into words that take its place, before the
   * words after it (`env -S "thoth run" -- npx`: `thoth run -- npx`).
   */
  readonly splits?: readonly string[];
  /** Options after which the remaining words are the command (`wsl -e`). */
  readonly execs?: readonly string[];
  /** Words before the command that are not options (timeout's duration, flock's file). */
  readonly operands?: number;
  /** Options are whole words only (`arch -arm64`), never clusters of letters. */
  readonly wholeWords?: boolean;
  /**
   * What the words after the options are: a command (the default), a command
   * line joined from them (`wsl thoth run`), or nothing that starts (`su`:
   * only its `-c` line does).
   */
  readonly rest?: "command" | "line" | "none";
}

/**
 * Commands that start their arguments as another command (prefix commands),
 * with their options: a word is read as the command only where it stands
 * after them. An option not listed is read both ways: as a flag (the next
 * word is the command) and as taking the next word as its value (the word
 * after is the command, with only listed options between), so a missing
 * entry errs towards asking without reading the server's own options as the
 * launcher's (`sudo -Q uv --directory /opt/thoth run`).
 */
const PREFIX_SPECS: Readonly<Record<string, LauncherSpec>> = {
  env: {
    flags: [
      "-i",
      "--ignore-environment",
      "-0",
      "--null",
      "-v",
      "--debug",
      "--ignore-signal",
      "--default-signal",
      "--block-signal",
      "--list-signal-handling",
    ],
    values: ["-u", "--unset", "-C", "--chdir", "-P", "-a", "--argv0"],
    splits: ["-S", "--split-string"],
  },
  nice: { values: ["-n", "--adjustment"] },
  nohup: {},
  sudo: {
    flags: [
      "-A",
      "--askpass",
      "-B",
      "--bell",
      "-b",
      "--background",
      "-E",
      "--preserve-env",
      "-H",
      "--set-home",
      "-i",
      "--login",
      "-K",
      "--remove-timestamp",
      "-k",
      "--reset-timestamp",
      "-N",
      "--no-update",
      "-n",
      "--non-interactive",
      "-P",
      "--preserve-groups",
      "-S",
      "--stdin",
      "-s",
      "--shell",
    ],
    values: [
      "-u",
      "--user",
      "-g",
      "--group",
      "-C",
      "--close-from",
      "-D",
      "--chdir",
      "-p",
      "--prompt",
      "-r",
      "--role",
      "-t",
      "--type",
      "-T",
      "--command-timeout",
      "-U",
      "--other-user",
      "-R",
      "--chroot",
      "--host",
    ],
  },
  doas: { flags: ["-n", "-s"], values: ["-u", "-C"] },
  timeout: {
    flags: ["--foreground", "--preserve-status", "-v", "--verbose"],
    values: ["-k", "--kill-after", "-s", "--signal"],
    operands: 1,
  },
  stdbuf: { values: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  ionice: {
    flags: ["-t", "--ignore"],
    values: ["-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"],
  },
  chrt: {
    flags: [
      "-a",
      "--all-tasks",
      "-b",
      "--batch",
      "-d",
      "--deadline",
      "-f",
      "--fifo",
      "-i",
      "--idle",
      "-o",
      "--other",
      "-r",
      "--rr",
      "-R",
      "--reset-on-fork",
      "-v",
      "--verbose",
    ],
    values: ["-T", "--sched-runtime", "-P", "--sched-period", "-D", "--sched-deadline"],
    operands: 1,
  },
  taskset: { flags: ["-a", "--all-tasks", "-c", "--cpu-list"], operands: 1 },
  setsid: { flags: ["-c", "--ctty", "-f", "--fork", "-w", "--wait"] },
  runuser: {
    flags: ["-l", "--login", "-m", "-p", "--preserve-environment", "-P", "--pty", "-f", "--fast"],
    values: [
      "-u",
      "--user",
      "-g",
      "--group",
      "-G",
      "--supp-group",
      "-s",
      "--shell",
      "-w",
      "--whitelist-environment",
    ],
    lines: ["-c", "--command", "--session-command"],
  },
  su: {
    flags: ["-l", "--login", "-m", "-p", "--preserve-environment", "-P", "--pty", "-f", "--fast"],
    values: [
      "-s",
      "--shell",
      "-g",
      "--group",
      "-G",
      "--supp-group",
      "-w",
      "--whitelist-environment",
    ],
    lines: ["-c", "--command", "--session-command"],
    operands: Infinity,
    rest: "none",
  },
  arch: {
    flags: ["-32", "-64", "-c", "-i386", "-x86_64", "-x86_64h", "-arm64", "-arm64e"],
    values: ["-arch", "-e", "-d"],
    wholeWords: true,
  },
  caffeinate: { flags: ["-d", "-i", "-m", "-s", "-u"], values: ["-t", "-w"] },
  wsl: {
    flags: ["~", "--system"],
    values: ["-d", "--distribution", "--distribution-id", "-u", "--user", "--cd", "--shell-type"],
    execs: ["-e", "--exec"],
    rest: "line",
  },
  flock: {
    flags: [
      "-s",
      "--shared",
      "-x",
      "-e",
      "--exclusive",
      "-u",
      "--unlock",
      "-n",
      "--nb",
      "--nonblock",
      "-o",
      "--close",
      "-F",
      "--no-fork",
      "--verbose",
    ],
    values: ["-w", "--wait", "--timeout", "-E", "--conflict-exit-code"],
    lines: ["-c", "--command"],
    operands: 1,
  },
  time: {
    flags: ["-p", "--portability", "-v", "--verbose", "-a", "--append", "-q", "--quiet"],
    values: ["-o", "--output", "-f", "--format"],
  },
  command: { flags: ["-p"] },
  xargs: {
    flags: [
      "-0",
      "--null",
      "-r",
      "--no-run-if-empty",
      "-t",
      "--verbose",
      "-p",
      "--interactive",
      "-x",
      "--exit",
      "-o",
      "--open-tty",
    ],
    values: [
      "-a",
      "--arg-file",
      "-d",
      "--delimiter",
      "-E",
      "-I",
      "-L",
      "--max-lines",
      "-n",
      "--max-args",
      "-P",
      "--max-procs",
      "-s",
      "--max-chars",
      "--process-slot-var",
    ],
  },
  "systemd-run": {
    flags: [
      "--user",
      "--system",
      "--scope",
      "--no-ask-password",
      "--no-block",
      "--wait",
      "--slice-inherit",
      "--send-sighup",
      "--ignore-failure",
      "-G",
      "--collect",
      "-d",
      "--same-dir",
      "-P",
      "--pipe",
      "-q",
      "--quiet",
      "-r",
      "--remain-after-exit",
      "-S",
      "--shell",
      "-t",
      "--pty",
      "--verbose",
    ],
    values: [
      "-u",
      "--unit",
      "-p",
      "--property",
      "-H",
      "--host",
      "-M",
      "--machine",
      "--description",
      "--slice",
      "--service-type",
      "--uid",
      "--gid",
      "--nice",
      "--working-directory",
      "-E",
      "--setenv",
      "--on-active",
      "--on-boot",
      "--on-startup",
      "--on-unit-active",
      "--on-unit-inactive",
      "--on-calendar",
      "--timer-property",
      "--path-property",
      "--socket-property",
      "--json",
    ],
  },
  busybox: {},
};

/** `runuser` without `-u`: like `su`, a user and options; only its `-c` line starts a command. */
const RUNUSER_AS_SU: LauncherSpec = {
  ...PREFIX_SPECS["su"]!,
  values: PREFIX_SPECS["runuser"]!.values!,
};

/** Commands a wrapped entry may start thoth through: shells, PowerShell and prefix commands. */
const LAUNCHERS: ReadonlySet<string> = new Set([
  ...SHELLS,
  ...POWERSHELLS,
  ...Object.keys(PREFIX_SPECS),
]);

/** Shell words after which a command stands (`if thoth run; then …`, `! thoth run`). */
const SHELL_KEYWORDS: ReadonlySet<string> = new Set([
  "!",
  "{",
  "}",
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "builtin",
  "coproc",
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * How much the reader reads before it gives up and asks (fail closed): the
 * characters of every command line it splits (again: `eval`, `sh -c`, `cmd
 * /c` inside one another), and every command and launcher word it looks at,
 * beyond four times the length of the entry's own arguments.
 */
const READ_BUDGET = 1_000_000;

/** How many commands started inside one another the reader follows (`sudo nice sh -c "exec thoth …"` is 4). */
const MAX_DEPTH = 64;

/** The reader gave up: the line is nested deeper, or read again more, than it follows. */
class TooDeepToRead extends Error {
  constructor() {
    super("a command line too deeply nested to read");
    this.name = "TooDeepToRead";
  }
}

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
class CommandReader {
  #budget: number;
  #depth = 0;
  /** What {@linkcode commandAt} found for each list of words and index: `start start …` reads each once. */
  readonly #found = new WeakMap<readonly string[], Map<number, string | undefined>>();
  readonly #namesThoth: (word: string) => boolean;
  readonly #script: string | undefined;
  /** Whether a `$'…'` string read so far could not be decoded exactly. */
  #inexact = false;
  #doubt: Doubt | undefined;

  constructor(
    readonly self: readonly string[],
    context: InvocationContext,
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
    if (this.#namesThoth(word) && this.#startsRun(words, i)) return word;
    if (this.#inexact && word.includes(UNKNOWN_PART)) {
      this.#doubt ??= { kind: "inexact", word };
      return undefined;
    }
    const variable = expandedCommand(word);
    if (variable !== undefined) {
      this.#charge(words.length - i);
      const why = meantForThoth(variable, words, i + 1, this.#namesThoth);
      if (why !== undefined) this.#doubt ??= { kind: "variable", word, name: variable.name, why };
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
    const quoted = words.map((word) =>
      /^$|\s/.test(word) && !word.includes('"') ? `"${word}"` : word
    );
    const lines = new Set<string>();
    for (const line of [quoted.join(" "), words.join(" ")]) {
      lines.add(line);
      const trimmed = line.trim();
      if (trimmed.startsWith('"') && trimmed.lastIndexOf('"') > 0) {
        const last = trimmed.lastIndexOf('"');
        lines.add(trimmed.slice(1, last) + trimmed.slice(last + 1));
      }
    }
    for (const each of lines) {
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

  /**
   * A cmd command whose first words, joined at blanks, are a path naming
   * thoth followed by `run` (`C:\Program Files\thoth\thoth.exe run …`
   * unquoted): cmd ends the command's name at the first blank and runs
   * `C:\Program`, so thoth does not start. Kept as a doubt. Only words cut
   * from a path count: the first starts a path and is no program of its own
   * (`C:\Program`, not `…\server.exe`), and none is an option or has a
   * blank in it (a quoted word). At most {@linkcode MAX_PATH_WORDS} words
   * and {@linkcode MAX_PATH_CHARS} characters are joined: the cost stays
   * linear in the line.
   */
  #unquotedBlank(words: readonly string[]): void {
    const first = words[0] ?? "";
    // The start of a path cmd cut at a blank ("C:\Program"), never a whole program ("…\server.exe").
    if (
      this.#doubt !== undefined || /\s/.test(first) || !/[\\/]|^[A-Za-z]:/.test(first) ||
      /\.(exe|com|bat|cmd)$/i.test(first)
    ) {
      return;
    }
    let path = first;
    const last = Math.min(words.length, MAX_PATH_WORDS);
    for (let k = 1; k < last && path.length <= MAX_PATH_CHARS; k++) {
      // A word cmd did not cut from the path: quoted (a blank in it), or an option.
      if (/\s|^[-/]/.test(words[k]!)) return;
      path += ` ${words[k]}`;
      if (this.#namesThoth(path) && runAfter(words, k + 1)) {
        this.#doubt = { kind: "split", path, first: words[0]! };
        return;
      }
    }
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
    const given = words.slice(i + 1);
    const filled = text.replace(POSITIONAL, (ref, ...names: (string | undefined)[]) => {
      const name = names.slice(0, 4).find((each) => each !== undefined)!;
      const word = given[Number(name)];
      const put = name === "@" || name === "*"
        ? given.slice(1).map(singleQuoted).join(" ")
        : word === undefined
        ? ref
        : singleQuoted(word);
      // "$@" many times over many words: charged as it grows, not after.
      this.#charge(put.length);
      return put;
    });
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

/** How many words of a cmd command {@linkcode CommandReader} joins to look for a path with blanks. */
const MAX_PATH_WORDS = 16;

/** The longest path with blanks it looks for (Windows' longest path). */
const MAX_PATH_CHARS = 32_767;

/**
 * A command that may start thoth, though thoth cannot tell for sure:
 * `variable`, a parameter expansion whose value is chosen when the server
 * starts (`"${THOTH:-thoth}" run …`); `inexact`, a `$'…'` word not decoded
 * exactly; `split`, a path with a blank cmd splits (`C:\Program Files\…`).
 */
type Doubt =
  | { kind: "variable"; word: string; name: string; why: string }
  | { kind: "inexact"; word: string }
  | { kind: "split"; path: string; first: string };

const PLAIN_FIX = 'write thoth\'s absolute path plainly as "command" and the words after it as ' +
  '"args" ("run [flags] -- <command>")';

/** Why a {@linkcode Doubt} is not understood, and the fix; `through` names the launcher. */
function describeDoubt(doubt: Doubt, through: string): string {
  if (doubt.kind === "variable") {
    return `its command line through ${through} starts ${JSON.stringify(doubt.word)} ` +
      `(${doubt.why}): the command is chosen by the variable ${doubt.name} when the server ` +
      "starts, which the config does not show, so thoth cannot tell whether it starts thoth; " +
      `if it does, ${PLAIN_FIX}, without the variable and the shell; if it does not, write ` +
      'the server\'s own command plainly and run "thoth wrap-config"';
  }
  if (doubt.kind === "inexact") {
    return `its command line through ${through} starts a $'…' word thoth cannot decode ` +
      `exactly (${JSON.stringify(doubt.word)}: a \\u beyond ASCII, bytes that are not ` +
      "UTF-8, or a NUL, which the shell's locale or the shell itself decides), so thoth " +
      "cannot tell whether it starts thoth; write that word without $'…' quoting, or, if it " +
      `is thoth, ${PLAIN_FIX}, without the shell`;
  }
  return `its command line through ${through} would start thoth at ` +
    `${JSON.stringify(doubt.path)}, but the path is not quoted: cmd ends the command's name ` +
    `at the first blank and runs ${JSON.stringify(doubt.first)}, so thoth does not start; ` +
    `quote the path (${JSON.stringify(`"${doubt.path}" run …`)}), or better ${PLAIN_FIX}, ` +
    "without the shell";
}

/**
 * Why a command chosen by a variable seems meant to be thoth: a default that
 * names thoth, or the words after it in thoth run's shape (`run`, maybe
 * flags, `--` and a command). Undefined when nothing says so.
 */
function meantForThoth(
  variable: { values: readonly string[] },
  words: readonly string[],
  at: number,
  namesThoth: (word: string) => boolean,
): string | undefined {
  const named = variable.values.find(namesThoth);
  if (named !== undefined) return `its default names thoth: ${JSON.stringify(named)}`;
  if (!runAfter(words, at)) return undefined;
  const run = words.indexOf("run", at);
  const dash = words.indexOf("--", run + 1);
  return dash > run && dash + 1 < words.length
    ? 'the words after it are thoth run\'s: "run … -- <command>"'
    : undefined;
}

/**
 * A top-level command given as a variable (`"command": "${THOTH:-thoth}"`:
 * some clients expand it when they start the server, others run the word
 * as it stands) that seems meant to be thoth: not understood, with the fix.
 */
function variableCommand(
  command: string,
  args: readonly string[],
  namesThoth: (word: string) => boolean,
): NotUnderstood | undefined {
  const variable = expandedCommand(command);
  if (variable === undefined) return undefined;
  const why = meantForThoth(variable, args, 0, namesThoth);
  if (why === undefined) return undefined;
  return notUnderstood(
    `its command ${JSON.stringify(command)} (${why}) is chosen by the variable ` +
      `${variable.name} when the server starts, which the config does not show, so thoth ` +
      `cannot tell whether it starts thoth; if it does, ${PLAIN_FIX}, without the variable; ` +
      'if it does not, write the server\'s own command plainly and run "thoth wrap-config"',
  );
}

/** `runuser -u USER -- command` starts a command; `runuser USER -c LINE` only a line, as `su`. */
function launcherSpec(name: string, words: readonly string[], at: number): LauncherSpec {
  if (name !== "runuser") return PREFIX_SPECS[name]!;
  const given = words.slice(at).some((word) => /^(-u|--user)$|^--user=|^-[A-Za-z]*u/.test(word));
  return given ? PREFIX_SPECS["runuser"]! : RUNUSER_AS_SU;
}

/** PowerShell options that take the next word. */
const POWERSHELL_VALUES: ReadonlySet<string> = new Set([
  "ex",
  "ep",
  "executionpolicy",
  "config",
  "configurationname",
  "wd",
  "workingdirectory",
  "inp",
  "if",
  "inputformat",
  "o",
  "of",
  "outputformat",
  "w",
  "windowstyle",
  "e",
  "ec",
  "encodedcommand",
  "ea",
  "encodedarguments",
  "psconsolefile",
  "v",
  "version",
  "settingsfile",
  "custompipename",
]);

/** `exec [-cl] [-a NAME] command …` in a shell line. */
const EXEC_SPEC: LauncherSpec = { flags: ["-c", "-l"], values: ["-a"] };

/** One option of a prefix command, as its spec reads it. */
type ReadOption =
  | { kind: "value" | "line" | "split"; value?: string }
  | { kind: "exec" | "flag" | "unknown" };

function readOption(spec: LauncherSpec, word: string): ReadOption {
  const has = (list: readonly string[] | undefined, name: string) => list?.includes(name) === true;
  if (has(spec.execs, word)) return { kind: "exec" };
  if (word.startsWith("--") || spec.wholeWords === true) {
    const eq = word.indexOf("=");
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? {} : { value: word.slice(eq + 1) };
    if (has(spec.lines, name)) return { kind: "line", ...value };
    if (has(spec.splits, name)) return { kind: "split", ...value };
    if (has(spec.values, name)) return { kind: "value", ...value };
    // "--preserve-env=LIST": a flag whose value, if any, is in the word.
    return has(spec.flags, name) ? { kind: "flag" } : { kind: "unknown" };
  }
  // A cluster of short options: "-Eu svc", "-o0", "-c3", "-dimsu".
  let unknown = false;
  for (let j = 1; j < word.length; j++) {
    const name = `-${word[j]}`;
    const rest = word.slice(j + 1);
    const value = rest === "" ? {} : { value: rest };
    if (has(spec.execs, name) && rest === "") return { kind: "exec" };
    if (has(spec.lines, name)) return { kind: "line", ...value };
    if (has(spec.splits, name)) return { kind: "split", ...value };
    if (has(spec.values, name)) return { kind: "value", ...value };
    if (!has(spec.flags, name)) unknown = true;
  }
  return unknown ? { kind: "unknown" } : { kind: "flag" };
}

/** A cmd command without its leading `@` (echo off) and `call`s: `@call thoth run` runs thoth. */
function cmdCommand(words: readonly string[]): string[] {
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
const POSITIONAL = /"\$(?:\{([\d@*])\}|([\d@*]))"|\$(?:\{([\d@*])\}|([\d@*]))/g;

/** `word` as one single-quoted shell word. */
function singleQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Whether `run` comes at `at`, with only thoth's options (words starting with `-`) before it. */
function runAfter(words: readonly string[], at: number): boolean {
  let i = at;
  while (i < words.length && words[i]!.startsWith("-") && words[i] !== "--") i++;
  return words[i] === "run";
}

/**
 * `sh -c "exec thoth run …"` (any shell in {@linkcode SHELLS}, any flags),
 * `pwsh -c "thoth run …"`, `env [VAR=1…] thoth run …` or a prefix command
 * (`nice`, `nohup`, `sudo`, `doas`, `timeout`, `stdbuf`, `ionice`, `chrt`,
 * `taskset`, `setsid`, `runuser`, `su -c`, `arch`, `caffeinate`, `wsl`,
 * `flock`, `time`, `command`, `xargs`, `systemd-run`, `busybox`) before
 * thoth: thoth started through a program that starts it, a shape
 * wrap-config never writes. A word counts as thoth (its binary name, this
 * thoth's path or script, the path a `THOTH_WRAP` record names, or a
 * `thoth.ts` script) only where a command stands (see
 * {@linkcode CommandReader}), followed by `run` with only options between
 * (thoth's `--verbose`); that entry is shown as not understood, for a person
 * to look at, rather than wrapped around a thoth a second time. A word
 * naming thoth elsewhere (`cd /opt/thoth && docker run …`, `uv --directory
 * /opt/thoth run server.py`, `echo thoth run`) is not.
 */
function throughLauncher(
  base: string,
  args: readonly string[],
  reader: CommandReader,
): NotUnderstood | undefined {
  const name = base.endsWith(".exe") ? base.slice(0, -4) : base;
  if (!LAUNCHERS.has(name)) return undefined;
  const program = reader.commandAt([name, ...args], 0);
  if (program === undefined) return undefined;
  const through = JSON.stringify(name);
  const fix = name === "env"
    ? `without env, and the variables it sets in the entry's "env"`
    : name in PREFIX_SPECS && name !== "busybox"
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
function shellCommands(line: string, onInexact?: () => void): string[][] {
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
function powershellCommands(line: string): string[][] {
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
function cmdCommands(line: string): string[][] {
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

function notUnderstood(reason: string): NotUnderstood {
  return { kind: "not_understood", reason };
}
