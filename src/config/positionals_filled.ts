/**
 * A `sh -c` line with its positional parameters (`$0`, `"$1"`, `${2}`,
 * `"$@"`, `$*`) filled in from the words after it, each single-quoted, the
 * way the shell would hand them to the line's commands. Pure.
 *
 * @example
 * ```ts
 * positionalsFilled('exec "$@"', ["_", "thoth", "run"], () => {}); // "exec 'thoth' 'run'"
 * ```
 */
import { POSITIONAL, singleQuoted } from "./command_line_words.ts";

/**
 * `text` with each positional parameter replaced by the word of `given` it
 * names (`given[0]` is `$0`; `$@` and `$*` are every word after it), single-
 * quoted; a parameter with no word stays as written. `charge` is told each
 * piece put in, as it is put in (a reader's budget, charged as the line
 * grows).
 */
export function positionalsFilled(
  text: string,
  given: readonly string[],
  charge: (put: string) => void,
): string {
  return text.replace(POSITIONAL, (ref, ...names: (string | undefined)[]) => {
    const name = names.slice(0, 4).find((each) => each !== undefined)!;
    const word = given[Number(name)];
    const put = name === "@" || name === "*"
      ? given.slice(1).map(singleQuoted).join(" ")
      : word === undefined
      ? ref
      : singleQuoted(word);
    charge(put);
    return put;
  });
}
