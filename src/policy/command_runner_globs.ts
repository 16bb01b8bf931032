/**
 * The tool globs of the default policy's `command-runners` rule: tools whose
 * name says they run a shell or OS command, a script or code. Such a tool
 * does anything its user can (delete files, send mail, answer thoth's own
 * approval requests), so a person is asked. Built from word lists so every
 * case form (snake, camelCase, PascalCase, UPPER) holds the same words; a
 * name is read as words split at `_ - . /` and at a camelCase capital.
 *
 * - A verb that runs (run, exec, execute, invoke, spawn, start, launch,
 *   interact) before what it runs: a command, shell, script, code, file,
 *   process, program, REPL, notebook cell or a language, at once (also run
 *   together in lower case) or after one word that says which (`run_command`, `runCommand`, `Start-Process`,
 *   `execute_shell_command`, `run_python_code`, `run_terminal_cmd`,
 *   `run_in_terminal`, `interact_with_process`, `runcommand`); eval and
 *   evaluate only before code (`eval_js`, `evaluate_script`; not
 *   `evaluate_model`); open, new, create and attach before a terminal or
 *   shell (`open_terminal`); write, send and type into one
 *   (`write_to_terminal`), and send before a command or keys (`send_command`,
 *   `send-keys`); run, exec and execute in or on a container, pod, sandbox,
 *   VM or host (`exec_in_pod`), and exec before a container or pod.
 * - A tool word (ssh, docker, kubectl, pods, sandbox, terminal, shell,
 *   python, code and the others listed) before run, exec, execute, eval,
 *   command, shell, terminal, REPL or interpreter (`ssh_exec`, `docker_exec`,
 *   `pods_exec`, `terminal_execute`, `shell_exec`, `code_interpreter`,
 *   `python_repl`, `applescript_execute`).
 * - A shell, or run, exec, execute, eval, command, terminal, REPL, python,
 *   ssh, sudo, osascript or applescript, as the whole name (`shell`, `bash`,
 *   `sh`, `pwsh`, `cmd`, `execute`).
 *
 * What runs may be followed by a plural and by words that say how or where
 * (`run_commands`, `execute_command_async`, `run_command_with_timeout`,
 * `execute_code_in_sandbox`, `bash_tool`, `run_command_v2`); any other word
 * after it makes another name (`get_terminal_output`, `command_palette`,
 * `shell_history_search`, `run_code_review`, `terminal_command_output`).
 * Not asked: a query language (`execute_query`, `run_sql`, `execute_sql`:
 * powerful, but a database, not the machine), a listing or reading of
 * processes and terminals (`list_processes`, `read_terminal`,
 * `read_process_output`, `kill_process`), tests, builds, workflows and jobs
 * (`run_tests`, `run_workflow`, `start_job`), `git_*` tools, and evaluate
 * last in a name (`browser_evaluate`), and a verb with a word between that
 * is not listed (`run_vscode_command`). Asked though a reader, an approval
 * away (a glob has no "unless"): a name with another word before a tool
 * word and what it runs (`get_shell_command`).
 *
 * @example
 * ```ts
 * const rule = { id: "command-runners", match: { tool: COMMAND_RUNNER_GLOBS }, decision: "step_up" };
 * ```
 */

/** Shells and command interpreters. */
const SHELLS = ["shell", "bash", "sh", "zsh", "powershell", "powerShell", "pwsh", "cmd"];
/** Languages a tool may run code in. */
const LANGUAGES = [
  "python",
  "py",
  "ipython",
  "js",
  "javascript",
  "typescript",
  "ruby",
  "perl",
  "php",
  "lua",
  "applescript",
  "osascript",
  "jxa",
];
/** What the verbs that run run (also plural with s or es). */
const RUNS = [
  ...SHELLS,
  ...LANGUAGES,
  "command",
  "terminal",
  "script",
  "code",
  "snippet",
  "cell",
  "process",
  "subprocess",
  "program",
  "binary",
  "executable",
  "file",
  "repl",
];
/** Verbs that run what comes after them. */
const RUN_VERBS = ["run", "exec", "execute", "invoke", "spawn", "start", "launch", "interact"];
/**
 * Words that may stand between a verb and what it runs, and one only: they
 * say which, where or how (`run_terminal_cmd`, `execute_shell_command`,
 * `interact_with_process`).
 */
const QUALIFIERS = [
  ...SHELLS,
  "python",
  "py",
  "js",
  "javascript",
  "node",
  "typescript",
  "a",
  "the",
  "in",
  "on",
  "with",
  "terminal",
  "npm",
  "remote",
  "local",
  "ssh",
  "docker",
  "container",
  "sandbox",
  "user",
  "custom",
  "raw",
  "arbitrary",
  "system",
  "os",
  "background",
  "interactive",
  "async",
  "sync",
  "cli",
  "code",
  "script",
  "jupyter",
  "sudo",
  "new",
];
/** Verbs that run only code after them (`evaluate_model` is something else). */
const EVAL_VERBS = ["eval", "evaluate"];
/** What eval and evaluate run. */
const CODE = [...SHELLS, ...LANGUAGES, "code", "script", "snippet", "cell"];
/**
 * Verbs that open a terminal or shell or type into one (`open_terminal`,
 * `write_to_terminal`), the words between, and what they open or type into.
 */
const TERMINAL_VERBS = ["open", "new", "create", "attach", "write", "send", "type", "paste"];
const TERMINAL_QUALIFIERS = ["to", "in", "into", "a", "new", "interactive", "remote", "ssh"];
const TERMINALS = [...SHELLS, "terminal", "pty", "tty", "repl", "tmux", "pane"];
/** Where run, exec and execute run something, after in, on or into (`exec_in_pod`). */
const PLACES = ["container", "pod", "sandbox", "vm", "host", "machine"];
/** Tool words before run, exec and the others (`ssh_exec`, `pods_exec`, `code_interpreter`). */
const TOOL_WORDS = [
  ...SHELLS,
  ...LANGUAGES,
  "terminal",
  "ssh",
  "docker",
  "podman",
  "kubectl",
  "k8s",
  "pod",
  "container",
  "remote",
  "sandbox",
  "vm",
  "system",
  "os",
  "sudo",
  "tmux",
  "wsl",
  "jupyter",
  "kernel",
  "repl",
  "subprocess",
  "code",
  "node",
  "deno",
  "script",
  "command",
  "interactive",
  "host",
  "cli",
];
/** What comes after a tool word (`ssh_exec`, `docker_shell`, `python_repl`). */
const TOOL_RUNS = [
  "run",
  "exec",
  "execute",
  "eval",
  "command",
  "cmd",
  "shell",
  "terminal",
  "repl",
  "interpreter",
];
/** Names that run commands or code by themselves (`shell`, `bash`, `execute`). */
const WHOLE = [
  ...SHELLS,
  "exec",
  "execute",
  "run",
  "eval",
  "command",
  "terminal",
  "repl",
  "python",
  "ssh",
  "sudo",
  "osascript",
  "applescript",
  "interpreter",
];
/**
 * Words that may follow what runs, saying how or where: in, on, into, with
 * and via before anything (`run_command_in_container`,
 * `execute_command_with_timeout`), the others last (`bash_tool`,
 * `execute_command_async`, `run_command_v2`).
 */
const BEFORE_ANYTHING = ["in", "on", "into", "with", "via"];
const LAST = [
  "async",
  "sync",
  "tool",
  "line",
  "stream",
  "streaming",
  "background",
  "safe",
  "ephemeral",
];

const SEP = "[-_./]";
/** The start of the name or anything up to a separator: the word starts a word. */
const AT_WORD = `{,**${SEP}}`;

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const upper = (w: string) => w.toUpperCase();
const list = (words: readonly string[]) => `{${[...new Set(words)].join(",")}}`;
/** `[cC]ommand`: a word in lower case or capitalized (camelCase). */
const either = (w: string) => w.length === 0 ? "" : `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`;
const eitherList = (words: readonly string[]) => list(words.map(either));

/** After what runs: the end, a version or a word that says how or where. */
const HOW = `{,${SEP}}` +
  list([
    "",
    "[0-9]**",
    "[vV][0-9]**",
    ...BEFORE_ANYTHING.map((w) => `${either(w)}[-_./A-Z]**`),
    ...LAST.map(either),
  ]);
const HOW_UPPER = list([
  "",
  "[0-9]**",
  `${SEP}V[0-9]**`,
  ...BEFORE_ANYTHING.map((w) => `${SEP}${upper(w)}${SEP}**`),
  ...LAST.map((w) => SEP + upper(w)),
]);
/** The same after a plural (`run_commands`). */
const TRAIL = `{,s,es}${HOW}`;
const TRAIL_UPPER = `{,S,ES}${HOW_UPPER}`;

/**
 * The globs for verbs before what they run, in every case form: lower case
 * and camelCase (`run_command`, `runcommand`, `runCommand`), PascalCase
 * anywhere (`RunCommand`, `Start-Process`) and capitals (`RUN_COMMAND`),
 * with one of `between` between when given (`required`: never without one).
 */
function verbBefore(
  verbs: readonly string[],
  runs: readonly string[],
  between: readonly string[] = [],
  required = false,
): string[] {
  const none = required ? [] : [""];
  const q = between.length > 0 ? `${list([...none, ...between.map(either)])}{,${SEP}}` : "";
  const qUpper = between.length > 0 ? list([...none, ...between.map((w) => upper(w) + SEP)]) : "";
  const rest = `{,${SEP}}${q}${eitherList(runs)}${TRAIL}`;
  return [
    `${AT_WORD}${list(verbs)}${rest}`,
    `**${list(verbs.map(cap))}${rest}`,
    `${AT_WORD}${list(verbs.map(upper))}${SEP}${qUpper}${list(runs.map(upper))}${TRAIL_UPPER}`,
  ];
}

/** The `command-runners` rule's tool globs, in the order the default policy writes them. */
export const COMMAND_RUNNER_GLOBS: readonly string[] = [
  // A shell, or another word that runs, as the whole name (then how: bash_tool, exec_async).
  `${eitherList(WHOLE)}${HOW}`,
  `${list(WHOLE.map(upper))}${HOW_UPPER}`,
  // A verb that runs before what it runs; eval and evaluate only before code.
  ...verbBefore(RUN_VERBS, RUNS, QUALIFIERS),
  ...verbBefore(EVAL_VERBS, CODE, LANGUAGES),
  // Open a terminal or shell, or type into one; send a command or keys.
  ...verbBefore(TERMINAL_VERBS, TERMINALS, TERMINAL_QUALIFIERS),
  ...verbBefore(["send"], ["command", "cmd", "keys"]),
  // run, exec and execute in or on a place; exec a container or pod.
  ...verbBefore(["run", "exec", "execute"], PLACES, ["in", "on", "into", "inside"], true),
  ...verbBefore(["exec"], ["container", "pod"]),
  // A tool word before run, exec and the others.
  `${AT_WORD}${list(TOOL_WORDS)}{,s}{,${SEP}}${eitherList(TOOL_RUNS)}${TRAIL}`,
  `**${list(TOOL_WORDS.map(cap))}{,s}{,${SEP}}${eitherList(TOOL_RUNS)}${TRAIL}`,
  `${AT_WORD}${list(TOOL_WORDS.map(upper))}{,S}${SEP}${list(TOOL_RUNS.map(upper))}${TRAIL_UPPER}`,
];
