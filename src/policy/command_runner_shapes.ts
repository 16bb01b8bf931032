/**
 * The shapes the default policy's `command-runners` globs are built in
 * (`command_runner_globs.ts`, `terminal_typing_globs.ts`): the shells and
 * terminals both name, an aggregator's prefixes, what may follow what runs
 * (a plural, a version, a word that says how or where), and the builders for
 * a verb before what it runs and for one word before another, each in every
 * case form. Pure.
 *
 * @example
 * ```ts
 * verbBefore(["run"], ["command"]); // run_command, runCommand, RunCommand, RUN_COMMAND…
 * ```
 */
import { AT_WORD, cap, either, eitherList, list, SEP, upper } from "./tool_name_words.ts";

/** Shells and command interpreters. */
export const SHELLS = ["shell", "bash", "sh", "zsh", "powershell", "powerShell", "pwsh", "cmd"];
export const TERMINALS = [...SHELLS, "terminal", "pty", "tty", "repl", "tmux", "pane"];
/**
 * The prefixes an aggregator puts before a server's tool names
 * (`developer__shell`, `my-server.shell`, `tools/shell`): the tool is what
 * follows, read as a whole name.
 */
export const AGGREGATED = ["", "**__", "**.", "**/"];
/**
 * Words that may follow what runs, saying how or where: in, on, into, with
 * and via before anything (`run_command_in_container`,
 * `execute_command_with_timeout`), the others last (`bash_tool`,
 * `execute_command_async`, `run_command_v2`).
 */
export const BEFORE_ANYTHING = ["in", "on", "into", "with", "via"];
export const LAST = [
  "async",
  "sync",
  "tool",
  "line",
  "stream",
  "streaming",
  "background",
  "safe",
  "ephemeral",
  "simple",
  "timeout",
];
/** A second word that says how, after the first (`execute_cell_simple_timeout`). */
export const SECOND = ["timeout", "async", "sync"];

/** After what runs: the end, a version or a word that says how or where. */
export const HOW = `{,${SEP}}` +
  list([
    "",
    "[0-9]**",
    "[vV][0-9]**",
    ...BEFORE_ANYTHING.map((w) => `${either(w)}[-_./A-Z]**`),
    ...LAST.map(either),
  ]) + list(["", ...SECOND.map((w) => `${SEP}${either(w)}`), ...SECOND.map(cap)]);
export const HOW_UPPER = list([
  "",
  "[0-9]**",
  `${SEP}V[0-9]**`,
  ...BEFORE_ANYTHING.map((w) => `${SEP}${upper(w)}${SEP}**`),
  ...LAST.map((w) => SEP + upper(w)),
]) + list(["", ...SECOND.map((w) => SEP + upper(w))]);
/** The same after a plural (`run_commands`). */
export const TRAIL = `{,s,es}${HOW}`;
export const TRAIL_UPPER = `{,S,ES}${HOW_UPPER}`;

/**
 * The globs for verbs before what they run, in every case form: lower case
 * and camelCase (`run_command`, `runcommand`, `runCommand`), PascalCase
 * anywhere (`RunCommand`, `Start-Process`) and capitals (`RUN_COMMAND`),
 * with one of `between` between when given (`required`: never without one).
 */
export function verbBefore(
  verbs: readonly string[],
  runs: readonly string[],
  between: readonly string[] = [],
  required = false,
): string[] {
  const none = required ? [] : [""];
  const q = between.length > 0 ? `${list([...none, ...between.map(either)])}{,${SEP}}` : "";
  const qUpper = between.length > 0 ? list([...none, ...between.map((w) => upper(w) + SEP)]) : "";
  const rest = `{,${SEP}}${q}${eitherList(runs)}${TRAIL}`;
  return [
    `${AT_WORD}${list(verbs)}${rest}`,
    `**${list(verbs.map(cap))}${rest}`,
    `${AT_WORD}${list(verbs.map(upper))}${SEP}${qUpper}${list(runs.map(upper))}${TRAIL_UPPER}`,
  ];
}

/**
 * The globs for one of `first` before one of `second` (maybe with a
 * separator between), in every case form (`code_execution`, `codeExecution`,
 * `CodeExecution`, `CODE_EXECUTION`), after `at`: the start of the name or an
 * aggregator's prefix ({@linkcode AGGREGATED}, the whole name) or of any word
 * ({@linkcode AT_WORD}). Then how ({@linkcode HOW}), no plural
 * (`code_executions` lists them).
 */
export function pair(at: string, first: readonly string[], second: readonly string[]): string[] {
  return [
    `${at}${list(first)}{,${SEP}}${eitherList(second)}${HOW}`,
    `${at}${list(first.map(cap))}{,${SEP}}${eitherList(second)}${HOW}`,
    `${at}${list(first.map(upper))}${SEP}${list(second.map(upper))}${HOW_UPPER}`,
  ];
}
