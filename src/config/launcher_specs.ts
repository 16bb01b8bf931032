/**
 * The programs a wrapped entry may start thoth through, and the words of
 * shells and `cmd` around the command they start: POSIX shells, PowerShell
 * and its options with a value, shell keywords, `VAR=value` words, `exec`'s
 * options, `cmd`'s switches. The prefix commands' own options are in
 * `prefix_command_specs.ts`; how one option is read, in `launcher_option.ts`.
 * Tables only, and `cmd`'s switches; pure.
 *
 * @example
 * ```ts
 * LAUNCHERS.has("sudo"); // true
 * SHELLS.has("bash"); // true
 * ASSIGNMENT.test("FOO=1"); // true
 * cmdSwitchesEnd(["/d", "/s", "/c", "thoth run"], 0); // 2
 * ```
 */
import type { LauncherSpec } from "./launcher_option.ts";
import { PREFIX_SPECS } from "./prefix_command_specs.ts";

/** POSIX shells: `-c` makes the first operand the command line they run. */
export const SHELLS: ReadonlySet<string> = new Set([
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
export const POWERSHELLS: ReadonlySet<string> = new Set(["pwsh", "powershell"]);

/** Commands a wrapped entry may start thoth through: shells, PowerShell and prefix commands. */
export const LAUNCHERS: ReadonlySet<string> = new Set([
  ...SHELLS,
  ...POWERSHELLS,
  ...Object.keys(PREFIX_SPECS),
]);

/** Shell words after which a command stands (`if thoth run; then …`, `! thoth run`). */
export const SHELL_KEYWORDS: ReadonlySet<string> = new Set([
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

/** A `VAR=value` word before a command (`FOO=1 thoth run …`): not the command. */
export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** PowerShell options that take the next word. */
export const POWERSHELL_VALUES: ReadonlySet<string> = new Set([
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
export const EXEC_SPEC: LauncherSpec = { flags: ["-c", "-l"], values: ["-a"] };

/** The index of the first word after cmd's own switches (`/d`, `/s`, `/q`, `/e:on`, …). */
export function cmdSwitchesEnd(words: readonly string[], at: number): number {
  let i = at;
  while (i < words.length && /^\/(?:[dqsauxy]|[eftv]:\S*)$/i.test(words[i]!)) i++;
  return i;
}
