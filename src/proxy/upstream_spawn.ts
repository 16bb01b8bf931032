/**
 * Starting the real MCP server as a child process, and explaining why it
 * could not be started in words that say what to fix.
 *
 * @example
 * ```ts
 * const child = spawnUpstream({ command: "node", args: ["server.js"] });
 * ```
 */
import { AppError } from "../errors.ts";

/** How to start the upstream server. */
export interface UpstreamSpec {
  command: string;
  args: readonly string[];
  cwd?: string | undefined;
}

/** Spawns the server with piped stdin/stdout and inherited stderr and environment. */
export function spawnUpstream(spec: UpstreamSpec): Deno.ChildProcess {
  try {
    return new Deno.Command(spec.command, {
      args: [...spec.args],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    }).spawn();
  } catch (error) {
    throw explainSpawnError(spec.command, error);
  }
}

/** The last path segment of a command, safe to show a client. */
export function commandName(command: string): string {
  return command.split(/[\\/]/).pop() || command;
}

/** Turns a spawn failure into an {@linkcode AppError} with a remedy. */
export function explainSpawnError(command: string, error: unknown): AppError {
  if (error instanceof Deno.errors.NotFound) {
    return new AppError(
      "upstream.not_found",
      `cannot start the MCP server: command "${command}" was not found`,
      {
        cause: error,
        exitCode: 127,
        hints: [
          'check the command after "--"; use an absolute path, because GUI clients such as ' +
          "Claude Desktop start servers with a minimal PATH",
        ],
      },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new AppError(
      "upstream.not_executable",
      `cannot start the MCP server: command "${command}" is not executable`,
      { cause: error, exitCode: 126, hints: [`make it executable: chmod +x "${command}"`] },
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    return new AppError(
      "upstream.not_permitted",
      `cannot start the MCP server: thoth's permissions do not allow running "${command}"`,
      {
        cause: error,
        exitCode: 126,
        hints: ["run thoth with its manifest permission set (-P=thoth)"],
      },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError(
    "upstream.spawn_failed",
    `cannot start the MCP server "${command}": ${detail}`,
    { cause: error, exitCode: 1 },
  );
}
