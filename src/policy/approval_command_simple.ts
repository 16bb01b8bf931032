/**
 * One simple command's words, for the approval-command reading
 * (`approval_commands.ts`): past prefixes (assignments, `env -u X`, `sudo
 * -u root`, `timeout 5`, `watch -n1`, `xargs`, `npx`, `deno run -A`), a
 * word that names thoth, options, then `approvals`, a subcommand and what
 * it takes; the words a command passes (no redirection, nothing after a
 * comment); whether a call's arguments name thoth anywhere. Pure.
 *
 * @example
 * ```ts
 * simpleRuns(["sudo", "thoth", "approvals", "approve", "k3f9x2qa"], false).runs; // true
 * simpleRuns(["grep", "thoth", "approvals"], false).program; // "grep"
 * ```
 */
import { COMMENT, REDIRECT } from "./command_segments.ts";
import {
  ASSIGNMENT,
  ENTRY_POINT,
  GATE,
  POSIX_SHELLS,
  PREFIXES,
  RUNNERS,
  SCRIPT_OPTION,
  SCRIPT_READERS,
  SUBCOMMANDS,
  THOTH_NAME,
  THOTH_NAMES,
} from "./approval_command_words.ts";
import {
  isPattern,
  mayExpandTo,
  namesExpandedTo,
  startsName,
  unmarked,
} from "./shell_word_patterns.ts";
import { PATTERN_MARK } from "./pattern_mark.ts";
import { braceExpansion } from "./brace_expansion.ts";
import { approvalsAfter } from "./approval_command_tail.ts";
import { mayVanish } from "./shell_expansions.ts";

/** The last part of a word, after its path or assignment (`/usr/bin/thoth` → `thoth`). */
export function lastPart(word: string): string {
  let i = word.length;
  while (i > 0 && !startsName(word.charCodeAt(i - 1))) i--;
  return word.slice(i);
}

/** A make recipe's `@`, `-` and `+` before its command, and cmd's `@` (`@thoth …`). */
const RECIPE_PREFIX = /^[@+-]{1,3}/;

/** A duration (`5`, `30.5`, `.5`, `10s`, `1.5m`): `timeout`'s or `sleep`'s. */
const DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)[smhd]?$/;

/** Programs that add the words they read to the command after them (`xargs thoth approvals`). */
const ADDS_WORDS: ReadonlySet<string> = new Set(["xargs", "parallel"]);

/**
 * Whether `word` names thoth, or is one a shell expands first (`$T`, `$(…)`),
 * or may expand to a name of thoth's (`th?th`, `/usr/bin/th*h`, `{thoth,}`).
 *
 * @example
 * ```ts
 * namesThoth("/usr/local/bin/thoth", false); // true
 * namesThoth("th?th", false); // false: no pattern mark, a `?` as written
 * ```
 */
export function namesThoth(word: string, viaDeno: boolean): boolean {
  if (word.charCodeAt(0) === 36) return true;
  if (isPattern(word)) {
    if (unmarked(word).charCodeAt(0) === 36) return true;
    return mayExpandTo(word, THOTH_NAMES, true) ||
      (viaDeno && mayExpandTo(word, ENTRY_NAMES, true));
  }
  const last = lastPart(word).replace(RECIPE_PREFIX, "");
  return THOTH_NAME.test(last) || (viaDeno && ENTRY_POINT.test(last));
}

/** {@linkcode ENTRY_POINT}'s name. */
const ENTRY_NAMES: readonly string[] = ["mod.ts"];

/**
 * The names a prefix or a program read further (`env`, `sudo`, `xargs`,
 * `deno`, `ssh`) that a pattern in the program's place (`e?v`, `{sudo,}`,
 * `s[s]h`) is matched against.
 */
const PATTERN_PROGRAMS: readonly string[] = [
  ...PREFIXES,
  ...ADDS_WORDS,
  "deno",
  "ssh",
  "autossh",
  "mosh",
];

/**
 * The name a word in the program's place is read as: the last part of its
 * name in lower case, or for a pattern, the first of
 * {@linkcode PATTERN_PROGRAMS} it may expand to.
 */
function programName(word: string): string {
  if (isPattern(word)) {
    const name = namesExpandedTo(word, PATTERN_PROGRAMS, true)[0];
    if (name !== undefined) return name;
  }
  return lastPart(word).toLowerCase();
}

/**
 * The words a command passes: without redirections and their targets, up to
 * a comment. With `targets`, a redirection's target is kept (a here-string,
 * `sh <<< '…'`, is a text the program reads).
 */
export function commandWords(words: readonly string[], targets: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === COMMENT) break;
    if (word !== REDIRECT) out.push(word);
    else if (!targets) i++;
  }
  return out;
}

/**
 * Whether `words`, past prefixes (assignments, `env -u X`, `sudo -u root`,
 * `timeout 5`, `xargs`, `npx`, `deno run -A`), have a word naming thoth,
 * options, then `approvals`, a subcommand and what it takes; and the
 * program they run otherwise (the last part of its name, in lower case)
 * and its index (-1 for none), the program after a first one that may
 * vanish, and where the words of an `eval` among the prefixes start. `list`
 * (an argument list, whose program is named elsewhere) may start with a
 * runner's subcommand (`task thoth …`).
 */
export function simpleRuns(
  words: readonly string[],
  list: boolean,
): SimpleRun {
  let viaDeno = false;
  let added = false;
  // Where the words of the first `eval` among the prefixes start.
  let evalAt = -1;
  // A word that may vanish in the program's place (`$x`, `*`) is passed over, as a prefix is;
  // the program is still the first such word when no later one runs the command.
  let vanished: { program: string; at: number } | undefined;
  // The last reading of the words after thoth's name that ran nothing: where it started, where
  // its options and words that may vanish ended, and with what `added`. One that starts within
  // those reads the same: not read again, so that a run of `$x` words stays linear.
  let readFrom = -1;
  let readEnd = -1;
  let readAdded = false;
  const runsAfter = (from: number): boolean => {
    if (from > readFrom && from <= readEnd && added === readAdded) return false;
    const read = approvalsAfter(words, from, added);
    if (read.runs) return true;
    readFrom = from;
    readEnd = read.gateEnd;
    readAdded = added;
    return false;
  };
  // The names of the patterns read so far: a long run of one word (`$x $x …`) reads it once.
  const named = new Map<string, string>();
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (namesThoth(word, viaDeno) && runsAfter(k + 1)) {
      return { runs: true, program: undefined, at: -1, evalAt };
    }
    let name = named.get(word);
    if (name === undefined) {
      name = programName(word);
      if (isPattern(word)) named.set(word, name);
    }
    if (
      word === "" || ASSIGNMENT.test(word) || word.charCodeAt(0) === 45 || DURATION.test(word)
    ) continue;
    if (ADDS_WORDS.has(name)) added = true;
    if (name === "eval" && evalAt === -1) evalAt = k + 1;
    if (PREFIXES.has(name) || name === "parallel") continue;
    if (name === "deno" || name === "deno.exe") {
      viaDeno = true;
      continue;
    }
    if ((viaDeno || list) && RUNNERS.has(name) && (k === 0 || list || viaDeno)) {
      if (name === "run" || name === "task") viaDeno = true;
      continue;
    }
    // An option's value (`env -u NAME`, `sudo -u root`), when the word before was an option.
    if (k > 0 && words[k - 1]!.charCodeAt(0) === 45 && words[k - 1]!.indexOf("=") === -1) continue;
    if (mayVanish(word)) {
      vanished ??= { program: name, at: k };
      continue;
    }
    if (vanished === undefined) return { runs: false, program: name, at: k, evalAt };
    return { ...vanished, runs: false, evalAt, then: { program: name, at: k } };
  }
  return { runs: false, program: vanished?.program, at: vanished?.at ?? -1, evalAt };
}

/** What {@linkcode simpleRuns} finds in a command's words. */
export interface SimpleRun {
  /** Whether the words run an approval command. */
  runs: boolean;
  /** The program they run otherwise: the last part of its name in lower case. */
  program: string | undefined;
  /** The program's index, -1 for none. */
  at: number;
  /**
   * When the program's word may vanish (`$x ssh host …`), the first later
   * word that may not, which is the program then.
   */
  then?: { program: string; at: number };
  /** Where the words of an `eval` among the prefixes start, -1 for none. */
  evalAt: number;
}

/** The words a brace may supply in a command: thoth's names' last parts aside. */
const SUPPLIED: readonly string[] = [GATE, ...SUBCOMMANDS];

/**
 * `words` with each brace expanded into the words it yields (`thoth
 * {approvals,list}` → `thoth approvals list`, see `brace_expansion.ts`), or
 * `null` when a word past the expansion's bounds may yield thoth's name,
 * `approvals` or a subcommand (read as running one: fail closed). Other words,
 * and a word past the bounds that yields none of them, as they are.
 *
 * @example
 * ```ts
 * const m = PATTERN_MARK;
 * expandedWords(["thoth", `${m}{approvals${m},list${m}}`]); // ["thoth", "approvals", "list"]
 * ```
 */
export function expandedWords(words: readonly string[]): readonly string[] | null {
  let out: string[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.indexOf(PATTERN_MARK + "{") === -1) {
      out?.push(word);
      continue;
    }
    const yielded = braceExpansion(word);
    if (yielded === null && (namesThoth(word, true) || mayExpandTo(word, SUPPLIED))) return null;
    out ??= words.slice(0, i);
    if (yielded === null) out.push(word);
    else out.push(...yielded);
  }
  return out ?? words;
}

/**
 * The words of a command a shell passes, here-strings' texts in, and for
 * each whether it is a script a shell reads, in which a `#` starts a
 * comment: after an option such as `-c`, `-lc`, `-Command` or `/c`, after a
 * shell's name or `eval` (`bash x.sh '…'`, `eval '…'`), a here-string
 * (`sh <<< '…'`), or, with `script`, the first word of a runner's call in
 * code (`os.system("…")`). Elsewhere (`echo "… # …"`, `gh issue create
 * --title "…"`) a `#` in a quoted word is data. `shells`: whether it is a
 * POSIX shell's script (after `sh`, `bash`, `eval`, `ssh` and the like, or
 * a runner's call in code), in which every backtick pair runs.
 */
export function scriptTexts(
  raw: readonly string[],
  script: boolean,
): { texts: string[]; scripts: boolean[]; shells: boolean[] } {
  const texts: string[] = [];
  const scripts: boolean[] = [];
  const shells: boolean[] = [];
  let shell = false;
  let posix = false;
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i]!;
    if (word === COMMENT) break;
    const target = word === REDIRECT;
    if (target) {
      // A here-string's text: the word after the redirection.
      i++;
      if (i >= raw.length || raw[i] === COMMENT) break;
    }
    const before = texts.length > 0 ? texts[texts.length - 1]! : "";
    const name = lastPart(before).toLowerCase().replace(/\.exe$/, "");
    shell ||= SCRIPT_READERS.has(name);
    posix ||= POSIX_SHELLS.has(name);
    texts.push(raw[i]!);
    scripts.push(
      target || shell || SCRIPT_OPTION.test(before) || (script && texts.length === 1),
    );
    shells.push(posix || (script && texts.length === 1));
  }
  return { texts, scripts, shells };
}

/** The longest string read as a program's path for a list that starts with `approvals`. */
const MAX_PROGRAM_LENGTH = 4096;

/**
 * Whether some string in `args` is a program's name that `name` matches by
 * its last part: by default thoth's (`thoth`, `/usr/bin/thoth`).
 */
export function namesProgramAnywhere(args: unknown, name: RegExp = THOTH_NAME): boolean {
  const pending: unknown[] = [args];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (value.length <= MAX_PROGRAM_LENGTH && name.test(lastPart(value.trim()))) {
        return true;
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      for (const child of Object.values(value)) pending.push(child);
    }
  }
  return false;
}
