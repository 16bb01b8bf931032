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
 *   `cmd`, `commands`, `commandLine`, `script`, `shell_command`, `program`,
 *   in any call; also `code`, `args`, `argv`, `input`, `keys`, `text`,
 *   `cell_source`, `python_code`, `code_snippet`, `function` and the others
 *   of {@linkcode RUNNER_VALUE_FIELDS} in a call to a tool that runs
 *   commands or types into a terminal: one the default policy's
 *   `command-runners` rule names, or whose name has a typing word, as the
 *   `thoth.approval_command` rule reads it). Names match in any case, with
 *   or without `_` and `-` (`Command`, `CMD`, `command_line`). In a call to
 *   such a tool that has none of them, every top-level string or list is
 *   taken for its command; one with none of those either is marked
 *   (`unrecognised`), and the question says no command field was
 *   recognised. These are shown in EVERY channel: the
 *   form, each dialog, and the approval queue's request file, so
 *   `thoth approvals list` and `watch` show them too. Decision: a person
 *   cannot approve a command blind (`x=1; rm -rf ~/important` and
 *   `thoth approvals approve …` have the same shape), and the queue folder
 *   is 0700 and its request files 0600, removed when pruned; kdialog shows
 *   them in a text window it reads from a private file, before its choice.
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
import { typesIntoTerminal } from "../policy/approval_command_text.ts";

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
 * whatever the tool (matched in any case, `_` and `-` left out: see
 * {@linkcode foldedName}).
 */
export const COMMAND_VALUE_FIELDS: readonly string[] = [
  "command",
  "cmd",
  "commands",
  "commandLine",
  "cmdline",
  "script",
  "shell_command",
  "program",
];

/**
 * Field names that hold what a command runner runs or a terminal tool types,
 * but that other tools use for other data (a text to translate, a map's
 * keys): shown only in a call to a tool that runs commands or types into a
 * terminal (see {@linkcode commandRunnerTool}).
 */
export const RUNNER_VALUE_FIELDS: readonly string[] = [
  "code",
  "args",
  "argv",
  "input",
  "keys",
  "text",
  "chars",
  "stdin",
  "line",
  "cell",
  "cell_source",
  "source_code",
  "python_code",
  "js_code",
  "code_snippet",
  "snippet",
  "function",
  "expression",
];

/** A field name as the command fields are matched: lower case, `_` and `-` left out. */
function foldedName(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, "");
}

const NAMES = new Set(PROMPT_VALUE_FIELDS);
const COMMANDS = new Set(COMMAND_VALUE_FIELDS.map(foldedName));
const RUNNER_COMMANDS = new Set([...COMMAND_VALUE_FIELDS, ...RUNNER_VALUE_FIELDS].map(foldedName));
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
  /**
   * A call to a tool that runs commands in which no field was taken for its
   * command: none of the names known, no top-level string or list.
   */
  unrecognised?: boolean;
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

/**
 * Whether `tool` runs commands or code, or types into a terminal: one of
 * the default policy's `command-runners` globs matches it (whatever policy
 * asked), or its name has a typing word (`type_text`, `send_input`,
 * `write_stdin`: see `typesIntoTerminal`).
 */
export function commandRunnerTool(tool: string): boolean {
  return typesIntoTerminal(tool);
}

/**
 * The fields of `args` that hold the command a call runs (see
 * {@linkcode COMMAND_VALUE_FIELDS}; with `runner`, {@linkcode RUNNER_VALUE_FIELDS}
 * too, any case) as a string or a list, split into those every channel
 * shows (`commands`) and those a secret detector flags (or that are too
 * large to scan whole), which are shown by shape with why (`hidden`). With
 * `runner` and none of those names holding a string or a list, every
 * top-level string or list is taken for the command, and with none of
 * those either the result is `unrecognised`.
 */
export function commandValueFields(
  args: Record<string, unknown> | undefined,
  runner: boolean,
): PromptValues {
  if (args === undefined) return NO_PROMPT_VALUES;
  const names = runner ? RUNNER_COMMANDS : COMMANDS;
  const keys = Object.keys(args);
  let found = commandValuesOf(args, keys.filter((key) => names.has(foldedName(key))));
  if (found === NO_PROMPT_VALUES && runner) {
    // The command's field has a name thoth does not know: every text the call carries is shown.
    found = commandValuesOf(args, keys);
    if (found === NO_PROMPT_VALUES && keys.length > 0) {
      return { fields: new Set(), hidden: new Map(), unrecognised: true };
    }
  }
  return found;
}

/** The string and list values of `keys` in `args`, shown or hidden as a command's. */
function commandValuesOf(args: Record<string, unknown>, keys: readonly string[]): PromptValues {
  const commands = new Set<string>();
  const hidden = new Map<string, string>();
  for (const key of keys) {
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
