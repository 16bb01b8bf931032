/**
 * Whether a command started by an option of the command before it runs one
 * of thoth's approval commands, for `approval_command_runs.ts`: after
 * find's `-exec`, `-execdir`, `-ok` and `-okdir` (to its `;` or `+`), and
 * after cmd's `/c` and `/k`, PowerShell's `-Command`, `-c`, `-e` or `--`
 * once a program that takes a command after one came before (`xterm -e …`,
 * `cmd /c …`, see `approval_command_words.ts`), each command's words read at
 * their start (see `approval_command_simple.ts`). A bounded number of such
 * options is read. Pure.
 *
 * @example
 * ```ts
 * optionCommandRuns(["find", ".", "-exec", "thoth", "approvals", "list", ";"]); // true
 * optionCommandRuns(["grep", "-e", "thoth", "approvals"]); // false
 * ```
 */
import { lastPart, simpleRuns } from "./approval_command_simple.ts";
import { COMMAND_OPTIONS, COMMAND_TAKERS, FIND_OPTIONS } from "./approval_command_words.ts";

/** How many of a command's options that start a command ({@linkcode COMMAND_OPTIONS}) are read. */
const MAX_COMMAND_OPTIONS = 16;

/** See the module's documentation: `words` are one simple command's, read by `commandWords`. */
export function optionCommandRuns(words: readonly string[]): boolean {
  let options = 0;
  // Whether a program that takes a command after `--`, `-e`, `-c` or `/c` came before.
  let taker = false;
  for (let k = 0; k < words.length && options < MAX_COMMAND_OPTIONS; k++) {
    const option = words[k]!.toLowerCase();
    if (!taker && k > 0) {
      taker = COMMAND_TAKERS.has(lastPart(words[k - 1]!).toLowerCase().replace(/\.exe$/, ""));
    }
    // The option, then the command's first word (`-e -e …` starts none).
    if (
      !(FIND_OPTIONS.has(option) || (taker && COMMAND_OPTIONS.has(option))) ||
      words[k + 1]?.charCodeAt(0) === 45
    ) {
      continue;
    }
    options++;
    let end = k + 1;
    while (end < words.length && words[end] !== ";" && words[end] !== "+") end++;
    if (simpleRuns(words.slice(k + 1, end), false).runs) return true;
  }
  return false;
}
