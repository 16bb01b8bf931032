/**
 * The refusal of one `--output` for a command that works on more than one file.
 *
 * @example
 * ```ts
 * oneOutputError("wrap-config", ["/home/ana/.vscode/mcp.json", "/home/ana/.vscode/settings.json"], "vscode");
 * // usage.output_many_configs, with the command for each file
 * ```
 */
import { AppError } from "../errors.ts";

/**
 * The refusal of `--output` when the command works on more than one file
 * (`--client vscode` without INPUT, when settings.json names MCP servers
 * too): one output cannot hold both, and writing one of them only would leave
 * the other as it is, unnoticed. Names each file and the command for it.
 */
export function oneOutputError(
  command: string,
  paths: readonly string[],
  client: string | undefined,
): AppError {
  const flag = client === undefined ? "" : ` --client ${client}`;
  return new AppError(
    "usage.output_many_configs",
    `--output names one file, but ${command}${flag} works on ${paths.length} files here: ` +
      `${paths.map((path) => `"${path}"`).join(" and ")}`,
    {
      hints: [
        ...paths.map((path) =>
          `for "${path}": thoth ${command}${flag} --output FILE ${JSON.stringify(path)}`
        ),
        "or leave out --output to rewrite each file in place; nothing was written",
      ],
      exitCode: 2,
    },
  );
}
