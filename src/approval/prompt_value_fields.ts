/**
 * Which arguments an approval prompt shows the value of without the policy
 * naming them. Two kinds:
 *
 * - The top-level fields that say which file, folder or URL a call acts on
 *   (`path`, `destination`, `url`, …), so a person approving a destructive
 *   write sees which file it writes. Only a prompt shows these (a form, a
 *   dialog that does not carry its text on a command line): the approval
 *   queue's files never get them.
 * - The top-level fields that hold the command a call runs (`command`,
 *   `cmd`, `commands`, `script`, `shell_command`, `program`, in any call;
 *   also `code`, `args`, `argv`, `input` and `keys` in a call to a tool
 *   whose name says it runs commands, as the default policy's
 *   `command-runners` rule reads it). These are shown in EVERY channel: the
 *   form, each dialog, and the approval queue's request file, so
 *   `thoth approvals list` and `watch` show them too. Decision: a person
 *   cannot approve a command blind (`x=1; rm -rf ~/important` and
 *   `thoth approvals approve …` have the same shape), and the queue folder
 *   is 0700 and its request files 0600, removed when pruned; a dialog that
 *   gets its text on its command line (zenity, kdialog) shows them too.
 *
 * Either value is shown only when the secret detectors pass it: a value one
 * flags, or one too large to scan whole, is shown by its shape only, with
 * why (for a command, with the advice to deny it unless a secret is
 * expected there). Personal or health data does not hide a command:
 * appending an email address to `rm -rf ~/important` must not make a
 * person approve it blind, and the queue's files are the owner's and the
 * form the person's own. The audit log and the model never get these
 * values. Pure.
 *
 * @example
 * ```ts
 * promptValueFields({ path: "/home/ana/notes.txt", content: "hi" });
 * // { fields: Set { "path" }, hidden: Map {} }
 * promptValueFields({ url: "https://ana:hunter2@example.org/x" });
 * // { fields: Set {}, hidden: Map { "url" => "a detector finds a secret in it" } }
 * commandValueFields({ command: "ls -la", cwd: "/tmp" }, false);
 * // { fields: Set {}, hidden: Map {}, commands: Set { "command" } }
 * ```
 */
import { scanArguments } from "../policy/detectors/scan_arguments.ts";
import { COMMAND_RUNNER_GLOBS } from "../policy/command_runner_globs.ts";
import { globToRegExp } from "../policy/glob_to_regexp.ts";

/**
 * The field names whose values a prompt shows (exact, case-sensitive), as the
 * default policy's comment lists them.
 */
export const PROMPT_VALUE_FIELDS: readonly string[] = [
  "path",
  "paths",
  "source",
  "destination",
  "url",
  "uri",
  "file",
  "filename",
  "file_path",
  "filePath",
  "directory",
  "dir",
  "cwd",
];

/**
 * The field names that hold the command a call runs, shown in every channel
 * (exact, case-sensitive), whatever the tool.
 */
export const COMMAND_VALUE_FIELDS: readonly string[] = [
  "command",
  "cmd",
  "commands",
  "script",
  "shell_command",
  "program",
];

/**
 * Field names that hold what a command runner runs, but that other tools use
 * for other data (a text to translate, a map's keys): shown only in a call to
 * a tool whose name says it runs commands (see {@linkcode commandRunnerTool}).
 */
export const RUNNER_VALUE_FIELDS: readonly string[] = ["code", "args", "argv", "input", "keys"];

const NAMES = new Set(PROMPT_VALUE_FIELDS);
const COMMANDS = new Set(COMMAND_VALUE_FIELDS);
const RUNNER_COMMANDS = new Set([...COMMAND_VALUE_FIELDS, ...RUNNER_VALUE_FIELDS]);
const SECRETS = new Set(["secret"] as const);
/** Why a secret detector's finding hides a value. */
const FOUND_SECRET = "a detector finds a secret in it";
/** Why it hides a command: what a person asked about it should do. */
export const COMMAND_SECRET = `${FOUND_SECRET}; deny the call unless you expect a secret in ` +
  "this command";
/** The most characters of one field's value scanned for secrets; a longer value is not shown. */
const SCAN_MAX_CHARS = 64 * 1024;

/** The fields of one call a prompt shows, and those it names but hides, with why. */
export interface PromptValues {
  /** File and URL fields shown (see `argumentShape`). */
  fields: ReadonlySet<string>;
  hidden: ReadonlyMap<string, string>;
  /** Command-bearing fields shown as text (see `command_lines.ts`). */
  commands?: ReadonlySet<string>;
}

/** No values beyond the policy's: what the queue's files and argv-borne dialogs get. */
export const NO_PROMPT_VALUES: PromptValues = { fields: new Set(), hidden: new Map() };

/**
 * The fields of `args` named in {@linkcode PROMPT_VALUE_FIELDS} that hold a
 * string or a list, split into those a prompt may show and those a secret
 * detector flags (or that are too large to scan whole). Scans only those
 * fields, and only when a call asks a person.
 */
export function promptValueFields(args: Record<string, unknown> | undefined): PromptValues {
  if (args === undefined) return NO_PROMPT_VALUES;
  const fields = new Set<string>();
  const hidden = new Map<string, string>();
  for (const key of Object.keys(args)) {
    if (!NAMES.has(key)) continue;
    const value = args[key];
    if (typeof value !== "string" && !Array.isArray(value)) continue;
    const scan = scanArguments({ [key]: value }, { kinds: SECRETS, maxChars: SCAN_MAX_CHARS });
    if (scan.findings.length > 0) hidden.set(key, FOUND_SECRET);
    else if (scan.capped) hidden.set(key, "too long to check for secrets");
    else fields.add(key);
  }
  return fields.size === 0 && hidden.size === 0 ? NO_PROMPT_VALUES : { fields, hidden };
}

let runnerGlobs: RegExp[] | undefined;

/**
 * Whether `tool`'s name says it runs commands or code: one of the default
 * policy's `command-runners` globs matches it (whatever policy asked).
 */
export function commandRunnerTool(tool: string): boolean {
  runnerGlobs ??= COMMAND_RUNNER_GLOBS.map((glob) => globToRegExp(glob, true));
  return runnerGlobs.some((glob) => glob.test(tool));
}

/**
 * The fields of `args` that hold the command a call runs (see
 * {@linkcode COMMAND_VALUE_FIELDS}; with `runner`, {@linkcode RUNNER_VALUE_FIELDS}
 * too) as a string or a list, split into those every channel shows
 * (`commands`) and those a secret detector flags (or that are too large to
 * scan whole), which are shown by shape with why (`hidden`).
 */
export function commandValueFields(
  args: Record<string, unknown> | undefined,
  runner: boolean,
): PromptValues {
  if (args === undefined) return NO_PROMPT_VALUES;
  const names = runner ? RUNNER_COMMANDS : COMMANDS;
  const commands = new Set<string>();
  const hidden = new Map<string, string>();
  for (const key of Object.keys(args)) {
    if (!names.has(key)) continue;
    const value = args[key];
    if (typeof value !== "string" && !Array.isArray(value)) continue;
    const scan = scanArguments({ [key]: value }, { kinds: SECRETS, maxChars: SCAN_MAX_CHARS });
    if (scan.findings.length > 0) hidden.set(key, COMMAND_SECRET);
    else if (scan.capped) hidden.set(key, "too long to check for secrets");
    else commands.add(key);
  }
  return commands.size === 0 && hidden.size === 0
    ? NO_PROMPT_VALUES
    : { fields: new Set(), hidden, commands };
}

/** Both kinds together: a prompt that shows file and URL values shows commands too. */
export function joinedPromptValues(files: PromptValues, commands: PromptValues): PromptValues {
  if (commands === NO_PROMPT_VALUES) return files;
  if (files === NO_PROMPT_VALUES) return commands;
  return {
    fields: files.fields,
    hidden: new Map([...files.hidden, ...commands.hidden]),
    ...(commands.commands === undefined ? {} : { commands: commands.commands }),
  };
}
