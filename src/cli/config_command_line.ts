/**
 * The command line a hint names for working on the same client config
 * again, and a path as one shell word: they live in
 * `src/config/config_command_line.ts` (`thoth doctor` names the same command
 * lines, and `src/doctor` imports no CLI module); the commands that import
 * them from here keep doing so.
 *
 * @example
 * ```ts
 * configCommandLine({ name: "status", takes: "--config FILE" }, { client: "cursor" });
 * // "thoth status --client cursor"
 * ```
 */
export {
  configCommandLine,
  type ConfigSelection,
  shellWord,
  STATUS_COMMAND,
} from "../config/config_command_line.ts";
