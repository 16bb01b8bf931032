/**
 * Where the command that a remote shell (`ssh`, `autossh`, `mosh`) runs on
 * the other machine starts among its words: past the program's options
 * (and their values), the destination, and the options also read after it.
 * ssh joins those words with spaces and hands them to the other machine's
 * shell (mosh runs them there as one command's words, and reads its own
 * options as perl's Getopt::Long does: one dash or two, a name's start, also
 * after the host), so for a command to
 * this very machine (`ssh localhost …`, `ssh 127.0.0.1 …`, `ssh ::1 …`)
 * they are a local command. Pure.
 *
 * @example
 * ```ts
 * remoteCommandStart("ssh", ["ssh", "-o", "X=y", "ana@localhost", "thoth", "list"], 0); // 4
 * remoteCommandStart("ssh", ["ssh", "localhost"], 0); // -1
 * remoteCommandStart("ssh", ["localhost", "ls"], -1); // 1
 * remoteCommandStart("autossh", ["autossh", "-M", "0", "host", "ls"], 0); // 4
 * remoteCommandStart("mosh", ["mosh", "--ssh", "ssh -p 22", "host", "--", "ls"], 0); // 5
 * remoteCommandStart("mosh", ["mosh", "host", "-ssh", "ssh", "ls"], 0); // 4
 * remoteCommand("mosh", ["mosh", "host", "-a", "ls", "--", "-l"], 0); // ["ls", "-l"]
 * remoteShellCall({ command: "ssh", args: ["localhost", "ls"] })?.shell; // "ssh"
 * ```
 */

import { lastPart } from "./approval_command_simple.ts";
import { argvKey, namedProgram } from "./program_keys.ts";

/** A program that runs a command on another machine, as ssh does. */
export type RemoteShell = "ssh" | "autossh" | "mosh";

/** A remote shell's program name (the last part of a word, any case), and which it is. */
const REMOTE_SHELL = /^(ssh|autossh|mosh)(?:\.exe)?$/i;

/** The longest string read as ssh's program name. */
const MAX_PROGRAM_LENGTH = 4096;

/**
 * The remote shell `word` names by its last part (`/usr/bin/ssh`, `MOSH.EXE`), if any.
 *
 * @example
 * ```ts
 * remoteShell("/usr/bin/autossh"); // "autossh"
 * remoteShell("sshpass"); // undefined
 * ```
 */
export function remoteShell(word: string): RemoteShell | undefined {
  if (word.length > MAX_PROGRAM_LENGTH) return undefined;
  return REMOTE_SHELL.exec(lastPart(word.trim()))?.[1]?.toLowerCase() as RemoteShell | undefined;
}

/**
 * How an object of a call's arguments names a remote shell as the program
 * it runs: `shell`, and with `argvOnly`, whether only a list under a key
 * such as `args` is its arguments (named by `name` or `tool`, or an object
 * nested under such a call: `{"command": "ssh", "options": {"args": […]}}`).
 * `depth`: how many objects down from the one that names it.
 */
export interface RemoteShellCall {
  shell: RemoteShell;
  argvOnly: boolean;
  depth: number;
}

/** How many objects down from the one that names a remote shell its lists are still read. */
export const MAX_REMOTE_DEPTH = 2;

/**
 * Whether `object` names a remote shell as the program it runs, and how
 * (see {@linkcode RemoteShellCall}): the string value of a key such as
 * `command` or `program` (`{"command": "ssh", "args": […]}`), or of `name`,
 * `tool` and the like; not a word in a list of tags or a query.
 *
 * @example
 * ```ts
 * remoteShellCall({ command: "ssh", args: ["h", "ls"] }); // { shell: "ssh", argvOnly: false, depth: 0 }
 * remoteShellCall({ name: "mosh", tags: ["x"] })?.argvOnly; // true
 * remoteShellCall({ query: "ssh" }); // undefined
 * ```
 */
export function remoteShellCall(object: object): RemoteShellCall | undefined {
  const named = namedProgram(object, remoteShell);
  return named && { shell: named.program, argvOnly: named.argvOnly, depth: 0 };
}

/**
 * Whether a list under `key` of an object of `call` is the remote shell's arguments.
 *
 * @example
 * ```ts
 * remoteArgvKey({ shell: "ssh", argvOnly: true, depth: 0 }, "args"); // true
 * remoteArgvKey({ shell: "ssh", argvOnly: true, depth: 0 }, "tags"); // false
 * remoteArgvKey({ shell: "ssh", argvOnly: false, depth: 0 }, "tags"); // true
 * ```
 */
export function remoteArgvKey(call: RemoteShellCall, key: string): boolean {
  return argvKey(call.argvOnly, key);
}

/**
 * A program's options that take a value: short letters (`-p 22`, `-p22`),
 * and, for a program that reads its options as perl's Getopt::Long does,
 * all its option names (without dashes, `no-` forms too), those that take a
 * value in `long`.
 */
interface OptionSpec {
  letters: ReadonlySet<string>;
  names: readonly string[];
  long: ReadonlySet<string>;
}

/** ssh's options that take a value (`-p 22`, or glued: `-p22`, `-oX=y`). */
const SSH_LETTERS: ReadonlySet<string> = new Set("BbcDEeFIiJLlmOoPpQRSWw");

/** mosh's options that take a value (`--ssh CMD`, `-p 60001`). */
const MOSH_VALUED = [
  "client",
  "server",
  "predict",
  "port",
  "family",
  "ssh",
  "bind-server",
  "experimental-remote-ip",
  "p",
];

/** mosh's options that take none, with the negated forms Getopt::Long adds (`--no-init`). */
const MOSH_FLAGS = [
  "predict-overwrite",
  "o",
  "a",
  "n",
  "4",
  "6",
  "local",
  "help",
  "version",
  ...["ssh-pty", "init", "fake-proxy"].flatMap((name) => [name, `no${name}`, `no-${name}`]),
];

/**
 * Each remote shell's options: autossh adds `-M port`; mosh reads its own
 * with Getopt::Long (`--ssh CMD`, `-ssh CMD`, `--serv=X`, anywhere before
 * `--`).
 */
const OPTIONS: Readonly<Record<RemoteShell, OptionSpec>> = {
  ssh: { letters: SSH_LETTERS, names: [], long: new Set() },
  autossh: { letters: new Set([...SSH_LETTERS, "M"]), names: [], long: new Set() },
  mosh: {
    letters: new Set(),
    names: [...MOSH_VALUED, ...MOSH_FLAGS],
    long: new Set(MOSH_VALUED),
  },
};

/**
 * Whether the option `word` (with a dash) of a program that reads its
 * options as Getopt::Long does takes the next word as its value: one or two
 * dashes, then a name, any case, or a start of one that is no other's
 * (`-ssh`, `--serv`; an ambiguous one, which mosh refuses, is counted when
 * one of its names takes a value), and no `=` glued value.
 */
function takesLongValue(word: string, spec: OptionSpec): boolean {
  const name = (word.charCodeAt(1) === 45 ? word.slice(2) : word.slice(1)).toLowerCase();
  if (name === "" || name.indexOf("=") !== -1) return false;
  if (spec.names.includes(name)) return spec.long.has(name);
  return spec.names.some((known) => known.startsWith(name) && spec.long.has(known));
}

/** The index of the first word at or after `from` that is none of the options or their values. */
function pastOptions(words: readonly string[], from: number, spec: OptionSpec): number {
  let i = from;
  while (i < words.length) {
    const word = words[i]!;
    if (word === "--") return i + 1;
    if (word.charCodeAt(0) !== 45 || word.length === 1) return i;
    i++;
    if (spec.names.length > 0) {
      if (takesLongValue(word, spec)) i++;
      continue;
    }
    // Letters glued together (`-tt`, `-vp22`): the first that takes a value ends the option;
    // its value is the rest of the word, or the next word.
    for (let k = 1; k < word.length; k++) {
      if (spec.letters.has(word[k]!)) {
        if (k === word.length - 1) i++;
        break;
      }
    }
  }
  return i;
}

/**
 * The index in `words` of the first word of the command the remote shell
 * `shell` at index `at` runs on the other machine, or -1 when it names none
 * (an interactive login). `at` -1: `words` are its arguments (`{"command":
 * "ssh", "args": […]}`).
 *
 * @example
 * ```ts
 * remoteCommandStart("ssh", ["ssh", "-p", "22", "host", "ls"], 0); // 4
 * remoteCommandStart("mosh", ["mosh", "-ssh", "ssh -p 2", "host", "ls"], 0); // 4
 * remoteCommandStart("mosh", ["host", "--serv", "x", "ls"], -1); // 3
 * remoteCommandStart("autossh", ["autossh", "-M", "0", "host"], 0); // -1
 * ```
 */
export function remoteCommandStart(
  shell: RemoteShell,
  words: readonly string[],
  at: number,
): number {
  const spec = OPTIONS[shell];
  const destination = pastOptions(words, at + 1, spec);
  if (destination >= words.length) return -1;
  const start = pastOptions(words, destination + 1, spec);
  return start < words.length ? start : -1;
}

/**
 * The words of the command the remote shell `shell` at index `at` of
 * `words` runs on the other machine (see {@linkcode remoteCommandStart}),
 * or undefined for none: for mosh, whose options may come after the host
 * until `--`, the words after the host that are none of its options or
 * their values, then all after `--` (all after the host when `--` comes
 * before it).
 *
 * @example
 * ```ts
 * remoteCommand("ssh", ["ssh", "host", "ls", "-l"], 0); // ["ls", "-l"]
 * remoteCommand("mosh", ["mosh", "host", "-ssh", "ssh", "ls", "--", "-l"], 0); // ["ls", "-l"]
 * ```
 */
export function remoteCommand(
  shell: RemoteShell,
  words: readonly string[],
  at: number,
): string[] | undefined {
  const start = remoteCommandStart(shell, words, at);
  if (start === -1) return undefined;
  // ssh's words after the destination are all the command's (its options stop there).
  if (shell !== "mosh" || words[start - 1] === "--") return words.slice(start);
  const spec = OPTIONS[shell];
  // A `--` before the host ends mosh's options: all after the host is the command.
  const destination = pastOptions(words, at + 1, spec);
  if (destination - 1 > at && words[destination - 1] === "--") return words.slice(destination + 1);
  const command: string[] = [];
  for (let i = start; i < words.length; i = pastOptions(words, i + 1, spec)) {
    if (words[i - 1] === "--" && i > start) {
      for (let k = i; k < words.length; k++) command.push(words[k]!);
      break;
    }
    command.push(words[i]!);
  }
  return command.length > 0 ? command : undefined;
}

/**
 * The readings of the command the remote shell `shell` at index `at` of
 * `words` runs (see {@linkcode remoteCommand}): for mosh also all the words
 * after the host, as Getopt::Long leaves them when `POSIXLY_CORRECT` is set
 * (its options end at the first word that is none; unless the first
 * starts with a dash, which names no program): an assignment before
 * mosh (`POSIXLY_CORRECT=1 mosh host sudo -u a …`) or an environment that
 * already holds it, which a call's text does not show.
 *
 * @example
 * ```ts
 * remoteCommands("mosh", ["mosh", "h", "sudo", "-u", "a", "ls"], 0);
 * // [["sudo", "a", "ls"], ["sudo", "-u", "a", "ls"]]
 * remoteCommands("ssh", ["ssh", "h", "ls"], 0); // [["ls"]]
 * ```
 */
export function remoteCommands(
  shell: RemoteShell,
  words: readonly string[],
  at: number,
): string[][] {
  const readings: string[][] = [];
  const permuted = remoteCommand(shell, words, at);
  if (permuted !== undefined) readings.push(permuted);
  if (shell !== "mosh") return readings;
  // A command that starts with a dash (`mosh host -- ls`, `mosh host -a ls`) runs no program:
  // the other reading has it.
  const start = pastOptions(words, at + 1, OPTIONS.mosh) + 1;
  if (
    start < words.length && words[start]!.charCodeAt(0) !== 45 &&
    words.length - start !== permuted?.length
  ) readings.push(words.slice(start));
  return readings;
}
