/**
 * A thoth path cmd would cut at a blank: a cmd command whose first words,
 * joined at blanks, are a path naming thoth followed by `run`. Pure.
 *
 * @example
 * ```ts
 * unquotedBlankPath(["C:\\Program", "Files\\thoth\\thoth.exe", "run"], namesThoth);
 * // "C:\\Program Files\\thoth\\thoth.exe"
 * ```
 */
import { MAX_PATH_CHARS, MAX_PATH_WORDS } from "./invocation_doubt.ts";
import { runAfter } from "./thoth_names.ts";

/**
 * The path naming thoth that a cmd command's first words make, joined at
 * blanks, when `run` follows them (`C:\Program Files\thoth\thoth.exe run …`
 * unquoted): cmd ends the command's name at the first blank and runs
 * `C:\Program`, so thoth does not start; the reader keeps it as a doubt.
 * Only words cut from a path count: the first starts a path and is no
 * program of its own (`C:\Program`, not `…\server.exe`), and none is an
 * option or has a blank in it (a quoted word). At most
 * {@linkcode MAX_PATH_WORDS} words and {@linkcode MAX_PATH_CHARS}
 * characters are joined: the cost stays linear in the line. `undefined`
 * when there is none.
 */
export function unquotedBlankPath(
  words: readonly string[],
  namesThoth: (word: string) => boolean,
): string | undefined {
  const first = words[0] ?? "";
  // The start of a path cmd cut at a blank ("C:\Program"), never a whole program ("…\server.exe").
  if (/\s/.test(first) || !/[\\/]|^[A-Za-z]:/.test(first) || /\.(exe|com|bat|cmd)$/i.test(first)) {
    return undefined;
  }
  let path = first;
  const last = Math.min(words.length, MAX_PATH_WORDS);
  for (let k = 1; k < last && path.length <= MAX_PATH_CHARS; k++) {
    // A word cmd did not cut from the path: quoted (a blank in it), or an option.
    if (/\s|^[-/]/.test(words[k]!)) return undefined;
    path += ` ${words[k]}`;
    if (namesThoth(path) && runAfter(words, k + 1)) return path;
  }
  return undefined;
}
