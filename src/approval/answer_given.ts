/**
 * How a person's answer in the approval queue was given, as the
 * `thoth approvals` that wrote it saw its own process: through which
 * command (`via`), whether its standard input and output were both a
 * terminal (`terminal`), the name of its controlling terminal when known
 * (`tty`), and whether the check that it runs inside no server thoth
 * governs could read the process tree (`treeChecked`, absent when not
 * known). The answer file carries it (`given`), covered by the answer's
 * MAC (see `answer_mac.ts`), and the waiting thoth copies it into the
 * approval record of the audit log, so that an answer given by a script
 * or a tool the model called (no terminal) reads otherwise than one typed
 * at a terminal. It is what that process saw, not proof of a person: any
 * process of the user can read the key and start a terminal of its own
 * (`script`). Pure.
 *
 * Where the process tree was read it also names the answering process and
 * its ancestors (`chain`, at most {@linkcode CHAIN_MAX} program names, the
 * answering process first: `["thoth","bash","sshd"]`), as the one `ps`
 * table the governed-caller check reads shows their command lines, with two
 * flags read from it ({@linkcode chainFacts}): `orphaned`, the chain reaches
 * pid 1 or a subreaper within {@linkcode ORPHAN_STEPS} steps with no login
 * shell, sshd, tmux, screen, terminal emulator, or editor or IDE that hosts
 * a terminal (VS Code, Emacs, vim, a JetBrains IDE) on the way (a process that
 * forked twice, or was started by `setsid`, `nohup … &`, `at`, to leave the
 * tree it ran in); `underScript`, a program that makes a terminal for
 * another (`script`, `expect`, `unbuffer`, `socat`, `python -c` with `pty`)
 * is in the chain. A person at a terminal gives neither. They make the
 * cheap way for a model's tool to answer visible to an auditor; they prove
 * nothing about a determined process of the same user, which can name its
 * programs as it likes (`exec -a`), or start deep enough to reach no
 * subreaper in a few steps.
 *
 * @example
 * ```ts
 * parseAnswerGiven({ via: "cli", terminal: false, treeChecked: true }); // the same, typed
 * givenWords({ via: "cli", terminal: false }); // "without a terminal"
 * givenWords({ via: "cli", terminal: true, chain: ["thoth", "sh"], orphaned: true, underScript: false });
 * // "from a detached process"
 * ```
 */
import { ancestorsOf, type ProcessRow } from "./governed_caller.ts";

/** How an answer was given (see the module doc). */
export interface AnswerGiven {
  /** `cli`: `thoth approvals approve` or `deny`; `watch`: a key pressed in `thoth approvals watch`. */
  via: "cli" | "watch";
  /** Standard input and standard output were both a terminal. */
  terminal: boolean;
  /** The controlling terminal's name as `ps` shows it (`pts/3`), when it has one and it is known. */
  tty?: string;
  /** The governed-caller check read the process tree (false: it could not; absent: not known). */
  treeChecked?: boolean;
  /** The answering process's program name, then its ancestors' (at most {@linkcode CHAIN_MAX}). */
  chain?: string[];
  /** The chain reaches pid 1 or a subreaper in a few steps, past no place a person types. */
  orphaned?: boolean;
  /** A program that makes a terminal for another (`script`, `expect`, …) is in the chain. */
  underScript?: boolean;
}

/** An outcome or answer that may carry {@linkcode AnswerGiven}. */
export interface GivenFacts {
  given?: AnswerGiven;
}

const KEYS = ["via", "terminal", "tty", "treeChecked", "chain", "orphaned", "underScript"];

/** The characters a terminal name may hold (`pts/3`, `ttys004`, `tty1`). */
const TTY = /^[A-Za-z0-9/._-]{1,64}$/;

/** How many program names `chain` holds at most, the answering process's first. */
export const CHAIN_MAX = 8;

/** Within how many steps up from the answering process pid 1 or a subreaper makes it `orphaned`. */
export const ORPHAN_STEPS = 4;

/** The characters a program name in `chain` may hold; others are written `_`. */
const NAME = /^[A-Za-z0-9._+:@,=%-]{1,32}$/;

/** Programs that adopt orphaned processes: pid 1's, and the usual subreapers. */
const REAPERS = new Set([
  "init",
  "systemd",
  "launchd",
  "tini",
  "dumb-init",
  "docker-init",
  "catatonit",
]);

/** Where a person types: remote logins, multiplexers, terminal emulators, editors with a terminal. */
const PERSON_PLACES = new Set([
  "login",
  "sshd",
  "mosh-server",
  "tmux",
  "screen",
  "xterm",
  "uxterm",
  "urxvt",
  "rxvt",
  "gnome-terminal",
  "gnome-terminal-server",
  "konsole",
  "xfce4-terminal",
  "mate-terminal",
  "lxterminal",
  "qterminal",
  "terminator",
  "guake",
  "tilix",
  "alacritty",
  "kitty",
  "foot",
  "wezterm",
  "wezterm-gui",
  "ghostty",
  "st",
  "Terminal",
  "iTerm2",
  "Warp",
  "warp",
  "warp-terminal",
  // Editors and IDEs that host a terminal (VS Code and its kin, Zed, vim's `:terminal`).
  "code",
  "code-insiders",
  "code-oss",
  "codium",
  "vscodium",
  "cursor",
  "Cursor",
  "windsurf",
  "Windsurf",
  "zed",
  "zed-editor",
  "vim",
  "nvim",
  "gvim",
  // JetBrains IDEs started by their native launcher.
  "idea",
  "pycharm",
  "goland",
  "webstorm",
  "clion",
  "rider",
  "phpstorm",
  "rubymine",
  "rustrover",
  "datagrip",
]);

/** Emacs by any of its builds' names (`emacs`, `emacs-gtk`, `emacs-29.3`, `Emacs`). */
const EMACS = /^emacs(?:[-.][A-Za-z0-9._-]*)?$/i;

/** A JetBrains IDE in a Java command line (its install path or main class). */
const JETBRAINS =
  /jetbrains|\b(?:idea|intellij|pycharm|goland|webstorm|clion|rider|phpstorm|rubymine|rustrover|datagrip)\b/i;

/** VS Code's pty host or remote server (and its forks') in a Node command line. */
const VSCODE_NODE = /\.(?:vscode|vscode-insiders|vscodium|cursor|windsurf)-server\b|\bptyHost\b/;

/**
 * Whether a command line is a place a person types: a login shell, one of
 * {@linkcode PERSON_PLACES}, Emacs, or a runtime whose arguments name what
 * it runs (`java` with a JetBrains IDE, `node` as VS Code's pty host or
 * remote server, `python3` running one of those places), where the bare
 * name says too little.
 */
function personPlace(args: string): boolean {
  const name = programName(args);
  if (loginShell(args) || PERSON_PLACES.has(name) || EMACS.test(name)) return true;
  if (/^javaw?(?:\.exe)?$/.test(name)) return JETBRAINS.test(args);
  // A terminal written in Python (`python3 /usr/bin/terminator`): the script's name.
  const script = args.trim().split(/\s+/)[1] ?? "";
  if (/^python[0-9.]*$/.test(name) && !script.startsWith("-")) {
    return PERSON_PLACES.has(programName(script));
  }
  return /^node(?:\.exe)?$/.test(name) && VSCODE_NODE.test(args);
}

/** Programs that run another on a terminal they make, so that it reads as one typed at. */
const SCRIPTERS = new Set(["script", "expect", "unbuffer", "socat", "empty"]);

/** The program name of a command line: its first word's last path part, `-` and `:` trimmed. */
function programName(args: string): string {
  const first = args.trim().split(/\s+/)[0] ?? "";
  const name = (first.split("/").pop() ?? "").replace(/^-+/, "").replace(/:+$/, "");
  const clean = name.replace(/[^A-Za-z0-9._+:@,=%-]/g, "_").slice(0, 32);
  return clean === "" ? "?" : clean;
}

/** A login shell: `ps` shows it with a leading `-` (`-bash`), or it was given `--login` or `-l`. */
function loginShell(args: string): boolean {
  const words = args.trim().split(/\s+/);
  const shell = /^(?:ba|z|k|fi|tc|c|da|)sh$/.test(programName(args));
  return words[0]?.startsWith("-") === true ||
    shell && (words.includes("--login") || words.includes("-l"));
}

/** Whether a command line makes a terminal for another program (see {@linkcode SCRIPTERS}). */
function makesTerminal(args: string): boolean {
  const name = programName(args);
  return SCRIPTERS.has(name) || /^python[0-9.]*$/.test(name) && /\bpty\b/.test(args);
}

/**
 * The `chain`, `orphaned` and `underScript` of the process `pid` in
 * `table` (as `ps -A -o pid=,ppid=,args=` shows it: see
 * `governed_caller.ts`), or undefined when the table does not list it.
 * `orphaned` needs pid 1 or a subreaper (by name) within
 * {@linkcode ORPHAN_STEPS} steps: a chain that ends sooner at a parent the
 * table does not list is not called orphaned.
 */
export function chainFacts(
  table: ReadonlyMap<number, ProcessRow>,
  pid: number,
): Required<Pick<AnswerGiven, "chain" | "orphaned" | "underScript">> | undefined {
  const self = table.get(pid);
  if (self === undefined) return undefined;
  const rows = [self, ...ancestorsOf(table, pid)];
  let orphaned = false;
  for (let step = 1; step <= ORPHAN_STEPS; step++) {
    const row = rows[step];
    // A parent the table does not list (another pid namespace: `docker exec`) says nothing.
    if (row === undefined) break;
    if (row.pid === 1 || REAPERS.has(programName(row.args))) {
      orphaned = true;
      break;
    }
    if (personPlace(row.args)) break;
  }
  const shown = rows.slice(0, CHAIN_MAX);
  return {
    chain: shown.map((row) => programName(row.args)),
    orphaned,
    underScript: shown.slice(1).some((row) => makesTerminal(row.args)),
  };
}

/** Validates a parsed `given` field; null when it is not one. */
export function parseAnswerGiven(value: unknown): AnswerGiven | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (!Object.keys(v).every((key) => KEYS.includes(key))) return null;
  const ok = (v["via"] === "cli" || v["via"] === "watch") && typeof v["terminal"] === "boolean" &&
    (v["tty"] === undefined || typeof v["tty"] === "string" && TTY.test(v["tty"])) &&
    (v["treeChecked"] === undefined || typeof v["treeChecked"] === "boolean") &&
    (v["chain"] === undefined || Array.isArray(v["chain"]) && v["chain"].length >= 1 &&
        v["chain"].length <= CHAIN_MAX &&
        v["chain"].every((name) => typeof name === "string" && NAME.test(name))) &&
    (v["orphaned"] === undefined || typeof v["orphaned"] === "boolean") &&
    (v["underScript"] === undefined || typeof v["underScript"] === "boolean");
  return ok ? v as unknown as AnswerGiven : null;
}

/**
 * `given` in a fixed order, absent fields as null: what the answer's MAC
 * covers (see `answer_mac.ts`).
 */
export function givenForMac(given: AnswerGiven): unknown[] {
  const fields = [given.via, given.terminal, given.tty ?? null, given.treeChecked ?? null];
  // The process chain and its flags, only when the answer has them: an answer
  // written before they were recorded keeps the MAC it was written with.
  const chain = [given.chain, given.orphaned, given.underScript];
  return chain.every((field) => field === undefined)
    ? fields
    : [...fields, ...chain.map((field) => field ?? null)];
}

/**
 * What a listing or the audit adds to "approved by ana": "without a
 * terminal", "from a detached process", "under script", "the process tree
 * unchecked", joined by commas; "" for an answer typed at a terminal with
 * the tree checked, or one that says nothing of how it was given.
 */
export function givenWords(given: AnswerGiven | undefined): string {
  if (given === undefined) return "";
  const parts = [
    given.terminal ? "" : "without a terminal",
    given.orphaned === true ? "from a detached process" : "",
    given.underScript === true ? "under script" : "",
    given.treeChecked === false ? "the process tree unchecked" : "",
  ].filter((part) => part !== "");
  return parts.join(", ");
}
