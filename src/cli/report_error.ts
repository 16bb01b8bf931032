/**
 * Turns any thrown value into what a person or a script sees.
 *
 * On stderr: one `thoth: error: …` line, then `thoth: hint: …` lines. Never
 * a stack trace, unless `--verbose` asked for one. For a command given
 * `--json` (see `program.ts`), the same report as one line of JSON:
 *
 * ```json
 * {"ok":false,"error":{"code":"policy.invalid","message":"…","hints":["…"],"exitCode":1}}
 * ```
 *
 * `code` is the {@linkcode AppError}'s code, `usage.*` for a command line
 * the parser refused, or `internal.error`; `exitCode` is the process's exit
 * code. Both renderings clean every message and hint the same way: control
 * characters (escape sequences, line breaks) and bidirectional overrides
 * become `?`, so a value quoted in a message cannot drive the terminal or fake
 * extra lines.
 *
 * A closed standard output ({@linkcode StdoutClosedError}: the reader of a
 * pipe went away) is not an error: nothing is printed (a one-line note with
 * `--verbose`) and the exit code is 141, what a shell shows for a writer that
 * SIGPIPE ended. The process stops at the write that failed, as such a writer
 * would, and not later: a command that goes on after its reader left could
 * act on input nobody saw the question for (`approvals watch`).
 *
 * @example
 * ```ts
 * const { text, exitCode } = formatError("thoth", new AppError("policy.invalid", "bad"), false);
 * ```
 */
import { AppError } from "../errors.ts";
import { displayText } from "../approval/display_text.ts";
import { type CliIo, StdoutClosedError } from "./cli_io.ts";
import { packagesNotCached } from "../platform/packages_not_cached.ts";
import { notPermittedError } from "./not_permitted_error.ts";

/** The exit code after the reader of standard output went away: 128 + SIGPIPE (13). */
export const STDOUT_CLOSED_EXIT_CODE = 141;

/** What a failure says, before it is cleaned and printed. */
export interface ErrorReport {
  /** An {@linkcode AppError} code, `usage.*` for a refused command line, or `internal.error`. */
  code: string;
  /** What failed, on what value. */
  message: string;
  /** What to do about it. */
  hints: readonly string[];
  /** The process exit code. */
  exitCode: number;
}

/** The text to print and the exit code for a failure. */
export interface FormattedError {
  text: string;
  exitCode: number;
  /** The report behind `text`; undefined when standard output was closed (nothing to report). */
  report: ErrorReport | undefined;
}

/**
 * Formats an error for stderr. `verbose` adds the stack and cause chain.
 *
 * @example
 * ```ts
 * formatError("thoth", new AppError("policy.invalid", "bad"), false).text;
 * // "thoth: error: bad\n"
 * ```
 */
export function formatError(program: string, error: unknown, verbose: boolean): FormattedError {
  if (isStdoutClosed(error)) {
    return {
      text: verbose
        ? `${program}: note: standard output was closed by its reader; stopped there\n`
        : "",
      exitCode: STDOUT_CLOSED_EXIT_CODE,
      report: undefined,
    };
  }
  const report = describeError(error, verbose, program);
  return {
    text: formatReport(program, report, verbose ? causeChain(error) : []),
    exitCode: report.exitCode,
    report,
  };
}

/**
 * The report for a thrown value: an {@linkcode AppError} says its own; so do
 * Deno refusing an operation `program` was not granted (`NotCapable`: the
 * permission, the path and how to start it with its permission set) and the
 * OS refusing one (`PermissionDenied`), see `not_permitted_error.ts`;
 * anything else is an internal error whose hint is `--verbose` (which shows
 * the cause instead).
 *
 * @example
 * ```ts
 * describeError(new Error("boom"), false).code; // "internal.error"
 * ```
 */
export function describeError(error: unknown, verbose: boolean, program = "thoth"): ErrorReport {
  if (!(error instanceof AppError)) {
    error = packagesNotCached(error) ?? notPermittedError(error, program) ?? error;
  }
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      hints: error.hints,
      exitCode: error.exitCode,
    };
  }
  return {
    code: "internal.error",
    message: "internal error",
    hints: verbose ? [] : ["re-run with --verbose to see the cause"],
    exitCode: 1,
  };
}

/**
 * The stderr lines for a report, cleaned for a terminal; `details` (a stack,
 * say) follow, each line cleaned too.
 *
 * @example
 * ```ts
 * formatReport("thoth", { code: "usage.x", message: "bad", hints: ["try"], exitCode: 2 });
 * // "thoth: error: bad\nthoth: hint: try\n"
 * ```
 */
export function formatReport(
  program: string,
  report: ErrorReport,
  details: readonly string[] = [],
): string {
  const lines = [`${program}: error: ${cleanText(report.message)}`];
  for (const hint of report.hints) lines.push(`${program}: hint: ${cleanText(hint)}`);
  for (const detail of details) lines.push(...detail.split("\n").map(cleanText));
  return lines.join("\n") + "\n";
}

/**
 * The report as one line of JSON for stdout, cleaned as the stderr lines are.
 *
 * @example
 * ```ts
 * errorJson({ code: "usage.x", message: "bad", hints: [], exitCode: 2 });
 * // '{"ok":false,"error":{"code":"usage.x","message":"bad","hints":[],"exitCode":2}}\n'
 * ```
 */
export function errorJson(report: ErrorReport): string {
  return JSON.stringify({
    ok: false,
    error: {
      code: cleanText(report.code),
      message: cleanText(report.message),
      hints: report.hints.map(cleanText),
      exitCode: report.exitCode,
    },
  }) + "\n";
}

/**
 * The options of thoth's and thothctl's commands that take a value, as the
 * next word (`--server x`): a `--json` there is that value, not a request for
 * JSON. Kept here, not read from the commands, so that `thoth run` loads no
 * command-line library to learn it (tests/cli/no_profile_json_test.ts checks
 * it against the commands).
 */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "--admin-email",
  "--agent-id",
  "--anchor",
  "--annotations",
  "--api-key",
  "--approval-timeout",
  "--args",
  "--audit-sync",
  "--base",
  "--bundle",
  "--client",
  "--config",
  "--decision",
  "--decision-id",
  "--download-timeout",
  "--effect",
  "--enforcement-mode",
  "--enforcer-url",
  "--env",
  "--export",
  "--intent",
  "--intent-map",
  "--interval",
  "--lines",
  "-n",
  "--manifest-url",
  "--max-asset-size",
  "--max-line-bytes",
  "--mode",
  "--output",
  "--policy",
  "--reason",
  "--rule",
  "--seq",
  "--server",
  "--shutdown-grace-ms",
  "--since",
  "--tenant-id",
  "--thoth-path",
  "--tool",
  "--until",
]);

/**
 * The JSON line ({@linkcode errorJson}) for `error` when the command line
 * `args` asks for `--json` (before a `--` that ends the options, and not as
 * the value of an option that takes one, see {@linkcode VALUE_OPTIONS}, short
 * flags written together among them: in `-fn --json`, `-n` takes `--json`) and
 * its command is not `run` (whose stdout is the client's): for a failure
 * before any command ran, such as no profile folder to be found. Undefined
 * otherwise.
 *
 * @example
 * ```ts
 * errorJsonFor(["health", "--json"], new AppError("identity.no_profile", "no home"));
 * // '{"ok":false,"error":{"code":"identity.no_profile",…}}\n'
 * errorJsonFor(["status", "--config", "--json"], new AppError("identity.no_profile", "no home"));
 * // undefined: "--json" is the file --config names
 * ```
 */
export function errorJsonFor(args: readonly string[], error: unknown): string | undefined {
  let command: string | undefined;
  let json = false;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (VALUE_OPTIONS.has(arg) || takesNextWord(arg)) i++; // Its value, whatever it looks like.
    else if (arg === "--json") json = true;
    else if (arg === "--verbose") verbose = true;
    else if (!arg.startsWith("-")) command ??= arg;
  }
  if (command === "run" || !json) return undefined;
  return errorJson(describeError(error, verbose));
}

/**
 * Whether `arg` is short flags written together (`-fn`, read as `-f -n`)
 * whose last one takes a value: that is then the next word. As commander
 * reads them, the first one that takes a value takes the rest of the word
 * when there is a rest (`-nf`: `f` is the value of `-n`).
 */
function takesNextWord(arg: string): boolean {
  if (!/^-[a-zA-Z]{2,}$/.test(arg)) return false;
  const first = [...arg.slice(1)].findIndex((letter) => VALUE_OPTIONS.has(`-${letter}`));
  return first === arg.length - 2;
}

/** Whether `error`, or an error it wraps, is standard output closed by its reader. */
export function isStdoutClosed(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof StdoutClosedError) return true;
    current = current.cause;
  }
  return false;
}

/**
 * One line a terminal shows as written: no control or bidi characters, at
 * most 2000 characters; how every message and hint is cleaned.
 *
 * @example
 * ```ts
 * cleanText("a\nb"); // "a?b"
 * ```
 */
export function cleanText(text: string): string {
  return displayText(text, 2000);
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      lines.push(current.stack ?? `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      lines.push(String(current));
      break;
    }
  }
  return lines;
}

/**
 * Reports why `program` could not load what a command line needs (its
 * command tree, or the command's own modules, which thoth imports when a
 * command line names them): Deno refusing an npm package its cache lacks
 * (thoth from source runs with `--cached-only`), or a module it was not
 * granted read access to, as any command error is reported (`--json` too, its
 * one line on stdout). Returns the exit code.
 *
 * @example
 * ```ts
 * try {
 *   program = await import("./thothctl_program.ts");
 * } catch (error) {
 *   return reportLoadFailure("thothctl", args, io, error);
 * }
 * ```
 */
export function reportLoadFailure(
  program: string,
  args: readonly string[],
  io: Pick<CliIo, "out" | "err">,
  error: unknown,
): number {
  const reported = packagesNotCached(error) ?? error;
  const { text, exitCode } = formatError(program, reported, args.includes("--verbose"));
  io.err(text);
  const json = errorJsonFor(args, reported);
  if (json !== undefined) io.out(json);
  return exitCode;
}
