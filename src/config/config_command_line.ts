/**
 * The command line a hint names for working on the same client config again:
 * the `--client` the user gave and the file they named (or none, for the
 * client's standard files), each in the form the command takes it (`status`
 * after `--config`, `wrap-config` and `unwrap-config` as their argument), the
 * file quoted for a shell when it needs it. So a hint after `thoth
 * wrap-config --client cursor` says `thoth status --client cursor`, never a
 * plain `thoth status`, which reads Claude Desktop's config. Pure.
 *
 * @example
 * ```ts
 * configCommandLine({ name: "status", takes: "--config FILE" }, { client: "cursor" });
 * // "thoth status --client cursor"
 * configCommandLine({ name: "wrap-config", takes: "INPUT" }, {
 *   client: "vscode",
 *   file: "/home/ana/my app/.vscode/mcp.json",
 * });
 * // "thoth wrap-config --client vscode '/home/ana/my app/.vscode/mcp.json'"
 * ```
 */
import type { ConfigCommand } from "./config_command.ts";

/** How `status` takes its config (after `--config`), for the hints that name it. */
export const STATUS_COMMAND: ConfigCommand = { name: "status", takes: "--config FILE" };

/** Which config a command works on: a client's, a file, or both (a file read as that client's). */
export interface ConfigSelection {
  /** The `--client` given; none: Claude Desktop. */
  client?: string | undefined;
  /** The file given (absolute); none: the client's standard config files. */
  file?: string | undefined;
}

/** `thoth NAME` with the `--client` and the file of `selection`, as `command` takes them. */
export function configCommandLine(command: ConfigCommand, selection: ConfigSelection): string {
  const words = [`thoth ${command.name}`];
  if (selection.client !== undefined) words.push(`--client ${selection.client}`);
  if (selection.file !== undefined) {
    const file = shellWord(selection.file);
    words.push(command.takes === "INPUT" ? file : `--config ${file}`);
  }
  return words.join(" ");
}

/** A path as one shell word: as it is when nothing in it needs quoting, else single-quoted. */
export function shellWord(path: string): string {
  return /^[\w./:@%+=,~\\-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
