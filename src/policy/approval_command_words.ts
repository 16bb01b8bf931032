/**
 * The word tables of the approval-command reading (`approval_commands.ts`):
 * thoth's names, its approval subcommands, the words that run the command
 * after them, the programs and options whose arguments are data, the calls
 * in code that run what they are given, and the argument keys whose value is
 * text to search, send or show. Data only.
 *
 * @example
 * ```ts
 * SUBCOMMANDS.has("approve"); // true
 * RUNNER_CALL.test("execFileSync"); // true
 * TEXT_KEYS.has("query"); // true
 * ```
 */

/** The word that must be there (quotes, `\` and `$` aside) before anything else is read. */
export const GATE = "approvals";

/** The subcommands that list or settle requests (`help` hands out nothing). */
export const SUBCOMMANDS: ReadonlySet<string> = new Set(["approve", "deny", "list", "watch"]);

/** The subcommands that take one request id. */
export const TAKES_ID: ReadonlySet<string> = new Set(["approve", "deny"]);

/** The subcommands' options that take a value as the next word. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(["--reason", "--interval"]);

/** A program name that is thoth's (the last part of a word, any case). */
export const THOTH_NAME = /^thoth(?:ctl)?(?:\.(?:exe|cmd|bat|ps1|js|mjs|ts))?$/i;

/**
 * The names {@linkcode THOTH_NAME} matches, in lower case: what a word a
 * shell expands (`th?th`, `{thoth,}`) is matched against.
 */
export const THOTH_NAMES: readonly string[] = ["thoth", "thothctl"].flatMap((name) =>
  ["", ".exe", ".cmd", ".bat", ".ps1", ".js", ".mjs", ".ts"].map((extension) => name + extension)
);

/** thoth's source entry point, counted after `deno run` (or `deno task`) only. */
export const ENTRY_POINT = /^mod\.ts$/i;

/** A shell's reserved words after which a command starts (`if thoth …`, `then (…)`). */
export const RESERVED_WORDS: readonly string[] = [
  "if",
  "then",
  "do",
  "else",
  "elif",
  "while",
  "until",
];

/**
 * Words that run the command after them (their options and option values
 * aside): `env`, `sudo`, `xargs`, `watch -n1`, `timeout 5`, `builtin`,
 * `eval`, cmd's `call` and `start`, runners such as `npx`, and a shell's
 * reserved words.
 */
export const PREFIXES: ReadonlySet<string> = new Set([
  "env",
  "command",
  "exec",
  "sudo",
  "doas",
  "nohup",
  "setsid",
  "xargs",
  "watch",
  "builtin",
  "eval",
  "call",
  "start",
  "time",
  "nice",
  "timeout",
  "busybox",
  "stdbuf",
  "ionice",
  "chrt",
  "taskset",
  "caffeinate",
  "unbuffer",
  "npx",
  "bunx",
  "pnpx",
  "node",
  "bun",
  "tsx",
  "!",
  ...RESERVED_WORDS,
  "{",
  "(",
]);

/**
 * find's options after which the words up to `;` or `+` are a command,
 * wherever they stand: `-exec`, `-execdir`, `-ok` and `-okdir`.
 */
export const FIND_OPTIONS: ReadonlySet<string> = new Set(["-exec", "-execdir", "-ok", "-okdir"]);

/**
 * Options after which the rest of the words is a command (any case), after
 * a program of {@linkcode COMMAND_TAKERS} only: cmd's `/c` and `/k`,
 * PowerShell's `-Command` and `-c`, a terminal's `-e`, and `--`
 * (`systemd-run --user -- …`). After another program (`echo -e`, `ls --`,
 * `npm test --`) they are its own.
 */
export const COMMAND_OPTIONS: ReadonlySet<string> = new Set([
  "/c",
  "/k",
  "-command",
  "-c",
  "-e",
  "--",
]);

/**
 * Programs that take a command after one of {@linkcode COMMAND_OPTIONS}, by
 * the last part of their name without `.exe`: cmd, PowerShell, terminals,
 * and wrappers that run the command after `--` (`systemd-run`, `docker
 * exec`, `kubectl exec`, `npm exec`, `sudo`, `env`, `timeout`, `watch`).
 */
export const COMMAND_TAKERS: ReadonlySet<string> = new Set([
  "cmd",
  "start",
  "powershell",
  "pwsh",
  "xterm",
  "uxterm",
  "x-terminal-emulator",
  "gnome-terminal",
  "konsole",
  "xfce4-terminal",
  "mate-terminal",
  "lxterminal",
  "terminator",
  "tilix",
  "alacritty",
  "kitty",
  "wezterm",
  "foot",
  "urxvt",
  "rxvt",
  "st",
  "systemd-run",
  "exec",
  "dlx",
  "runuser",
  "su",
  "sudo",
  "doas",
  "env",
  "nohup",
  "setsid",
  "timeout",
  "nice",
  "ionice",
  "chrt",
  "taskset",
  "stdbuf",
  "flock",
  "watch",
  "xargs",
  "time",
  "unshare",
  "nsenter",
  "chroot",
  "firejail",
  "bwrap",
  "flatpak-spawn",
  "strace",
  "ltrace",
  "valgrind",
  "npx",
  "bunx",
  "pnpx",
  "uvx",
]);

/**
 * Programs that read a later word as a script in which `#` starts a comment
 * (`bash -lc '…'`, `eval '…'`, `su -c '…'`; `ssh`, `autossh` and `watch` hand it to a
 * shell), by the last part of their name, without `.exe`.
 */
export const SCRIPT_READERS: ReadonlySet<string> = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "mksh",
  "ash",
  "fish",
  "pwsh",
  "powershell",
  "eval",
  "iex",
  "invoke-expression",
  "su",
  "ssh",
  "autossh",
  "watch",
]);

/**
 * {@linkcode SCRIPT_READERS} that hand a later word to a POSIX shell, in
 * which a backtick pair runs wherever it stands, in double quotes too.
 */
export const POSIX_SHELLS: ReadonlySet<string> = new Set(
  [...SCRIPT_READERS].filter((name) =>
    name !== "fish" && name !== "pwsh" && name !== "powershell" && name !== "iex" &&
    name !== "invoke-expression"
  ),
);

/**
 * Argument keys whose string is a shell's command line (`{"command": "…"}`),
 * in lower case without `_` and `-` (`command_line`, `commandLine`): read as
 * a POSIX shell's script (see {@linkcode POSIX_SHELLS}). `input` too, of a
 * tool that types into a terminal.
 */
export const SHELL_KEYS: ReadonlySet<string> = new Set([
  "command",
  "commands",
  "cmd",
  "commandline",
  "cmdline",
  "shell",
  "shellcommand",
  "bash",
  "sh",
  "script",
  "run",
]);

/** An option whose value is a script: `-c`, `-lc`, `-ic`, `-Command`, cmd's `/c` and `/k`. */
export const SCRIPT_OPTION = /^(?:-[A-Za-z]*c|-command|\/[ck])$/i;

/** Subcommands of `deno` (and of package runners) that run the program named next. */
export const RUNNERS: ReadonlySet<string> = new Set(["run", "task", "x", "exec", "dlx"]);

/** Programs whose arguments are patterns to search for, not commands. */
export const SEARCHERS: ReadonlySet<string> = new Set([
  "grep",
  "egrep",
  "fgrep",
  "zgrep",
  "rg",
  "ag",
  "ack",
  "git-grep",
]);

/** Options whose value is a message or a filter, not a command (`git commit -m`). */
export const DATA_OPTIONS: ReadonlySet<string> = new Set([
  "-m",
  "--message",
  "--filter",
  "--grep",
]);

/**
 * The name (its last part, after `.` or `::`) of a call in code that runs
 * what it is given: `subprocess.run(`, `os.system(`, `execFileSync(`,
 * `spawn(`, `Popen(`, `check_output(`, `exec.Command(`, `new
 * ProcessBuilder(`, `new Deno.Command(`, `Process.Start(`, `eval(`, PHP's
 * `passthru(` and `proc_open(`, perl's `readpipe(` and `qx(`, ruby's
 * `%x(` and `Open3.capture2(`. A call named otherwise (`VALUES (`, `print(`, `describe(`) takes
 * data, so its arguments are not read as a command. Wide on purpose: a
 * name that holds one of these words counts.
 */
export const RUNNER_CALL =
  /exec|spawn|run|system|popen|call|command|shell|process|output|fork|eval|invoke|passthru|proc_open|readpipe|capture|^sh$|^cmd$|^q?x$|^start$/i;

/**
 * Argument keys whose whole value is text to search for, send or show, not a
 * command (`{"query": "thoth approvals list"}`), unless it also holds a
 * {@linkcode SHELL_MARKER}, may be typed or settles a request by id (see
 * `approval_command_text.ts`). Not `prompt`: an agent's tool (`codex`,
 * `claude_code`) takes the commands it runs as its prompt.
 */
export const TEXT_KEYS: ReadonlySet<string> = new Set([
  "query",
  "q",
  "search",
  "text",
  "body",
  "message",
  "title",
  "description",
]);

/**
 * What makes a text value a shell text after all: `;`, `&`, `|`, a
 * backtick, `$(`, a fenced code block's three backticks or a `#!` line.
 */
export const SHELL_MARKER = /[;&|`]|\$\(|(?:^|\n)#!/;

/** An assignment before a command (`A=1 thoth …`). */
export const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * An item of a run of quoted strings and names in code
 * (`'thoth',['approvals','approve',i]`), past `{`, `}`, a key (`args:`,
 * `args=`) and `new String[]`, a string's prefix in Python (`f"…"`, `rb'…'`)
 * or C (`L"…"`) read as part of it; read where the last one ended (sticky).
 */
export const LIST_ITEM =
  /(?:[\s,[\]{}]|new\s+[A-Za-z_][\w.]*|[A-Za-z_]\w*\s*(?::(?!:)|=(?!=)))*(?:[bBfFrRuUL]{1,2}(?=['"]))?(?:'([^'\\]*)'|"([^"\\]*)"|([A-Za-z_][A-Za-z0-9_.]*))/y;

/**
 * What makes a word more than one command word: white space, a separator, a
 * quote or a parenthesis (`sh -c '…'`, `node -e "execFileSync('thoth',…)"`).
 */
export const COMPOUND = /[\s;&|()`'"]/;
