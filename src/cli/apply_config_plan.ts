/**
 * The steps `wrap-config` and `unwrap-config` share: read and plan every
 * file the command works on (`status` reads them the same way), and at the
 * end show the diff on `--dry-run`, or write the planned text safely and say
 * what was written. What they print holds names, commands, comments and
 * paths from a config: every line passes `displayText` (the diff's keeps its
 * tabs), so no control character, escape sequence or bidirectional override
 * reaches the terminal as it is.
 *
 * @example
 * ```ts
 * await applyConfigPlan(io, file, output, plan.text, deps, {
 *   dryRun: false,
 *   report: "config.json:\n  wrapped  fs  now runs through thoth\n",
 *   unchanged: "is up to date",
 *   backupOf: "the original",
 *   next: "Restart the client to apply.",
 * });
 * ```
 */
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { type ConfigFile, readConfigFile } from "../config/read_config_file.ts";
import { type ConfigPlace, mayNameMcpServers } from "../config/resolve_config_path.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { AppError, isAppError } from "../errors.ts";
import type { ConfigShellDeps } from "../config/config_shell_deps.ts";
import {
  commitConfigPlan,
  currentOutput,
  outputExistsError,
  replacesOtherOutput,
} from "../config/commit_config_plan.ts";
import { checkWritable, type WriteResult } from "../config/write_config.ts";
import { unifiedDiff } from "../config/unified_diff.ts";
import type { CliIo } from "./cli_io.ts";
import { createScanner } from "jsonc-parser";
import type { CommandUnknownOpts, ErrorOptions } from "@commander-js/extra-typings";
import { secretFingerprint } from "../identity/secret_fingerprint.ts";
import { configCommandLine, shellWord, STATUS_COMMAND } from "./config_command_line.ts";
import { displayText } from "../approval/display_text.ts";

// `status` imports the quoting from here.
export { shellWord };

/** The words that differ between the commands. */
export interface ApplyWording {
  dryRun: boolean | undefined;
  /**
   * The plan's report for stdout. It is printed once the file is written (or
   * before the diff of a dry run), so a reader that stops reading early (`|
   * head`) cannot keep the write from happening.
   */
  report: string;
  /** After "No changes: OUTPUT ", e.g. "is up to date". */
  unchanged: string;
  /**
   * The whole line said instead of "No changes: OUTPUT <unchanged>." when
   * nothing needed writing but the file is not as the command would have it
   * (servers it left as they are, named on stderr): "up to date" would be
   * untrue beside the error that follows.
   */
  unchangedNote?: string | undefined;
  /** After "Backup of ", e.g. "the original". */
  backupOf: string;
  /** The closing line, e.g. "Restart the client to apply." */
  next: string;
  /** `--replace-read-only`: replace a config whose mode gives no one write permission. */
  replaceReadOnly?: boolean | undefined;
  /** The original holds a secret (an `--api-key` in args): its backup is made 0600. */
  privateBackup?: boolean | undefined;
  /**
   * The secrets the plan drops from the input: a backup must hold them (see
   * `writeConfig`), and what is printed (a dry run's diff) shows each by
   * fingerprint only (see {@linkcode maskSecrets}).
   */
  secrets?: readonly string[] | undefined;
  /** `--replace-output`: replace an `--output` file that holds something else, backing it up. */
  replaceOutput?: boolean | undefined;
}

/**
 * Prints the diff (dry run) or writes `text` to `output` and reports it.
 * Returns what was written: null when nothing needed writing, undefined on a
 * dry run. The diff is against what `output` holds when it exists (the
 * input when it is the input), else against the input. An `--output` file
 * that holds something else is refused without `replaceOutput`
 * (`usage.output_exists`), after the diff on a dry run, so that a dry run
 * fails as the write would.
 */
export async function applyConfigPlan(
  io: CliIo,
  file: ConfigFile,
  output: string,
  text: string,
  deps: ConfigShellDeps,
  wording: ApplyWording,
): Promise<WriteResult | null | undefined> {
  const secrets = wording.secrets ?? [];
  if (wording.dryRun) {
    const current = await currentOutput(file, output);
    const before = current ?? file;
    // A dry run's diff lands in MDM and CI logs: a key the plan takes out is shown by fingerprint.
    // Each text is masked once, before the diff: its headers and context are not rescanned.
    const diff = unifiedDiff(maskSecrets(before.text, secrets), maskSecrets(text, secrets), {
      from: before.path,
      to: output,
    });
    io.out(shownLines(maskSecrets(wording.report, secrets)));
    io.out(diff === "" ? "No changes.\n" : shownLines(diff, { tabs: true }));
    io.out("Dry run: nothing was written.\n");
    if (replacesOtherOutput(file, current, text) && !wording.replaceOutput) {
      throw outputExistsError(output);
    }
    return undefined;
  }
  const outcome = await commitConfigPlan(file, output, text, {
    ...(deps.beforeCommit === undefined ? {} : { beforeCommit: deps.beforeCommit }),
    ...(wording.replaceReadOnly ? { replaceReadOnly: true } : {}),
    ...(wording.replaceOutput ? { replaceOutput: true } : {}),
    ...(wording.privateBackup ? { privateBackup: true } : {}),
    ...(wording.secrets === undefined ? {} : { secrets: wording.secrets }),
  });
  io.out(shownLines(maskSecrets(wording.report, secrets)));
  const say = (line: string) => io.out(`${shownLine(line)}\n`);
  if (outcome === null) {
    say(wording.unchangedNote ?? `No changes: ${output} ${wording.unchanged}.`);
    return null;
  }
  say(`Wrote ${outcome.written}.`);
  if (outcome.lockSkipped !== undefined) {
    io.err(
      `thoth: warning: ${outcome.lockSkipped}: ${outcome.written} was written without the lock ` +
        "that keeps two thoth processes from writing it at once\n",
    );
  }
  if (outcome.backupCreated !== undefined) {
    const of = output === file.path ? wording.backupOf : `what ${output} held before`;
    say(`Backup of ${of}: ${outcome.backupCreated}`);
    if (outcome.backupReplaced !== undefined) {
      // One an older run left empty or cut short held no original: it holds this one now.
      io.err(
        `thoth: note: the backup ${outcome.backupCreated} kept from an earlier run held no ` +
          `original (${outcome.backupReplaced}); it now holds ${of}\n`,
      );
    }
  }
  if (outcome.backupKept !== undefined) {
    // The backup from an earlier run is never replaced: it holds what was there before it.
    say(`Backup kept: ${outcome.backupKept} (from an earlier run; not replaced)`);
  }
  if (outcome.secretBackupCreated !== undefined) {
    say(`New backup, holding the API key the rewrite takes out: ${outcome.secretBackupCreated}`);
  }
  say(wording.next);
  return outcome;
}

/**
 * One line of text from a config (a name, a command, a path, or a message
 * that quotes one) as a terminal shows it written: see {@linkcode displayText};
 * never cut short.
 *
 * @example
 * ```ts
 * shownLine("thoth: error: \"a\u001b[2Kb\" is not governed"); // 'thoth: error: "a?[2Kb" is not governed'
 * ```
 */
export function shownLine(text: string): string {
  return displayText(text, Infinity);
}

/**
 * `text`, each of its lines as {@linkcode shownLine} shows it; with `tabs`,
 * tabs are kept (a diff shows a file indented with them as it is).
 */
export function shownLines(text: string, options: { tabs?: boolean } = {}): string {
  return text.split("\n").map((line) =>
    options.tabs ? line.split("\t").map(shownLine).join("\t") : shownLine(line)
  ).join("\n");
}

/** Keys this long are masked wherever they stand; shorter ones only as a whole string. */
const ANYWHERE_LENGTH = 8;

/**
 * `text` with every secret in `secrets` (an `--api-key` value the plan takes
 * out) shown as `<api key, fingerprint 1a2b3c4d>` instead (see
 * {@linkcode secretFingerprint}), in one pass over `text`:
 * - a JSON string whose value, once decoded (so an escaped key is found
 *   too), is the secret, or `--api-key=` and the secret (the flag's other
 *   form), is written again with the placeholder;
 * - a secret of {@linkcode ANYWHERE_LENGTH} or more characters is masked
 *   wherever else it stands too: inside a longer string (`"Bearer KEY"`,
 *   written again if only its escaped form holds it), in a comment, in the
 *   report's words. So long a key does not occur by chance;
 * - a shorter secret that is only part of other text (a key such as `"1"`
 *   inside a path, a word of the report) is not the key there, and is left.
 *
 * A placeholder is never scanned again. Lines without a secret are kept byte
 * for byte, so the diff of two masked texts is the diff of the texts.
 *
 * @example
 * ```ts
 * maskSecrets('"args": ["--api-key", "sk-live-1"]', ["sk-live-1"]);
 * // '"args": ["--api-key", "<api key, fingerprint …>"]'
 * maskSecrets('"AUTH": "Bearer sk-live-1" // sk-live-1', ["sk-live-1"]);
 * // '"AUTH": "Bearer <api key, fingerprint …>" // <api key, fingerprint …>'
 * ```
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const known = new Set(secrets.filter((secret) => secret !== ""));
  if (known.size === 0) return text;
  const FLAG = "--api-key=";
  const shown = (secret: string) => `<api key, fingerprint ${secretFingerprint(secret)}>`;
  const masked = (value: string): string | undefined => {
    if (known.has(value)) return shown(value);
    const flagged = value.startsWith(FLAG) ? value.slice(FLAG.length) : undefined;
    return flagged !== undefined && known.has(flagged) ? FLAG + shown(flagged) : undefined;
  };
  // The long keys, longest first (at one place the longest wins); one regex pass never
  // looks at what it put in.
  const long = [...known].filter((secret) => secret.length >= ANYWHERE_LENGTH)
    .sort((a, b) => b.length - a.length);
  const pattern = long.map((secret) => secret.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")).join("|");
  const anywhere = long.length === 0 ? undefined : new RegExp(pattern, "g");
  const holdsLong = new RegExp(pattern);
  const inPlace = (part: string) =>
    anywhere === undefined ? part : part.replace(anywhere, (secret) => shown(secret));
  // jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read.
  const STRING_LITERAL = 10;
  const EOF = 17;
  const scanner = createScanner(text, false);
  let out = "";
  let at = 0;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind !== STRING_LITERAL) continue;
    const value = scanner.getTokenValue();
    const offset = scanner.getTokenOffset();
    const raw = text.slice(offset, offset + scanner.getTokenLength());
    let replacement = masked(value);
    // A long key its escapes hide (`sk-\u006cive-…`) is not in the raw text: the string is
    // written again. Else the raw text is masked in place, with what stands around it.
    if (
      replacement === undefined && anywhere !== undefined && holdsLong.test(value) &&
      raw !== JSON.stringify(value)
    ) {
      replacement = inPlace(value);
    }
    if (replacement === undefined) continue;
    out += inPlace(text.slice(at, offset)) + JSON.stringify(replacement);
    at = offset + raw.length;
  }
  return out + inPlace(text.slice(at));
}

/** What one write of a multi-file run is: the file read, where it goes, and the text. */
export interface PlannedWrite {
  file: ConfigFile;
  output: string;
  text: string;
}

/**
 * Checks, before the first file is written, every write a command will make
 * the way the write itself would refuse it: an output that is not a regular
 * file, an `--output` file that holds something else without
 * `replaceOutput` (`usage.output_exists`), a config no one or not this user
 * may write without `replaceReadOnly` (`config.read_only`). A file whose
 * output already holds its text needs no write and is not checked. So one
 * refusal leaves every file as it was; a write that still fails later (a
 * file changed on disk meanwhile) is told by {@linkcode partialWriteError}.
 */
export async function checkConfigWrites(
  writes: readonly PlannedWrite[],
  options: { replaceReadOnly?: boolean | undefined; replaceOutput?: boolean | undefined },
): Promise<void> {
  for (const { file, output, text } of writes) {
    const original = await currentOutput(file, output);
    if (original !== null && original.text === text && original.bom === file.bom) continue;
    if (replacesOtherOutput(file, original, text) && !options.replaceOutput) {
      throw outputExistsError(output);
    }
    await checkWritable(output, {
      original,
      ...(options.replaceReadOnly ? { replaceReadOnly: true } : {}),
    });
  }
}

/**
 * Runs `write` for each item in turn; when one fails after another was
 * written, the error says which files were written and which were not
 * (`partialWriteError`), never that nothing was.
 */
export async function writeEach<T>(
  items: readonly T[],
  outputOf: (item: T) => string,
  write: (item: T) => Promise<WriteResult | null | undefined>,
): Promise<void> {
  const written: string[] = [];
  for (const [i, item] of items.entries()) {
    let outcome: WriteResult | null | undefined;
    try {
      outcome = await write(item);
    } catch (error) {
      throw partialWriteError(error, written, items.slice(i).map(outputOf));
    }
    if (outcome) written.push(outputOf(item));
  }
}

/**
 * The error of a write that failed after `written` were written: its own
 * code, message and hints, but naming what was written and what was not
 * (`notWritten`) instead of saying that nothing was. `error` as it is when
 * nothing was written.
 */
export function partialWriteError(
  error: unknown,
  written: readonly string[],
  notWritten: readonly string[],
): unknown {
  if (written.length === 0) return error;
  const list = (paths: readonly string[]) => paths.map((path) => `"${path}"`).join(", ");
  const state = `already written: ${list(written)}; not written: ${list(notWritten)}`;
  const untold = (text: string) =>
    text.replace(/^nothing was (?:written|changed)[;,]\s*/, "")
      .replace(/[;,]?\s*nothing was (?:written|changed)\b/g, "")
      .replace(/\bnothing was (?:written|changed)\b/g, `${list(notWritten)} was not written`);
  const message = error instanceof Error ? error.message : String(error);
  const app = error instanceof AppError ? error : undefined;
  return new AppError(app?.code ?? "io.write_failed", `${untold(message)}; ${state}`, {
    cause: app?.cause ?? error,
    hints: [
      ...(app?.hints ?? []).map(untold).filter((hint) => hint !== ""),
      `${list(written)} now hold${written.length === 1 ? "s" : ""} the new text (backed up ` +
      `beside it as the lines above say); fix what stopped ${list(notWritten)}, then run the ` +
      "same command again: it changes only what is not done yet",
    ],
    ...(app === undefined ? {} : { exitCode: app.exitCode }),
  });
}

/** A file read and its plan. */
export interface PlannedFile<P> {
  file: ConfigFile;
  plan: P;
}

/** A place that could not be read or planned, and why (see {@linkcode planConfigPlaces}). */
export interface PlaceProblem {
  path: string;
  error: unknown;
}

/** How {@linkcode planConfigPlaces} goes on past an optional place it cannot use. */
export interface PlanPlacesOptions {
  /** The `--client` given, for the command the hints name. */
  client?: string | undefined;
  /**
   * When given (`status`), an optional place that cannot be read or planned
   * is added here instead of stopping the command, once another file was
   * planned: the caller shows the others and reports it (and fails).
   */
  problems?: PlaceProblem[];
}

/**
 * Reads and plans every place in `places` before anything is written, so that
 * a file that cannot be read or planned stops the command with nothing
 * changed. An optional place (VS Code's settings.json) is left out when it is
 * missing, names no MCP servers, or does not parse and does not mention MCP;
 * a required place that is missing is an error only when no optional place
 * names servers either (`config.not_found`, as `readConfigFile` throws it).
 * Every other error is thrown (through `explain`, given the file's path, when
 * given): an optional place that cannot be read, or whose servers are
 * ambiguous, may hold servers that run without thoth (fail closed). Without
 * `explain`, a file that cannot be read gets a remedy when it has none
 * ({@linkcode withReadRemedy}). Its
 * error then also says how to work on the files that were planned meanwhile
 * (`thoth wrap-config --client vscode "…/mcp.json"`), or, with
 * `options.problems`, is added there and the others are returned.
 */
export async function planConfigPlaces<P extends { servers: readonly unknown[] }>(
  places: readonly ConfigPlace[],
  command: ConfigCommand,
  planFile: (file: ConfigFile) => P,
  explain: (error: unknown, path: string) => unknown = withReadRemedy,
  options: PlanPlacesOptions = {},
): Promise<PlannedFile<P>[]> {
  const planned: PlannedFile<P>[] = [];
  const problems: PlaceProblem[] = [];
  let missing: unknown;
  const refuse = (error: unknown, place: ConfigPlace) => {
    const explained = explain(error, place.path);
    if (!place.optional || planned.length === 0) throw explained;
    if (options.problems !== undefined) {
      problems.push({ path: place.path, error: explained });
      return;
    }
    throw withMeanwhileHint(explained, planned.map(({ file }) => file.path), command, options);
  };
  for (const place of places) {
    let file: ConfigFile;
    try {
      file = await readConfigFile(place.path, command);
    } catch (error) {
      if (!isAppError(error, "config.not_found")) {
        refuse(error, place);
        continue;
      }
      if (!place.optional) missing ??= error;
      continue;
    }
    let plan: P;
    try {
      plan = planFile(file);
    } catch (error) {
      if (place.optional && isAppError(error, "config.invalid") && !mayNameMcpServers(file.text)) {
        continue;
      }
      refuse(error, place);
      continue;
    }
    if (place.optional && plan.servers.length === 0) continue;
    planned.push({ file, plan });
  }
  if (missing !== undefined && planned.length === 0) throw missing;
  options.problems?.push(...problems);
  return planned;
}

/**
 * `error` with a remedy when it is a config that cannot be read
 * (`config.unreadable`) and the reader gave none: permission denied (let this
 * user read it, or run as the user it belongs to), a special file such as
 * `/dev/stdin` (pass the file itself), or no regular file where the config
 * should be (`thoth status` gives the same remedy); `error` as it is
 * otherwise. For the commands that write: the hint says nothing was.
 *
 * @example
 * ```ts
 * withReadRemedy(denied, "/home/ana/.cursor/mcp.json").hints[0];
 * // 'let this user read "/home/ana/.cursor/mcp.json" (its owner and mode: ls -l …), …'
 * ```
 */
export function withReadRemedy(error: unknown, path: string): unknown {
  if (!isAppError(error, "config.unreadable") || error.hints.length > 0) return error;
  const fix = error.cause instanceof Deno.errors.PermissionDenied
    ? `let this user read "${path}" (its owner and mode: ls -l ${shellWord(path)}), or run ` +
      "thoth as the user the config belongs to"
    : error.cause instanceof Deno.errors.NotCapable
    ? "pass the path of the config file itself: thoth reads a config from a regular file, " +
      "never from standard input or a device"
    : `put the client's config back at "${path}" as a regular file it can read, or move ` +
      "what is there away";
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [`${fix}; nothing was written; then run the command again`],
    exitCode: error.exitCode,
  });
}

/**
 * `error` (an optional place's, which stops the command) with one more hint:
 * how to work on the files that were planned (`paths`) meanwhile, each alone.
 */
function withMeanwhileHint(
  error: unknown,
  paths: readonly string[],
  command: ConfigCommand,
  options: PlanPlacesOptions,
): unknown {
  if (!(error instanceof AppError) || paths.length === 0) return error;
  const flag = options.client === undefined ? "" : ` --client ${options.client}`;
  const file = command.takes === "INPUT" ? "" : " --config";
  const commands = paths.map((path) =>
    `thoth ${command.name}${flag}${file} ${JSON.stringify(path)}`
  );
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [
      ...error.hints,
      `meanwhile, to work on ${paths.map((path) => `"${path}"`).join(" and ")} alone, run: ` +
      commands.join("; "),
    ],
    exitCode: error.exitCode,
  });
}

/**
 * The refusal of `--output` when the command works on more than one file
 * (`--client vscode` without INPUT, when settings.json names MCP servers
 * too): one output cannot hold both, and writing one of them only would leave
 * the other as it is, unnoticed. Names each file and the command for it.
 */
export function oneOutputError(
  command: string,
  paths: readonly string[],
  client: string | undefined,
): AppError {
  const flag = client === undefined ? "" : ` --client ${client}`;
  return new AppError(
    "usage.output_many_configs",
    `--output names one file, but ${command}${flag} works on ${paths.length} files here: ` +
      `${paths.map((path) => `"${path}"`).join(" and ")}`,
    {
      hints: [
        ...paths.map((path) =>
          `for "${path}": thoth ${command}${flag} --output FILE ${JSON.stringify(path)}`
        ),
        "or leave out --output to rewrite each file in place; nothing was written",
      ],
      exitCode: 2,
    },
  );
}

/** A server a plan left as it is, and why. */
export interface LeftServer {
  readonly name: string;
  readonly project?: string;
  readonly reason: string;
}

/**
 * Names each server a plan left as it is on stderr (`"name" <state>: <reason>`),
 * then `hint`, and makes the command exit 1: a script must not take a partial
 * rewrite for a whole one.
 */
export function reportLeftServers(
  io: CliIo,
  servers: readonly LeftServer[],
  state: string,
  hint: string,
): void {
  if (servers.length === 0) return;
  for (const server of servers) {
    const where = server.project === undefined ? "" : ` (project ${server.project})`;
    // A key pasted as a server's name is not repeated in clear (format_plan_report.ts does the same).
    io.err(
      `${
        shownLine(
          `thoth: error: "${shownUnlessKey(server.name)}"${where} ${state}: ${server.reason}`,
        )
      }\n`,
    );
  }
  io.err(`${shownLine(`thoth: hint: ${hint}; the other servers were handled`)}\n`);
  io.exitCode = 1;
}

/**
 * `output` as the path of `input` when both name one file (a link to it, or
 * a path through a linked folder), so that the write is in place: one
 * backup, the input's own checks. A file that does not exist yet is judged
 * by its folder's real path and its name. Else `output` as it is.
 *
 * @example
 * ```ts
 * await sameFileAs("/home/ana/link/config.json", "/home/ana/Claude/config.json");
 * // "/home/ana/Claude/config.json" when /home/ana/link is a link to /home/ana/Claude
 * ```
 */
export async function sameFileAs(output: string, input: string): Promise<string> {
  if (output === input) return input;
  const [out, real] = await Promise.all([realFilePath(output), realFilePath(input)]);
  return out !== undefined && out === real ? input : output;
}

/** The real path of `path`, or of its folder and its name when it is not there; else undefined. */
async function realFilePath(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch {
    // Not there yet (or not reachable): its folder decides.
  }
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut < 0) return undefined;
  const name = path.slice(cut + 1);
  if (name === "" || name === "." || name === "..") return undefined;
  try {
    const folder = await Deno.realPath(cut === 0 ? path.slice(0, 1) : path.slice(0, cut));
    return `${folder.replace(/[\\/]+$/, "")}${path[cut]}${name}`;
  } catch {
    return undefined;
  }
}

/**
 * The closing line of a write to an `--output` file that is not the client
 * config worked on: no client reads that file, so restarting one applies
 * nothing; it says how to check the file itself (`thoth status --config
 * FILE`), or, for a config written for other machines
 * (`--thoth-path-elsewhere`), to check it there.
 *
 * @example
 * ```ts
 * writtenElsewhere("/home/ana/out.json", undefined, false);
 * // 'No client reads /home/ana/out.json until it takes the place of a client\'s config; check it with "thoth status --config /home/ana/out.json".'
 * ```
 */
export function writtenElsewhere(
  output: string,
  client: string | undefined,
  elsewhere: boolean,
): string {
  if (elsewhere) {
    return `No client reads ${output} here: once it is in place of the client's config on ` +
      `a machine it is for, check it there with "${
        configCommandLine(STATUS_COMMAND, { client })
      } --check".`;
  }
  return `No client reads ${output} until it takes the place of a client's config; check it ` +
    `with "${configCommandLine(STATUS_COMMAND, { client, file: output })}".`;
}

/**
 * Makes the parser's refusal of a config given the other command's way say
 * how this command takes it: `thoth status c.json` (status takes `--config
 * FILE`) and `thoth wrap-config --config c.json` (wrap-config and
 * unwrap-config take the file as their argument) each get a hint with the
 * command line that works, e.g. `thoth status --config c.json`. Every
 * other refusal is left as the parser words it.
 *
 * @example
 * ```ts
 * hintConfigForm(new Command("status").option("--config <file>", "…"), "--config FILE");
 * // thoth status c.json → hint: status takes the config as --config FILE: thoth status --config c.json
 * ```
 */
export function hintConfigForm<C extends CommandUnknownOpts>(
  command: C,
  takes: ConfigCommand["takes"],
): C {
  const refuse = command.error.bind(command);
  command.error = (message: string, options?: ErrorOptions): never => {
    const hint = configFormHint(command.name(), takes, command.args, options?.code);
    return refuse(hint === undefined ? message : `${message}\n(${hint})`, options);
  };
  return command;
}

/** The hint of {@linkcode hintConfigForm}, or undefined for any other refusal. */
function configFormHint(
  name: string,
  takes: ConfigCommand["takes"],
  args: readonly string[],
  code: string | undefined,
): string | undefined {
  if (takes === "--config FILE") {
    if (code !== "commander.excessArguments") return undefined;
    const file = args.length === 1 ? shellWord(args[0]!) : "FILE";
    return `${name} takes the config as --config FILE, not as an argument: ` +
      `thoth ${name} --config ${file}`;
  }
  if (code !== "commander.unknownOption") return undefined;
  const at = args.findIndex((arg) => arg === "--config" || arg.startsWith("--config="));
  if (at < 0 || args.findIndex((arg) => arg.startsWith("-")) !== at) return undefined;
  const flag = args[at]!;
  const value = flag === "--config" ? args[at + 1] : flag.slice("--config=".length);
  const file = value === undefined || value === "" || value.startsWith("-")
    ? "FILE"
    : shellWord(value);
  return `${name} takes the config as its argument, not as --config: thoth ${name} ${file}`;
}
