/**
 * The programs a wrapped entry may start thoth through, and how each reads
 * its own options before the command it starts: POSIX shells, PowerShell,
 * `cmd`'s switches, and prefix commands (`env`, `sudo`, `nice`, `su -c`,
 * `wsl`, `xargs`, …). Tables and option reading only; pure.
 *
 * @example
 * ```ts
 * LAUNCHERS.has("sudo"); // true
 * readOption(PREFIX_SPECS["sudo"]!, "-u"); // { kind: "value" }: the user is the next word
 * readOption(PREFIX_SPECS["sudo"]!, "-uSVC"); // { kind: "value", value: "SVC" }
 * readOption(PREFIX_SPECS["su"]!, "-c"); // { kind: "line" }: a command line follows
 * cmdSwitchesEnd(["/d", "/s", "/c", "thoth run"], 0); // 2
 * ```
 */

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

/** How a launcher reads its own options before the command it starts. */
export interface LauncherSpec {
  /**
   * Options that take no value (`sudo -E`, `setsid -w`; a cluster of them,
   * `caffeinate -dimsu`), and words before the command that are not options
   * (`wsl ~`). The next word is not theirs.
   */
  readonly flags?: readonly string[];
  /** Options whose value is the next word, or attached (`-uSVC`, `-o0`, `--user=svc`). */
  readonly values?: readonly string[];
  /** Options whose value is a command line a shell runs (`su -c LINE`, `flock -c LINE`). */
  readonly lines?: readonly string[];
  /**
   * Options whose value is split into words that take its place, before the
   * words after it (`env -S "thoth run" -- npx`: `thoth run -- npx`).
   */
  readonly splits?: readonly string[];
  /** Options after which the remaining words are the command (`wsl -e`). */
  readonly execs?: readonly string[];
  /** Words before the command that are not options (timeout's duration, flock's file). */
  readonly operands?: number;
  /** Options are whole words only (`arch -arm64`), never clusters of letters. */
  readonly wholeWords?: boolean;
  /**
   * What the words after the options are: a command (the default), a command
   * line joined from them (`wsl thoth run`), or nothing that starts (`su`:
   * only its `-c` line does).
   */
  readonly rest?: "command" | "line" | "none";
}

/**
 * Commands that start their arguments as another command (prefix commands),
 * with their options: a word is read as the command only where it stands
 * after them. An option not listed is read both ways: as a flag (the next
 * word is the command) and as taking the next word as its value (the word
 * after is the command, with only listed options between), so a missing
 * entry errs towards asking without reading the server's own options as the
 * launcher's (`sudo -Q uv --directory /opt/thoth run`).
 */
export const PREFIX_SPECS: Readonly<Record<string, LauncherSpec>> = {
  env: {
    flags: [
      "-i",
      "--ignore-environment",
      "-0",
      "--null",
      "-v",
      "--debug",
      "--ignore-signal",
      "--default-signal",
      "--block-signal",
      "--list-signal-handling",
    ],
    values: ["-u", "--unset", "-C", "--chdir", "-P", "-a", "--argv0"],
    splits: ["-S", "--split-string"],
  },
  nice: { values: ["-n", "--adjustment"] },
  nohup: {},
  sudo: {
    flags: [
      "-A",
      "--askpass",
      "-B",
      "--bell",
      "-b",
      "--background",
      "-E",
      "--preserve-env",
      "-H",
      "--set-home",
      "-i",
      "--login",
      "-K",
      "--remove-timestamp",
      "-k",
      "--reset-timestamp",
      "-N",
      "--no-update",
      "-n",
      "--non-interactive",
      "-P",
      "--preserve-groups",
      "-S",
      "--stdin",
      "-s",
      "--shell",
    ],
    values: [
      "-u",
      "--user",
      "-g",
      "--group",
      "-C",
      "--close-from",
      "-D",
      "--chdir",
      "-p",
      "--prompt",
      "-r",
      "--role",
      "-t",
      "--type",
      "-T",
      "--command-timeout",
      "-U",
      "--other-user",
      "-R",
      "--chroot",
      "--host",
    ],
  },
  doas: { flags: ["-n", "-s"], values: ["-u", "-C"] },
  timeout: {
    flags: ["--foreground", "--preserve-status", "-v", "--verbose"],
    values: ["-k", "--kill-after", "-s", "--signal"],
    operands: 1,
  },
  stdbuf: { values: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  ionice: {
    flags: ["-t", "--ignore"],
    values: ["-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"],
  },
  chrt: {
    flags: [
      "-a",
      "--all-tasks",
      "-b",
      "--batch",
      "-d",
      "--deadline",
      "-f",
      "--fifo",
      "-i",
      "--idle",
      "-o",
      "--other",
      "-r",
      "--rr",
      "-R",
      "--reset-on-fork",
      "-v",
      "--verbose",
    ],
    values: ["-T", "--sched-runtime", "-P", "--sched-period", "-D", "--sched-deadline"],
    operands: 1,
  },
  taskset: { flags: ["-a", "--all-tasks", "-c", "--cpu-list"], operands: 1 },
  setsid: { flags: ["-c", "--ctty", "-f", "--fork", "-w", "--wait"] },
  runuser: {
    flags: ["-l", "--login", "-m", "-p", "--preserve-environment", "-P", "--pty", "-f", "--fast"],
    values: [
      "-u",
      "--user",
      "-g",
      "--group",
      "-G",
      "--supp-group",
      "-s",
      "--shell",
      "-w",
      "--whitelist-environment",
    ],
    lines: ["-c", "--command", "--session-command"],
  },
  su: {
    flags: ["-l", "--login", "-m", "-p", "--preserve-environment", "-P", "--pty", "-f", "--fast"],
    values: [
      "-s",
      "--shell",
      "-g",
      "--group",
      "-G",
      "--supp-group",
      "-w",
      "--whitelist-environment",
    ],
    lines: ["-c", "--command", "--session-command"],
    operands: Infinity,
    rest: "none",
  },
  arch: {
    flags: ["-32", "-64", "-c", "-i386", "-x86_64", "-x86_64h", "-arm64", "-arm64e"],
    values: ["-arch", "-e", "-d"],
    wholeWords: true,
  },
  caffeinate: { flags: ["-d", "-i", "-m", "-s", "-u"], values: ["-t", "-w"] },
  wsl: {
    flags: ["~", "--system"],
    values: ["-d", "--distribution", "--distribution-id", "-u", "--user", "--cd", "--shell-type"],
    execs: ["-e", "--exec"],
    rest: "line",
  },
  flock: {
    flags: [
      "-s",
      "--shared",
      "-x",
      "-e",
      "--exclusive",
      "-u",
      "--unlock",
      "-n",
      "--nb",
      "--nonblock",
      "-o",
      "--close",
      "-F",
      "--no-fork",
      "--verbose",
    ],
    values: ["-w", "--wait", "--timeout", "-E", "--conflict-exit-code"],
    lines: ["-c", "--command"],
    operands: 1,
  },
  time: {
    flags: ["-p", "--portability", "-v", "--verbose", "-a", "--append", "-q", "--quiet"],
    values: ["-o", "--output", "-f", "--format"],
  },
  command: { flags: ["-p"] },
  xargs: {
    flags: [
      "-0",
      "--null",
      "-r",
      "--no-run-if-empty",
      "-t",
      "--verbose",
      "-p",
      "--interactive",
      "-x",
      "--exit",
      "-o",
      "--open-tty",
    ],
    values: [
      "-a",
      "--arg-file",
      "-d",
      "--delimiter",
      "-E",
      "-I",
      "-L",
      "--max-lines",
      "-n",
      "--max-args",
      "-P",
      "--max-procs",
      "-s",
      "--max-chars",
      "--process-slot-var",
    ],
  },
  "systemd-run": {
    flags: [
      "--user",
      "--system",
      "--scope",
      "--no-ask-password",
      "--no-block",
      "--wait",
      "--slice-inherit",
      "--send-sighup",
      "--ignore-failure",
      "-G",
      "--collect",
      "-d",
      "--same-dir",
      "-P",
      "--pipe",
      "-q",
      "--quiet",
      "-r",
      "--remain-after-exit",
      "-S",
      "--shell",
      "-t",
      "--pty",
      "--verbose",
    ],
    values: [
      "-u",
      "--unit",
      "-p",
      "--property",
      "-H",
      "--host",
      "-M",
      "--machine",
      "--description",
      "--slice",
      "--service-type",
      "--uid",
      "--gid",
      "--nice",
      "--working-directory",
      "-E",
      "--setenv",
      "--on-active",
      "--on-boot",
      "--on-startup",
      "--on-unit-active",
      "--on-unit-inactive",
      "--on-calendar",
      "--timer-property",
      "--path-property",
      "--socket-property",
      "--json",
    ],
  },
  busybox: {},
};

/** `runuser` without `-u`: like `su`, a user and options; only its `-c` line starts a command. */
export const RUNUSER_AS_SU: LauncherSpec = {
  ...PREFIX_SPECS["su"]!,
  values: PREFIX_SPECS["runuser"]!.values!,
};

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

/** `runuser -u USER -- command` starts a command; `runuser USER -c LINE` only a line, as `su`. */
export function launcherSpec(name: string, words: readonly string[], at: number): LauncherSpec {
  if (name !== "runuser") return PREFIX_SPECS[name]!;
  const given = words.slice(at).some((word) => /^(-u|--user)$|^--user=|^-[A-Za-z]*u/.test(word));
  return given ? PREFIX_SPECS["runuser"]! : RUNUSER_AS_SU;
}

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

/** One option of a prefix command, as its spec reads it. */
export type ReadOption =
  | { kind: "value" | "line" | "split"; value?: string }
  | { kind: "exec" | "flag" | "unknown" };

/** How `spec` reads the option `word` (a long option, maybe `=value`, or a cluster of short ones). */
export function readOption(spec: LauncherSpec, word: string): ReadOption {
  const has = (list: readonly string[] | undefined, name: string) => list?.includes(name) === true;
  if (has(spec.execs, word)) return { kind: "exec" };
  if (word.startsWith("--") || spec.wholeWords === true) {
    const eq = word.indexOf("=");
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? {} : { value: word.slice(eq + 1) };
    if (has(spec.lines, name)) return { kind: "line", ...value };
    if (has(spec.splits, name)) return { kind: "split", ...value };
    if (has(spec.values, name)) return { kind: "value", ...value };
    // "--preserve-env=LIST": a flag whose value, if any, is in the word.
    return has(spec.flags, name) ? { kind: "flag" } : { kind: "unknown" };
  }
  // A cluster of short options: "-Eu svc", "-o0", "-c3", "-dimsu".
  let unknown = false;
  for (let j = 1; j < word.length; j++) {
    const name = `-${word[j]}`;
    const rest = word.slice(j + 1);
    const value = rest === "" ? {} : { value: rest };
    if (has(spec.execs, name) && rest === "") return { kind: "exec" };
    if (has(spec.lines, name)) return { kind: "line", ...value };
    if (has(spec.splits, name)) return { kind: "split", ...value };
    if (has(spec.values, name)) return { kind: "value", ...value };
    if (!has(spec.flags, name)) unknown = true;
  }
  return unknown ? { kind: "unknown" } : { kind: "flag" };
}

/** The index of the first word after cmd's own switches (`/d`, `/s`, `/q`, `/e:on`, …). */
export function cmdSwitchesEnd(words: readonly string[], at: number): number {
  let i = at;
  while (i < words.length && /^\/(?:[dqsauxy]|[eftv]:\S*)$/i.test(words[i]!)) i++;
  return i;
}
