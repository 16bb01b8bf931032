/**
 * When the value of a text key (`query`, `q`, `search`, `text`, `body`,
 * `message`, `title`, `description`, any case) is left unread by the
 * approval-command reading (`approval_commands.ts`): a search query, a
 * commit message or an issue title that mentions `thoth approvals list` is
 * text to search, send or show. Not when it may be typed into a terminal:
 *
 * - the tool runs commands or types keys: a command runner (the default
 *   policy's `command-runners` globs) or a name with a word such as `type`,
 *   `keys`, `keyboard`, `press`, `input`, `stdin`, `terminal`, `pty`,
 *   `console` or `computer` in it (`type_text`, `send_input`,
 *   `write_stdin`, `send_keys`, `keyboardType`, `computer_use`): such a tool
 *   writes its `text` into a terminal;
 * - the value holds a shell marker: `;`, `&`, `|`, a backtick, `$(`, or a
 *   line break (a newline or CR types Enter, and starts a command);
 * - a key beside it says to press Enter (`press_enter`, `pressEnter`,
 *   `submit`, `enter`, `send_enter`, `execute`, `run`, set to true).
 *
 * Whatever the key, a value that runs `approve` or `deny` with an id-shaped
 * argument (eight characters of a request id, any case, or a word with `$`
 * in it) is read: a message that is exactly such a command is no prose
 * (see {@linkcode namesRequestId}). Pure.
 *
 * @example
 * ```ts
 * typesIntoTerminal("type_text"); // true
 * textMayStay("thoth approvals list", { query: "thoth approvals list" }, false); // true
 * textMayStay("thoth approvals list\n", { text: "thoth approvals list\n" }, false); // false
 * ```
 */
import { QUEUE_ID } from "../approval/queue_record.ts";
import { COMMAND_RUNNER_GLOBS } from "./command_runner_globs.ts";
import { type NameGlob, nameGlob } from "./name_glob.ts";
import { SHELL_MARKER, TAKES_ID } from "./approval_command_words.ts";
import { shellWords } from "./shell_words.ts";

/** Words of a tool name that say it types keys or writes into a terminal. */
const TYPING_WORDS: ReadonlySet<string> = new Set([
  "type",
  "types",
  "typing",
  "keyboard",
  "key",
  "keys",
  "keystroke",
  "keystrokes",
  "press",
  "input",
  "stdin",
  "terminal",
  "pty",
  "tty",
  "console",
  "tmux",
  "computer",
  "xdotool",
]);

/** Keys (lowercased, `_` and `-` taken out) that, set to true, send what was typed. */
const SENDS: ReadonlySet<string> = new Set([
  "pressenter",
  "sendenter",
  "enter",
  "submit",
  "execute",
  "run",
]);

let runnerGlobs: readonly NameGlob[] | undefined;

/** The words of a tool name, lowercased: split at `_ - . / :`, white space and a camelCase capital. */
function nameWords(tool: string): string[] {
  return tool.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s_\-./:]+/);
}

/** Whether the tool named `tool` runs commands or types keys into a terminal. */
export function typesIntoTerminal(tool: string): boolean {
  if (nameWords(tool).some((word) => TYPING_WORDS.has(word))) return true;
  // As the default policy's `command-runners` rule, which steps up, reads them: across `/`.
  runnerGlobs ??= COMMAND_RUNNER_GLOBS.map((glob) => nameGlob(glob, true));
  return runnerGlobs.some((glob) => glob.test(tool));
}

/**
 * Whether a text key's `value`, in the object `siblings` (the value's own
 * object), is text left unread: no shell marker or line break in it, no key
 * beside it that presses Enter, and `typing` (the tool types into a
 * terminal) false.
 */
export function textMayStay(value: string, siblings: object, typing: boolean): boolean {
  if (typing || SHELL_MARKER.test(value) || /[\r\n]/.test(value)) return false;
  for (const [key, child] of Object.entries(siblings)) {
    if (child === true && SENDS.has(key.toLowerCase().replace(/[_-]/g, ""))) return false;
  }
  return true;
}

/**
 * Whether the words of `text` hold `approve` or `deny` followed by an
 * id-shaped word: a request id in any case (`k3f9x2qa`, `K3F9X2QA`) or a
 * word a shell expands (`$ID`, `"$id"`).
 */
export function namesRequestId(text: string): boolean {
  const words = shellWords(text, true).words;
  for (let i = 0; i < words.length; i++) {
    if (!TAKES_ID.has(words[i]!.toLowerCase())) continue;
    for (let k = i + 1; k < words.length; k++) {
      const word = words[k]!;
      if (word.indexOf("$") !== -1 || QUEUE_ID.test(word.toLowerCase())) return true;
    }
  }
  return false;
}
