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
 * command a variable or a command substitution chooses when the server
 * starts (`"command": "${THOTH:-thoth}"`, `sh -c '"${THOTH:-thoth}" run …'`,
 * `$THOTH run … -- npx`, `"$(command -v thoth)" run …`, `` `which thoth`
 * run … ``, PowerShell's `& ${env:THOTH} run …` and `& (Get-Command
 * thoth).Source run …`, bash's `${!T} run …`, `thoth${IFS}run …`) where its
 * default or the substitution's text names thoth or the words after it are
 * `run … -- <command>`, unless a literal last path segment names another
 * program (`$HOME/bin/server run -- x` starts `server`: not thoth's); zsh's
 * `=thoth run …` is thoth; a `$'…'` word in command position that cannot be decoded
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
import { recordedThothPath, WRAP_RECORD_KEY } from "./wrap_record.ts";
import { namesThothBinary } from "./thoth_names.ts";
import { cmdSwitchesEnd, LAUNCHERS } from "./launcher_specs.ts";
import { PREFIX_SPECS } from "./prefix_command_specs.ts";
import { describeDoubt, describeVariableCommand } from "./invocation_doubt.ts";
import { CommandReader } from "./command_reader.ts";
import { TooDeepToRead } from "./too_deep_to_read.ts";

// Defined with the other thoth names; wrap-config and unwrap-config import it from here.
export { namesThothBinary };

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
    if (doubt !== undefined) return doubt;
    const variable = describeVariableCommand(
      command,
      args,
      (word) =>
        namesThothBinary(word) || word === self[0] ||
        (context.wrapRecord !== undefined && recordedThothPath(context.wrapRecord) === word),
    );
    return variable === undefined ? undefined : notUnderstood(variable);
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

function notUnderstood(reason: string): NotUnderstood {
  return { kind: "not_understood", reason };
}
