/**
 * Which of a program's top-level commands one command line needs built.
 * Each command loads its own modules (doctor alone reaches about 350), so a
 * command line that names one command builds that one only; `--version`
 * builds none. Whatever else the line holds (no command, the root's help, a
 * word that is no command, an option the root does not know) builds them
 * all, so the parser answers it as it always has: the list of commands, a
 * suggestion of the nearest name, its own refusal. Pure.
 *
 * The root's options come before its command (positional options): only
 * `--verbose` may stand there besides `-V`/`--version` and `-h`/`--help`.
 *
 * @example
 * ```ts
 * const names = ["doctor", "status"];
 * commandsToLoad(["doctor", "--json"], names); // ["doctor"]
 * commandsToLoad(["help", "status"], names); // ["status"]
 * commandsToLoad(["--version"], names); // []
 * commandsToLoad(["--help"], names); // ["doctor", "status"]
 * ```
 */

/** The names in `names` (in their order) that `args` needs built; `aliases` maps another name to one of them. */
export function commandsToLoad(
  args: readonly string[],
  names: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): readonly string[] {
  let at = 0;
  while (args[at] === "--verbose") at++;
  const first = args[at];
  if ((first === "--version" || first === "-V") && at === args.length - 1) return [];
  // `help <command>` shows that command's help; `help` alone (or with more words) the root's.
  const word = first === "help" && at === args.length - 2 ? args[at + 1] : first;
  const name = word === undefined ? undefined : Object.hasOwn(aliases, word) ? aliases[word] : word;
  return name !== undefined && names.includes(name) ? [name] : names;
}
