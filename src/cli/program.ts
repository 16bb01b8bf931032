/**
 * Runs a commander program the thoth way. Shared by `thoth` and `thothctl`.
 *
 * - A command line the parser refuses exits 2 with the parser's message and a
 *   hint that names the command it reached: `run "thoth audit verify --help"`.
 * - An `AppError` prints its `error:`/`hint:` lines and exits with its code;
 *   anything else is an internal error (see `report_error.ts`).
 * - `--json` (before any `--`) asks for the failure on stdout too, as one line
 *   `{"ok":false,"error":{"code","message","hints","exitCode"}}`, for scripts
 *   that read stdout; stderr and the exit code stay the same. A command that
 *   documents its own JSON document for a failure (`wrap-config`) gets that
 *   one instead (see `json_failure_document.ts`). Left out when
 *   the command already wrote to stdout (its own JSON report: `audit verify`
 *   prints the report and exits 1 on tampering), and under a protocol command
 *   (`thoth run`), whose stdout belongs to the MCP client.
 * - A closed stdout (`thoth wrap-config | head -1`) ends the command quietly at
 *   the write that failed, with exit 141.
 * - Help reads as written: each paragraph of a description wrapped once, and
 *   one line per command in a list of commands (`help_layout.ts`).
 *
 * @example
 * ```ts
 * const code = await runProgram("thoth", program, args, io);
 * ```
 */
import { type Command, CommanderError } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { errorJson, type ErrorReport, formatError, formatReport } from "./report_error.ts";
import { looksLikeKey, showName, showValue } from "../identity/shown_env_value.ts";
import { fitToWidth, HELP_LAYOUT } from "./help_layout.ts";
import { deprecatedFlagHint } from "./deprecated_flag_hint.ts";
import { jsonFailureDocument } from "./json_failure_document.ts";

type AnyCommand = Command<unknown[], Record<string, unknown>>;

/** How one program runs. */
export interface RunProgramOptions {
  /**
   * Names of the root's subcommands whose stdout carries a protocol (`run`):
   * they never get a JSON error there.
   */
  protocolCommands?: readonly string[];
  /**
   * Commands another program holds (`thothctl doctor` is `thoth doctor`): an
   * unknown command named here gets a hint to run it there.
   */
  commandsElsewhere?: { program: string; commands: readonly string[] };
}

/** The width help is wrapped to: the terminal's when stdout is one, else 80. */
function helpWidth(): number {
  try {
    return Deno.stdout.isTerminal() ? Math.max(Deno.consoleSize().columns, 40) : 80;
  } catch {
    return 80;
  }
}

/** Applies thoth's output and error conventions to a command and its subcommands. */
export function configureCommand<C extends Command<unknown[], Record<string, unknown>>>(
  command: C,
  io: CliIo,
): C {
  command.exitOverride();
  // Help and the text a command adds after it are fitted to one width: the
  // terminal's, else 80.
  const width = helpWidth();
  command.configureOutput({
    writeOut: (text) => io.out(fitToWidth(text, width)),
    writeErr: (text) => io.err(fitToWidth(text, width)),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
    outputError: () => {/* printed by runProgram */},
  });
  command.showSuggestionAfterError(true);
  command.configureHelp({ ...command.configureHelp(), ...HELP_LAYOUT });
  for (const sub of command.commands) {
    configureCommand(sub as unknown as C, io);
  }
  return command;
}

/** Parses and runs; returns the process exit code. Never throws. */
export async function runProgram(
  name: string,
  program: AnyCommand,
  args: readonly string[],
  io: CliIo,
  options: RunProgramOptions = {},
): Promise<number> {
  const verbose = args.includes("--verbose");
  configureCommand(program, io);
  let reached: AnyCommand = program;
  followDispatch(program, (command) => {
    reached = command;
  });
  const stdout = watchStdout(io);
  try {
    await program.parseAsync([...args], { from: "user" });
    return io.exitCode;
  } catch (error) {
    let report: ErrorReport | undefined;
    let exitCode: number;
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return 0;
      }
      report = usageReport(name, error, reached, options.commandsElsewhere);
      exitCode = report.exitCode;
      tryWrite((text) => io.err(text), formatReport(name, report));
    } else {
      const formatted = formatError(name, error, verbose);
      report = formatted.report;
      exitCode = formatted.exitCode;
      tryWrite((text) => io.err(text), formatted.text);
    }
    const protocol = reached.parent === program &&
      (options.protocolCommands ?? []).includes(reached.name());
    if (report !== undefined && jsonRequested(args) && !protocol && !stdout.written()) {
      // A command with a documented failure document (wrap-config) gets it, else the generic line.
      const json = jsonFailureDocument(reached, report) ?? errorJson(report);
      tryWrite((text) => io.out(text), json);
    }
    return exitCode;
  } finally {
    stdout.restore();
  }
}

/** Whether `--json` is among the arguments, before a `--` that ends the options. */
function jsonRequested(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).includes("--json");
}

/** Tells `onDispatch` about every subcommand the parser goes into, deepest last. */
function followDispatch(command: AnyCommand, onDispatch: (command: AnyCommand) => void): void {
  if (command.commands.length === 0) return;
  command.hook("preSubcommand", (_parent, sub) => {
    onDispatch(sub as unknown as AnyCommand);
  });
  for (const sub of command.commands) followDispatch(sub as unknown as AnyCommand, onDispatch);
}

/**
 * Watches what the commands write to stdout during this run. The commands
 * hold `io` itself, so its `out` is wrapped in place until `restore`.
 */
function watchStdout(io: CliIo): { written(): boolean; restore(): void } {
  const out = io.out;
  let written = false;
  io.out = (text) => {
    if (text !== "") written = true;
    out.call(io, text);
  };
  return {
    written: () => written,
    restore: () => {
      io.out = out;
    },
  };
}

/**
 * The parser's refusal as a report: its first line is the message, a
 * suggestion ("Did you mean --bundle?") becomes a hint, and the last hint
 * names the help of the command it reached.
 */
function usageReport(
  name: string,
  error: CommanderError,
  reached: AnyCommand,
  elsewhere: RunProgramOptions["commandsElsewhere"],
): ErrorReport {
  const secret = SECRET_ARGUMENT_COMMANDS.has(commandPath(reached));
  const { code, message, hints } = usageParts(error.message, error.code, { secret });
  const unknown = error.code === "commander.unknownCommand"
    ? /^unknown command '([^']*)'/.exec(message)?.[1]
    : undefined;
  const there = unknown !== undefined && elsewhere?.commands.includes(unknown)
    ? [`"${unknown}" is a ${elsewhere.program} command: run "${elsewhere.program} ${unknown}"`]
    : [];
  return { code, message, hints: [...there, ...hints, helpHint(name, reached)], exitCode: 2 };
}

/**
 * A parser's message (`error: unknown option '--x'` with any suggestion on
 * the lines after it) and its code (`commander.unknownOption`) as a usage
 * error's code (`usage.unknown_option`), message and hints. An unknown
 * `--flag=value` may carry a secret (`--api-key=sk-…`): only its name is
 * shown; any other value the parser quotes (`'ghp_…'` as a choice or a
 * command) that looks like a key is shown by fingerprint, as a THOTH_*
 * variable's value would be.
 *
 * @example
 * ```ts
 * usageParts("error: unknown option '--api-key=sk-1'", "commander.unknownOption");
 * // { code: "usage.unknown_option", message: "unknown option '--api-key=…'", hints: [] }
 * ```
 */
export function usageParts(
  raw: string,
  code: string,
  options: { secret?: boolean } = {},
): { code: `usage.${string}`; message: string; hints: string[] } {
  const text = excessShown(raw.replace(/^error: /, ""), code, options.secret === true)
    .replace(/'(-{1,2}[^=' \n]+)=[\s\S]*'/, "'$1=…'")
    .replace(
      /'([^'\n]*)'/g,
      (quoted, value: string) => looksLikeKey(value) ? showName(value) : quoted,
    );
  const [message = "", ...rest] = text.split("\n");
  const hints = rest
    .map((line) => line.trim().replace(/^\((.*)\)$/, "$1"))
    .filter((line) => line !== "")
    .map((line) => line.charAt(0).toLowerCase() + line.slice(1));
  // A deprecated flag (`--enforcer-url`) given where it is not taken: why it is gone.
  const flag = code === "commander.unknownOption"
    ? /^unknown option '(-{1,2}[^=']+)/.exec(message)?.[1]
    : undefined;
  const deprecated = flag === undefined ? undefined : deprecatedFlagHint(flag);
  if (deprecated !== undefined) hints.unshift(deprecated);
  const failure = code.replace(/^commander\./, "")
    .replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return { code: `usage.${failure}`, message, hints };
}

/**
 * The commands whose extra arguments may be a piece of a secret (`thoth
 * set-api-key --api-key aten_… a8Kd…`, a key with a space in it, split in
 * two by the shell): they are counted, never shown.
 */
const SECRET_ARGUMENT_COMMANDS: ReadonlySet<string> = new Set(["set-api-key", "auth login"]);

/** The names from the root's subcommand down to `command` (`auth login`). */
function commandPath(command: AnyCommand): string {
  const path: string[] = [];
  for (let at: AnyCommand | null = command; at?.parent; at = at.parent as AnyCommand | null) {
    path.unshift(at.name());
  }
  return path.join(" ");
}

/**
 * The parser's `too many arguments … but got 2: a, b.` with each excess
 * argument shown as {@linkcode showValue} shows a value: by fingerprint when
 * it looks like a key or token (`thoth audit verify sk_live_…`), a URL
 * without its user, password and query; any other argument as given. When
 * the list cannot be split back into its arguments (one holds `, `), it is
 * shown as one value. Under a command that takes a secret (`secret`:
 * `set-api-key`, `auth login`), where any extra argument may be the rest of
 * a key the shell split at a space, none is shown: only how many there were.
 * A line a command adds after the message (a hint) shows an excess argument
 * the same way.
 */
function excessShown(message: string, code: string, secret: boolean): string {
  if (code !== "commander.excessArguments") return message;
  const [first = "", ...after] = message.split("\n");
  const match = /^(.*? but got (\d+): )(.*)\.$/.exec(first);
  const details = match?.[3];
  const parts = details?.split(", ") ?? [];
  const args = parts.length === Number(match?.[2]) ? parts : details === undefined ? [] : [details];
  const shownArg = (arg: string) => {
    if (secret) return "(an extra argument, not shown)";
    const value = showValue(arg);
    return value === JSON.stringify(arg) ? arg : value;
  };
  // Longest first: an argument that holds another is replaced whole.
  const rest = after.map((line) =>
    [...args].sort((a, b) => b.length - a.length).reduce(
      (text, arg) => arg === "" ? text : text.replaceAll(arg, shownArg(arg)),
      line,
    )
  );
  if (secret) {
    const head = match?.[1]?.slice(0, -2) ?? "too many arguments";
    return [
      `${head} (not shown: here an extra argument may be part of a key or token that the ` +
      "shell split at a space; quote such a value).",
      ...rest,
    ].join("\n");
  }
  if (match === null) return message;
  return [`${match[1]}${args.map(shownArg).join(", ")}.`, ...rest].join("\n");
}

/** `run "thoth audit verify --help" …`, with the name this program was run as. */
function helpHint(name: string, command: AnyCommand): string {
  const path: string[] = [];
  for (let at: AnyCommand | null = command; at?.parent; at = at.parent as AnyCommand | null) {
    path.unshift(at.name());
  }
  const what = command.commands.length > 0 ? "the commands and flags" : "its usage";
  return `run "${[name, ...path, "--help"].join(" ")}" to see ${what}`;
}

/** Writes, or drops the text when the stream is gone: there is nowhere left to report that. */
function tryWrite(write: (text: string) => void, text: string): void {
  if (text === "") return;
  try {
    write(text);
  } catch {
    // Nowhere left to say it.
  }
}
