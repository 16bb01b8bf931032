/**
 * The `command-runners` globs for a shell or terminal named by whose or what
 * kind it is, as the whole name (`local_shell`, `mcp_shell`, `secure_shell`,
 * `LocalShell`, `LOCAL_SHELL`), also after an aggregator's prefix and with
 * words that say how (`local_shell_async`): such a name is the shell itself.
 * Not any word before it: `get_shell`, `default_shell` and `login_shell` read
 * or name one. Pure.
 *
 * @example
 * ```ts
 * const rule = { match: { tool: [...SHELL_KIND_GLOBS] }, decision: "step_up" };
 * ```
 */
import { AGGREGATED, HOW, HOW_UPPER, SHELLS } from "./command_runner_shapes.ts";
import { cap, eitherList, list, SEP, upper } from "./tool_name_words.ts";

/**
 * Words that say whose or what kind a shell or terminal is, before it as the
 * whole name (`local_shell`, `mcp_shell`, `secure_shell`): such a name is the
 * shell itself. Not any word: `get_shell`, `default_shell` and `login_shell`
 * read or name one.
 */
const SHELL_KINDS = [
  "local",
  "mcp",
  "secure",
  "safe",
  "sandboxed",
  "isolated",
  "persistent",
  "restricted",
  "cloud",
  "dev",
  "agent",
  "computer",
  "desktop",
  "unix",
  "linux",
  "windows",
  "win",
  "mac",
  "macos",
  "native",
];
/** What a word of {@linkcode SHELL_KINDS} may stand before. */
const KIND_SHELLS = [...SHELLS, "terminal"];

/** The shell-kind globs, in the order the `command-runners` rule writes them. */
export const SHELL_KIND_GLOBS: readonly string[] = [
  `${list(AGGREGATED)}${list(SHELL_KINDS)}{,${SEP}}${eitherList(KIND_SHELLS)}${HOW}`,
  `${list(AGGREGATED)}${list(SHELL_KINDS.map(cap))}{,${SEP}}${eitherList(KIND_SHELLS)}${HOW}`,
  `${list(AGGREGATED)}${list(SHELL_KINDS.map(upper))}${SEP}${list(KIND_SHELLS.map(upper))}` +
  HOW_UPPER,
];
