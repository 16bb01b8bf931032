/**
 * The `command-runners` globs for tools that type into a terminal or a
 * process's standard input: a terminal word before send, write or paste,
 * maybe before what is typed (`terminal_send`, `terminal_send_text`,
 * `tmux_send`, `pty_write`), and before type and what is typed
 * (`terminal_type_text`; not `terminal_type`); send, write, type or paste,
 * any words, then to, into or in a terminal (`send_text_to_terminal`); send,
 * write, type or paste before a terminal word and what is typed
 * (`send_terminal_input`); before stdin (`write_stdin`, `write_to_stdin`); a
 * terminal word before input or keys as the whole name (`terminal_input`,
 * `tmux_keys`; not `terminal_output`); and `send_input` and `write_input` as
 * the whole name (a terminal session's input, or Windows' SendInput, which
 * types into whatever has the focus). Pure.
 *
 * @example
 * ```ts
 * const rule = { match: { tool: [...TERMINAL_TYPING_GLOBS] }, decision: "step_up" };
 * ```
 */
import {
  AGGREGATED,
  pair,
  TERMINALS,
  TRAIL,
  TRAIL_UPPER,
  verbBefore,
} from "./command_runner_shapes.ts";
import { AT_WORD, cap, either, eitherList, list, SEP, upper } from "./tool_name_words.ts";

/**
 * Terminals a tool types into from their side (`terminal_send_text`,
 * `tmux_send`, `iterm_send_text`).
 */
const TYPED_INTO = [...TERMINALS, "iterm", "iterm2", "wezterm", "kitty", "stdin"];
/** Verbs after a terminal word that type into it (`terminal_send`, `pty_write`). */
const TYPING = ["send", "write", "paste"];
/**
 * What is typed (`terminal_send_keys`, `terminal_type_text`); `type` types
 * only before one of these (`terminal_type` names a kind of terminal).
 */
const TYPED = [
  "text",
  "keys",
  "key",
  "keystrokes",
  "input",
  "command",
  "cmd",
  "line",
  "string",
  "chars",
  "characters",
  "data",
  "sequence",
];
/**
 * What a terminal word (or stdin) stands before as the whole name, the tool
 * typing into it (`terminal_input`, `tmux_keys`); not `terminal_output`.
 */
const TERMINAL_INPUTS = ["input", "keys", "keystrokes"];
/**
 * The globs for a terminal word before a verb that types into it, then
 * maybe what is typed (`terminal_send`, `terminal_send_text`, `tmuxSendKeys`,
 * `TERMINAL_SEND_TEXT`), and for `type` only before what is typed.
 */
function typedFromTerminal(): string[] {
  const typed = (verbs: readonly string[], none: boolean) => {
    const what = list([...(none ? [""] : []), ...TYPED.map((w) => `${SEP}${either(w)}`)]);
    const whatCamel = list([...(none ? [""] : []), ...TYPED.map(cap)]);
    const whatUpper = list([...(none ? [""] : []), ...TYPED.map((w) => SEP + upper(w))]);
    return [
      `${AT_WORD}${list(TYPED_INTO)}${SEP}${list(verbs)}${what}${TRAIL}`,
      `${AT_WORD}${list(TYPED_INTO)}${list(verbs.map(cap))}${whatCamel}${TRAIL}`,
      `**${list(TYPED_INTO.map(cap))}{,${SEP}}${eitherList(verbs)}${whatCamel}${TRAIL}`,
      `${AT_WORD}${list(TYPED_INTO.map(upper))}${SEP}${list(verbs.map(upper))}${whatUpper}` +
      TRAIL_UPPER,
    ];
  };
  return [...typed(TYPING, true), ...typed(["type"], false)];
}

/**
 * The globs for a verb that types, any words, then to, into or in a
 * terminal (`send_text_to_terminal`, `sendKeysToTmux`, `TYPE_TEXT_IN_TERMINAL`).
 */
function typedIntoTerminal(): string[] {
  const verbs = ["send", "write", "type", "paste"];
  const into = ["to", "into", "in"];
  return [
    `${AT_WORD}${list(verbs)}${SEP}*${SEP}${list(into)}${SEP}${eitherList(TYPED_INTO)}${TRAIL}`,
    `${AT_WORD}${list(verbs)}[A-Z]*${list(into.map(cap))}${list(TYPED_INTO.map(cap))}${TRAIL}`,
    `**${list(verbs.map(cap))}[A-Z]*${list(into.map(cap))}${list(TYPED_INTO.map(cap))}${TRAIL}`,
    `${AT_WORD}${list(verbs.map(upper))}${SEP}*${SEP}${list(into.map(upper))}${SEP}` +
    `${list(TYPED_INTO.map(upper))}${TRAIL_UPPER}`,
  ];
}

/** The globs, in the order the default policy writes them. */
export const TERMINAL_TYPING_GLOBS: readonly string[] = [
  // Typing into a terminal from its side (terminal_send_text, tmux_send), or to one
  // after what is typed (send_text_to_terminal).
  ...typedFromTerminal(),
  ...typedIntoTerminal(),
  // Typing into a terminal or a process's stdin: send, write, type or paste before a terminal
  // word and what is typed (send_terminal_input, write_tmux_keys); before stdin
  // (write_stdin, send_to_stdin); a terminal word and its input as the whole name
  // (terminal_input, tmux_keys); send or write input as the whole name (send_input: to a
  // terminal session or, as Windows' SendInput, to whatever has the focus).
  ...verbBefore(["send", "write", "type", "paste"], TYPED, TYPED_INTO, true),
  ...verbBefore(["send", "write", "pipe", "type", "paste"], ["stdin"], ["to", "into"]),
  ...pair(list(AGGREGATED), TYPED_INTO, TERMINAL_INPUTS),
  ...pair(list(AGGREGATED), ["send", "write"], ["input"]),
];
