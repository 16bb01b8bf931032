/**
 * The names of `thoth`'s commands, in the order its list of commands shows
 * them, without loading any: which ones a command line needs is decided
 * from these (see `commands_to_load.ts`) before a command's modules load.
 *
 * @example
 * ```ts
 * commandsToLoad(["doctor"], THOTH_COMMAND_NAMES, THOTH_COMMAND_ALIASES); // ["doctor"]
 * ```
 */

/** Every command but `run` (see `thoth_commands.ts`, which builds each). */
export const THOTH_TOOL_COMMAND_NAMES = [
  "wrap-config",
  "unwrap-config",
  "status",
  "doctor",
  "health",
  "set-api-key",
  "auth",
  "audit",
  "policy",
  "approvals",
  "update",
] as const;

/** One of {@linkcode THOTH_TOOL_COMMAND_NAMES}. */
export type ThothToolCommandName = typeof THOTH_TOOL_COMMAND_NAMES[number];

/** Every command, `run` first. */
export const THOTH_COMMAND_NAMES: readonly string[] = ["run", ...THOTH_TOOL_COMMAND_NAMES];

/** Names a command answers to besides its own. */
export const THOTH_COMMAND_ALIASES: Readonly<Record<string, string>> = { "self-update": "update" };
