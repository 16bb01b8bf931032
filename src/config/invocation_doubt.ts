/**
 * A command that may start thoth though thoth cannot tell for sure (a
 * variable or a command substitution chooses it, a `$'…'` word is not decoded
 * exactly, or cmd splits an unquoted path at a blank), and why such an entry
 * is not understood, with the fix. Pure.
 *
 * @example
 * ```ts
 * const why = meantForThoth({ values: ["thoth"] }, [], 0, namesThothBinary);
 * // 'its default names thoth: "thoth"'
 * describeDoubt({ kind: "variable", word: "${THOTH:-thoth}", name: "THOTH", why: why! }, '"sh"');
 * // 'its command line through "sh" starts "${THOTH:-thoth}" (its default names thoth: …'
 * describeVariableCommand("$THOTH", ["run", "--", "npx"], namesThothBinary);
 * // 'its command "$THOTH" (the words after it are thoth run\'s: …) is chosen by the variable THOTH …'
 * describeVariableCommand("npx", ["-y", "pkg"], namesThothBinary); // undefined
 * // The literal base name fixes the program: "server" is not thoth.
 * describeVariableCommand("$HOME/bin/server", ["run", "--", "x"], namesThothBinary); // undefined
 * ```
 */
import { type ExpandedCommand, expandedCommand } from "./expanded_command.ts";
import { runAfter } from "./thoth_names.ts";

/** How many words of a cmd command {@linkcode CommandReader} joins to look for a path with blanks. */
export const MAX_PATH_WORDS = 16;

/** The longest path with blanks it looks for (Windows' longest path). */
export const MAX_PATH_CHARS = 32_767;

/**
 * A command that may start thoth, though thoth cannot tell for sure:
 * `variable`, a parameter expansion whose value is chosen when the server
 * starts (`"${THOTH:-thoth}" run …`); `substitution`, a command substitution
 * whose output is the command (`"$(command -v thoth)" run …`); `inexact`, a `$'…'` word not decoded
 * exactly; `split`, a path with a blank cmd splits (`C:\Program Files\…`).
 */
export type Doubt =
  | { kind: "variable"; word: string; name: string; why: string }
  | { kind: "substitution"; word: string; why: string }
  | { kind: "inexact"; word: string }
  | { kind: "split"; path: string; first: string };

/** The fix for every doubt: thoth written plainly, so it is read without guessing. */
const PLAIN_FIX = 'write thoth\'s absolute path plainly as "command" and the words after it as ' +
  '"args" ("run [flags] -- <command>")';

/** The longest word a reason quotes whole; a longer one is cut, with "…". */
const SHOWN_CHARS = 200;

/** `word` quoted for a reason, cut to {@linkcode SHOWN_CHARS} characters. */
function shown(word: string): string {
  return JSON.stringify(word.length > SHOWN_CHARS ? `${word.slice(0, SHOWN_CHARS)}…` : word);
}

/** Why a {@linkcode Doubt} is not understood, and the fix; `through` names the launcher. */
export function describeDoubt(doubt: Doubt, through: string): string {
  if (doubt.kind === "substitution") {
    return `its command line through ${through} starts ${shown(doubt.word)} ` +
      `(${doubt.why}): the command is what that command substitution prints when the server ` +
      "starts, which the config does not show, so thoth cannot tell whether it starts thoth; " +
      `if it does, ${PLAIN_FIX}, without the substitution and the shell; if it does not, ` +
      'write the server\'s own command plainly and run "thoth wrap-config"';
  }
  if (doubt.kind === "variable") {
    return `its command line through ${through} starts ${shown(doubt.word)} ` +
      `(${doubt.why}): the command is chosen by the variable ${doubt.name} when the server ` +
      "starts, which the config does not show, so thoth cannot tell whether it starts thoth; " +
      `if it does, ${PLAIN_FIX}, without the variable and the shell; if it does not, write ` +
      'the server\'s own command plainly and run "thoth wrap-config"';
  }
  if (doubt.kind === "inexact") {
    return `its command line through ${through} starts a $'…' word thoth cannot decode ` +
      `exactly (${shown(doubt.word)}: a \\u beyond ASCII, bytes that are not ` +
      "UTF-8, or a NUL, which the shell's locale or the shell itself decides), so thoth " +
      "cannot tell whether it starts thoth; write that word without $'…' quoting, or, if it " +
      `is thoth, ${PLAIN_FIX}, without the shell`;
  }
  return `its command line through ${through} would start thoth at ` +
    `${JSON.stringify(doubt.path)}, but the path is not quoted: cmd ends the command's name ` +
    `at the first blank and runs ${JSON.stringify(doubt.first)}, so thoth does not start; ` +
    `quote the path (${JSON.stringify(`"${doubt.path}" run …`)}), or better ${PLAIN_FIX}, ` +
    "without the shell";
}

/**
 * Why a command chosen by a variable or a command substitution seems meant to
 * be thoth: a default that names thoth, a substitution whose text names
 * thoth (`$(command -v thoth)`, `` `which thoth` ``), `$IFS` splitting it
 * into thoth and `run` (`thoth${IFS}run`), or the words after it in thoth
 * run's shape (`run`, maybe flags, `--` and a command). Never when the
 * word's last path segment is literal and names another program
 * (`$HOME/bin/server run -- x` runs `server`). Undefined when nothing says so.
 */
export function meantForThoth(
  variable: Pick<ExpandedCommand, "values" | "substitution" | "base" | "split"> & { name?: string },
  words: readonly string[],
  at: number,
  namesThoth: (word: string) => boolean,
): string | undefined {
  if (variable.base !== undefined && !namesThoth(variable.base)) return undefined;
  const named = variable.values.find(namesThoth);
  if (named !== undefined) return `its default names thoth: ${shown(named)}`;
  if (variable.substitution === true && variable.name !== undefined) {
    const token = variable.name.split(SUBSTITUTION_BREAKS).find((each) =>
      each !== "" && namesThoth(each)
    );
    if (token !== undefined) return `its command substitution names thoth: ${shown(token)}`;
  }
  const split = variable.split;
  if (split !== undefined && split.length > 0 && namesThoth(split[0]!)) {
    const joined = [...split, ...words.slice(at)];
    if (runShape(joined, 1)) {
      return `$IFS splits it into ${shown(split.join(" "))}, thoth run's words`;
    }
  }
  return runShape(words, at)
    ? 'the words after it are thoth run\'s: "run … -- <command>"'
    : undefined;
}

/** What separates the words of a substitution's text (`$(command -v thoth)`, `(Get-Command thoth).Source`). */
const SUBSTITUTION_BREAKS = /[\s"'`$(){}\[\];|&<>=,]+/;

/** Whether `words[at…]` are `run`, maybe flags, `--` and a command: thoth run's shape. */
function runShape(words: readonly string[], at: number): boolean {
  if (!runAfter(words, at)) return false;
  const run = words.indexOf("run", at);
  const dash = words.indexOf("--", run + 1);
  return dash > run && dash + 1 < words.length;
}

/**
 * Why a top-level command given as a variable (`"command": "${THOTH:-thoth}"`:
 * some clients expand it when they start the server, others run the word
 * as it stands) that seems meant to be thoth is not understood, with the
 * fix; undefined when nothing says it is meant for thoth.
 */
export function describeVariableCommand(
  command: string,
  args: readonly string[],
  namesThoth: (word: string) => boolean,
): string | undefined {
  const variable = expandedCommand(command);
  if (variable === undefined) return undefined;
  const why = meantForThoth(variable, args, 0, namesThoth);
  if (why === undefined) return undefined;
  const chosen = variable.substitution === true
    ? "is what its command substitution prints"
    : `is chosen by the variable ${variable.name}`;
  return `its command ${shown(command)} (${why}) ${chosen} when the server starts, which ` +
    "the config does not show, so thoth cannot tell whether it starts thoth; if it does, " +
    `${PLAIN_FIX}, without the ${variable.substitution === true ? "substitution" : "variable"}; ` +
    'if it does not, write the server\'s own command plainly and run "thoth wrap-config"';
}
