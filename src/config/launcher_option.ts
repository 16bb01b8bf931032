/**
 * How a launcher reads its own options before the command it starts, as a
 * table ({@linkcode LauncherSpec}: flags, options with a value, a command
 * line, a split string, an exec), and the reading of one option word against
 * it: a long option (maybe `=value`) or a cluster of short ones. Pure.
 *
 * @example
 * ```ts
 * const sudo: LauncherSpec = { flags: ["-E"], values: ["-u"] };
 * readOption(sudo, "-u"); // { kind: "value" }: the user is the next word
 * readOption(sudo, "-EuSVC"); // { kind: "value", value: "SVC" }
 * readOption(sudo, "-Q"); // { kind: "unknown" }
 * ```
 */

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
