/**
 * A command that may start thoth though thoth cannot tell for sure (a
 * variable chooses it, a `$'…'` word is not decoded exactly, or cmd splits an
 * unquoted path at a blank), and why such an entry is not understood, with
 * the fix. Pure.
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
 * ```
 */
import { expandedCommand } from "./expanded_command.ts";
import { runAfter } from "./thoth_names.ts";

/** How many words of a cmd command {@linkcode CommandReader} joins to look for a path with blanks. */
export const MAX_PATH_WORDS = 16;

/** The longest path with blanks it looks for (Windows' longest path). */
export const MAX_PATH_CHARS = 32_767;

/**
 * A command that may start thoth, though thoth cannot tell for sure:
 * `variable`, a parameter expansion whose value is chosen when the server
 * starts (`"${THOTH:-thoth}" run …`); `inexact`, a `$'…'` word not decoded
 * exactly; `split`, a path with a blank cmd splits (`C:\Program Files\…`).
 */
export type Doubt =
  | { kind: "variable"; word: string; name: string; why: string }
  | { kind: "inexact"; word: string }
  | { kind: "split"; path: string; first: string };

/** The fix for every doubt: thoth written plainly, so it is read without guessing. */
const PLAIN_FIX = 'write thoth\'s absolute path plainly as "command" and the words after it as ' +
  '"args" ("run [flags] -- <command>")';

/** Why a {@linkcode Doubt} is not understood, and the fix; `through` names the launcher. */
export function describeDoubt(doubt: Doubt, through: string): string {
  if (doubt.kind === "variable") {
    return `its command line through ${through} starts ${JSON.stringify(doubt.word)} ` +
      `(${doubt.why}): the command is chosen by the variable ${doubt.name} when the server ` +
      "starts, which the config does not show, so thoth cannot tell whether it starts thoth; " +
      `if it does, ${PLAIN_FIX}, without the variable and the shell; if it does not, write ` +
      'the server\'s own command plainly and run "thoth wrap-config"';
  }
  if (doubt.kind === "inexact") {
    return `its command line through ${through} starts a $'…' word thoth cannot decode ` +
      `exactly (${JSON.stringify(doubt.word)}: a \\u beyond ASCII, bytes that are not ` +
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
 * Why a command chosen by a variable seems meant to be thoth: a default that
 * names thoth, or the words after it in thoth run's shape (`run`, maybe
 * flags, `--` and a command). Undefined when nothing says so.
 */
export function meantForThoth(
  variable: { values: readonly string[] },
  words: readonly string[],
  at: number,
  namesThoth: (word: string) => boolean,
): string | undefined {
  const named = variable.values.find(namesThoth);
  if (named !== undefined) return `its default names thoth: ${JSON.stringify(named)}`;
  if (!runAfter(words, at)) return undefined;
  const run = words.indexOf("run", at);
  const dash = words.indexOf("--", run + 1);
  return dash > run && dash + 1 < words.length
    ? 'the words after it are thoth run\'s: "run … -- <command>"'
    : undefined;
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
  return `its command ${JSON.stringify(command)} (${why}) is chosen by the variable ` +
    `${variable.name} when the server starts, which the config does not show, so thoth ` +
    `cannot tell whether it starts thoth; if it does, ${PLAIN_FIX}, without the variable; ` +
    'if it does not, write the server\'s own command plainly and run "thoth wrap-config"';
}
