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
 *   ssh, sudo, osascript or applescript, or an agent that runs commands
 *   (`codex`, `claude_code`), as the whole name (`shell`, `bash`, `sh`,
 *   `pwsh`, `cmd`, `execute`), also after an aggregator's prefix that ends
 *   in `__`, `.` or `/` (`developer__shell`, `my-server.shell`), and a shell
 *   after a `-` (`my-server-shell`; not `dry-run`).
 * - run, exec and execute before node, deno, bun or go (`run_node`), and
 *   before code, a script or a command after any one word (the open slot:
 *   `execute_blender_code`, `run_houdini_script`, `run_vscode_command`).
 * - A word that says whose or what kind a shell or terminal is before it, as
 *   the whole name (`local_shell`, `mcp_shell`, `secure_shell`,
 *   `LocalShell`), also after an aggregator's prefix: see `shell_kind_globs.ts`.
 * - Typing into a terminal or stdin (`terminal_send_text`,
 *   `send_text_to_terminal`, `send_terminal_input`, `write_stdin`,
 *   `terminal_input`, `send_input`): see `terminal_typing_globs.ts`.
 * - A library call that runs a command line as the whole name (`os_system`,
 *   `os.system`, `subprocess_check_output`, `child_process_exec`): see
 *   `library_call_globs.ts`.
 * - What runs before an execution, executor or runner, as the whole name
 *   (`code_execution`, `command_execution`, `python_executor`); a process
 *   before exec, execute or spawn (`process_exec`); create or new before a
 *   process (`create_process`); `spawn` and `computer` (Anthropic's
 *   computer-use tool types and clicks anywhere) as the whole name, and
 *   Windows-MCP's `Type-Tool` (it types into any window and presses Enter).
 * - Lisp and Emacs as languages and tool words (`eval_elisp`, `lisp_eval`,
 *   `emacs_eval`, `nrepl_eval`), and AppleScript's `do_shell_script`.
 * - run a container or pod (`run_container` runs an image's command),
 *   `Invoke-Expression`, and a browser's evaluate (`browser_evaluate`,
 *   `puppeteer_evaluate`): page JavaScript runs in the browser's sandbox,
 *   not on the machine, but with the pages the user is signed in to, and no
 *   name tells it from `evaluate_script` or `run_javascript`: all are asked.
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
 * (`run_tests`, `run_workflow`, `start_job`), `git_*` tools, evaluate last
 * after another word than a browser's (`page_evaluation`), a shell after a
 * word that reads or names one (`get_shell`, `default_shell`, `login_shell`,
 * `get_local_shell`), a shell's facts (`shell_info`, `shell_version`: a word
 * after the shell that is not how or where), `terminal_type`, keys sent to
 * anything but a terminal (`send_keys_to_browser`), `get_os_system`, and
 * start before node (`start_node`), a game's or a workflow's spawn and
 * execution (`spawn_enemy`, `workflow_execution`, `test_runner`,
 * `get_code_execution`), `terminal_output`, `read_stdin`, `send_input_event`,
 * `computer_info` and `type_text` (it may type into a page). Asked though a reader, an approval
 * away (a glob has no "unless"): a name with another word before a tool
 * word and what it runs (`get_shell_command`).
 *
 * @example
 * ```ts
 * const rule = { id: "command-runners", match: { tool: COMMAND_RUNNER_GLOBS }, decision: "step_up" };
 * ```
 */
import {
  AGGREGATED,
  HOW,
  HOW_UPPER,
  pair,
  SHELLS,
  TERMINALS,
  TRAIL,
  TRAIL_UPPER,
  verbBefore,
} from "./command_runner_shapes.ts";
import { LIBRARY_CALL_GLOBS } from "./library_call_globs.ts";
import { SHELL_KIND_GLOBS } from "./shell_kind_globs.ts";
import { TERMINAL_TYPING_GLOBS } from "./terminal_typing_globs.ts";
import { AT_WORD, cap, eitherList, list, SEP, upper } from "./tool_name_words.ts";

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
  "r",
  "julia",
  "clojure",
  "vba",
  "applescript",
  "osascript",
  "jxa",
  "elisp",
  "lisp",
];
/**
 * Runtimes run, exec and execute run (`run_node`, `execute_deno`, `go_run`),
 * not start or launch (`start_node` starts a cluster's node).
 */
const RUNTIMES = ["node", "deno", "bun", "go"];
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
  "notebook",
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
  "notebook",
  "adb",
  "sudo",
  "new",
];
/**
 * What run, exec and execute run after any one word between (the open slot:
 * `execute_blender_code`, `run_houdini_script`, `run_vscode_command`).
 */
const OPEN_SLOT_RUNS = ["code", "script", "command", "cmd"];
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
/**
 * What an execution, executor or runner runs, before it as the whole name
 * (`code_execution`, `command_execution`, `python_executor`, `script_runner`;
 * not `workflow_execution`, `test_runner` or `get_code_execution`).
 */
const EXECUTED = [...SHELLS, ...LANGUAGES, "command", "cmd", "code", "script", "snippet", "cell"];
const EXECUTIONS = ["execution", "executor", "runner"];
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
  "bun",
  "go",
  "adb",
  "script",
  "command",
  "interactive",
  "host",
  "cli",
  "emacs",
  "nrepl",
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
  "generic",
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
  "subprocess",
  "popen",
  // Agents that run commands on the machine: Codex and Claude Code as MCP servers, Goose's script tool.
  "codex",
  "codex-reply",
  "claude_code",
  "automation_script",
  // A process started by itself (`spawn`; `spawn_enemy` spawns something else).
  "spawn",
  // Anthropic's computer-use tool: it types and clicks anywhere, a terminal included.
  "computer",
];
/**
 * The whole names that also count after a `-` (`my-server-shell`): a kebab
 * prefix reads as a word of the name (`dry-run`), so only shells.
 */
const DASH_WHOLE = [...SHELLS, "sudo", "osascript", "applescript"];
/** Browser tools that evaluate a page's JavaScript (`browser_evaluate`, `puppeteer_evaluate`). */
const BROWSERS = ["browser", "puppeteer", "playwright", "page", "chrome", "devtools", "cdp"];
/** The `command-runners` rule's tool globs, in the order the default policy writes them. */
export const COMMAND_RUNNER_GLOBS: readonly string[] = [
  // A shell, or another word that runs, as the whole name (then how: bash_tool, exec_async).
  // Also after an aggregator's prefix (developer__shell, my-server.shell), or a `-` before a shell.
  `${list(AGGREGATED)}${eitherList(WHOLE)}${HOW}`,
  `${list(AGGREGATED)}${list(WHOLE.map(upper))}${HOW_UPPER}`,
  `**-${eitherList(DASH_WHOLE)}${HOW}`,
  // A verb that runs before what it runs; eval and evaluate only before code.
  ...verbBefore(RUN_VERBS, RUNS, QUALIFIERS),
  ...verbBefore(["run", "exec", "execute"], RUNTIMES, QUALIFIERS),
  // run, exec and execute with any one word before code, a script or a command.
  `${AT_WORD}{run,exec,execute}${SEP}*${SEP}${eitherList(OPEN_SLOT_RUNS)}${TRAIL}`,
  `${AT_WORD}{run,exec,execute}[A-Z0-9]*${list(OPEN_SLOT_RUNS.map(cap))}${TRAIL}`,
  `**{Run,Exec,Execute}[A-Z0-9]*${list(OPEN_SLOT_RUNS.map(cap))}${TRAIL}`,
  `${AT_WORD}{RUN,EXEC,EXECUTE}${SEP}*${SEP}${list(OPEN_SLOT_RUNS.map(upper))}${TRAIL_UPPER}`,
  ...verbBefore(EVAL_VERBS, CODE, LANGUAGES),
  // Open a terminal or shell, or type into one; send a command or keys.
  ...verbBefore(TERMINAL_VERBS, TERMINALS, TERMINAL_QUALIFIERS),
  ...verbBefore(["send"], ["command", "cmd", "keys"]),
  // run, exec and execute in or on a place; exec a container or pod.
  ...verbBefore(["run", "exec", "execute"], PLACES, ["in", "on", "into", "inside"], true),
  ...verbBefore(["exec"], ["container", "pod"]),
  // run a container or pod (an image with its command: mcp-server-docker's run_container).
  ...verbBefore(["run"], ["container", "pod"]),
  // Invoke-Expression: PowerShell's eval.
  ...verbBefore(["invoke"], ["expression"]),
  // A browser evaluates a page's JavaScript (browser_evaluate, puppeteer_evaluate).
  `${AT_WORD}${list(BROWSERS)}{,${SEP}}${eitherList(EVAL_VERBS)}${TRAIL}`,
  `**${list(BROWSERS.map(cap))}{,${SEP}}${eitherList(EVAL_VERBS)}${TRAIL}`,
  // A word that says whose or what kind before a shell or terminal, as the whole name
  // (local_shell, mcp_shell, LocalShell; not get_shell or default_shell).
  ...SHELL_KIND_GLOBS,
  // Typing into a terminal or a process's stdin (terminal_send_text, send_text_to_terminal,
  // send_terminal_input, write_stdin, terminal_input, send_input).
  ...TERMINAL_TYPING_GLOBS,
  // Library calls that run a command line (os_system, subprocess_check_output).
  ...LIBRARY_CALL_GLOBS,
  // What an execution, executor or runner runs before it, as the whole name (code_execution,
  // python_executor); a process before exec, execute or spawn (process_exec, proc_spawn).
  ...pair(list(AGGREGATED), EXECUTED, EXECUTIONS),
  ...pair(AT_WORD, ["process", "proc"], ["exec", "execute", "spawn"]),
  // create or new before a process (create_process: Windows' CreateProcess).
  ...verbBefore(["create", "new"], ["process", "subprocess"]),
  // AppleScript's do shell script.
  ...verbBefore(["do"], ["script"], ["shell"], true),
  // Windows-MCP's Type-Tool: types into any window (a terminal included) and can press Enter.
  `${list(AGGREGATED)}Type-Tool`,
  // A tool word before run, exec and the others.
  `${AT_WORD}${list(TOOL_WORDS)}{,s}{,${SEP}}${eitherList(TOOL_RUNS)}${TRAIL}`,
  `**${list(TOOL_WORDS.map(cap))}{,s}{,${SEP}}${eitherList(TOOL_RUNS)}${TRAIL}`,
  `${AT_WORD}${list(TOOL_WORDS.map(upper))}{,S}${SEP}${list(TOOL_RUNS.map(upper))}${TRAIL_UPPER}`,
];
