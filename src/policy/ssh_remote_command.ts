/**
 * Where the command that `ssh` runs on the other machine starts among its
 * words: past ssh's options (and their values), the destination, and the
 * options OpenSSH also reads after it. ssh joins those words with spaces
 * and hands them to the other machine's shell, so for a command to this
 * very machine (`ssh localhost …`, `ssh 127.0.0.1 …`, `ssh ::1 …`) they are
 * a local command. Pure.
 *
 * @example
 * ```ts
 * sshCommandStart(["ssh", "-o", "X=y", "ana@localhost", "thoth", "approvals", "list"], 0); // 4
 * sshCommandStart(["ssh", "localhost"], 0); // -1
 * sshCommandStart(["localhost", "ls"], -1); // 1
 * namesSsh({ command: "ssh", args: ["localhost", "ls"] }); // true
 * ```
 */

import { lastPart } from "./approval_command_simple.ts";

/** ssh's program name (the last part of a word, any case). */
const SSH_NAME = /^ssh(?:\.exe)?$/i;

/** A key whose string value is the program a call runs (`command`, `cmd`, `program`). */
const PROGRAM_KEY = /^(?:command|cmd|program|prog|executable|exe|exec|bin|binary|file)$/i;

/** The longest string read as ssh's program name. */
const MAX_PROGRAM_LENGTH = 4096;

/**
 * Whether `object` names ssh as the program it runs: the string value of a
 * key such as `command` or `program` (`{"command": "ssh", "args": […]}`),
 * not a word in a list of tags or a query.
 */
export function namesSsh(object: object): boolean {
  for (const [key, child] of Object.entries(object)) {
    if (typeof child === "string" && child.length <= MAX_PROGRAM_LENGTH) {
      if (PROGRAM_KEY.test(key) && SSH_NAME.test(lastPart(child.trim()))) return true;
    }
  }
  return false;
}

/** ssh's options that take a value (`-p 22`, or glued: `-p22`, `-oX=y`). */
const VALUE_LETTERS: ReadonlySet<string> = new Set("BbcDEeFIiJLlmOoPpQRSWw");

/** The index of the first word at or after `from` that is none of ssh's options or their values. */
function pastOptions(words: readonly string[], from: number): number {
  let i = from;
  while (i < words.length) {
    const word = words[i]!;
    if (word === "--") return i + 1;
    if (word.charCodeAt(0) !== 45 || word.length === 1) return i;
    i++;
    // Letters glued together (`-tt`, `-vp22`): the first that takes a value ends the option;
    // its value is the rest of the word, or the next word.
    for (let k = 1; k < word.length; k++) {
      if (VALUE_LETTERS.has(word[k]!)) {
        if (k === word.length - 1) i++;
        break;
      }
    }
  }
  return i;
}

/**
 * The index in `words` of the first word of the command the `ssh` at index
 * `at` runs on the other machine, or -1 when it names none (an interactive
 * login). `at` -1: `words` are ssh's arguments (`{"command": "ssh", "args":
 * […]}`).
 */
export function sshCommandStart(words: readonly string[], at: number): number {
  const destination = pastOptions(words, at + 1);
  if (destination >= words.length) return -1;
  const start = pastOptions(words, destination + 1);
  return start < words.length ? start : -1;
}
