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
import { shellQuote } from "../doctor/shell_quote.ts";
import { readScriptInterpreter } from "./script_interpreter.ts";

/** How to start the upstream server. */
export interface UpstreamSpec {
  command: string;
  args: readonly string[];
  cwd?: string | undefined;
}

/**
 * Spawns the server with piped stdin/stdout and inherited stderr and
 * environment, in thoth's own session and process group: a server that
 * reads a password from the terminal (`/dev/tty`) or is started through
 * `setsid` works as without thoth. (Deno's `detached` would make it a session
 * leader, which breaks both.) A server that made itself a group leader is
 * stopped with its group (see {@linkcode signalGroup}).
 */
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

/**
 * Sends `signal` to the process group the server leads, when it made itself
 * the leader of one (`setsid`, `setpgid`): no other group can have the
 * server's pid as its id. False when there is none, on Windows, or without
 * the permission to signal processes (the sandboxed core gives it up once
 * the server runs, and asks its host instead): the caller signals the
 * server alone.
 */
export function signalGroup(pid: number, signal: Deno.Signal): boolean {
  if (Deno.build.os === "windows" || !(pid > 1)) return false;
  try {
    Deno.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The last path segment of a command, safe to show a client. */
export function commandName(command: string): string {
  return command.split(/[\\/]/).pop() || command;
}

/**
 * What the client is told when the server could not be started, by the
 * error's code: names the command, never its path or thoth's internals.
 */
export function spawnFailureText(code: string, command: string): string {
  const name = commandName(command);
  const text = code === "upstream.not_found"
    ? `thoth could not start the MCP server: command "${name}" was not found`
    : code === "upstream.not_executable"
    ? `thoth could not start the MCP server: command "${name}" is not executable`
    : code === "upstream.bad_interpreter"
    ? `thoth could not start the MCP server: "${name}" is a script whose interpreter ` +
      "(named on its first line, after #!) could not be started"
    : code === "upstream.loader_env"
    ? `thoth could not start the MCP server "${name}": its environment sets a variable ` +
      "of the dynamic loader (LD_* or DYLD_*, such as LD_PRELOAD), which thoth's sandbox " +
      "cannot pass on"
    : `thoth could not start the MCP server "${name}"`;
  return `${text} (see thoth's stderr)`;
}

/**
 * The error for a script whose first line names an interpreter that cannot
 * be started: the system reports it as if the script itself were missing.
 */
export function badInterpreterError(
  command: string,
  interpreter: string,
  cause?: unknown,
): AppError {
  if (interpreter.endsWith("\r")) return crlfScriptError(command, cause);
  return new AppError(
    "upstream.bad_interpreter",
    `cannot start the MCP server: "${command}" is a script whose interpreter "${interpreter}" ` +
      "(named on its first line, after #!) could not be started",
    {
      ...(cause === undefined ? {} : { cause }),
      exitCode: 126,
      hints: [
        `install "${interpreter}", or change the first line of "${command}" to an interpreter ` +
        'that exists (such as "#!/usr/bin/env node")',
      ],
    },
  );
}

/**
 * The error for a script saved with Windows line breaks: its `#!` line ends
 * in a carriage return, which the system takes as part of the interpreter's
 * name or of its last argument (`node\r`, `-e\r`), so it fails or runs wrong.
 */
export function crlfScriptError(command: string, cause?: unknown): AppError {
  return new AppError(
    "upstream.bad_interpreter",
    `cannot start the MCP server: "${command}" is a script saved with Windows line breaks ` +
      "(CRLF): its first line (#!) ends in a carriage return, which the system takes as part " +
      "of the interpreter's name or of its last argument",
    {
      ...(cause === undefined ? {} : { cause }),
      exitCode: 126,
      hints: [`convert it to Unix line breaks: sed -i 's/\\r$//' ${shellQuote(command)}`],
    },
  );
}

/** Turns a spawn failure into an {@linkcode AppError} with a remedy. */
export function explainSpawnError(command: string, error: unknown): AppError {
  if (error instanceof Deno.errors.NotFound) {
    // The command exists, yet running it found nothing: its interpreter is missing.
    const interpreter = existsAsFile(command) ? readScriptInterpreter(command) : undefined;
    if (interpreter !== undefined) return badInterpreterError(command, interpreter, error);
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
    const variables = loaderVariables(error.message);
    if (variables.length > 0) return loaderEnvError(command, variables, error);
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

/**
 * The variables Deno names when it refuses to start a program whose
 * environment sets one that changes how programs load libraries (`LD_*`,
 * `DYLD_*`: "… to spawn subprocess with LD_LIBRARY_PATH, LD_PRELOAD
 * environment variables …"); none for any other refusal.
 */
export function loaderVariables(message: string): string[] {
  const match = /spawn subprocess with (.+?) environment variables?\b/.exec(message);
  if (match === null) return [];
  return match[1]!.split(",").map((name) => name.trim()).filter((name) => name !== "");
}

/**
 * The error for a server whose environment sets `LD_PRELOAD`, `DYLD_*` or
 * another variable of the dynamic loader: the sandboxed core may start only
 * the server's own command, and a preloaded library would run code inside
 * it that the grant does not name, so Deno refuses the spawn. thoth does not
 * drop the variable without a word (the server may need it): the user
 * unsets it.
 */
export function loaderEnvError(
  command: string,
  variables: readonly string[],
  cause?: unknown,
): AppError {
  const one = variables.length === 1;
  const names = variables.join(", ");
  return new AppError(
    "upstream.loader_env",
    `cannot start the MCP server "${command}": its environment sets ${names}, which ` +
      `${one ? "tells" : "tell"} the system's loader to load other libraries into it; thoth's ` +
      "sandbox may run only this server's command, and cannot start a program with a " +
      "preloaded library under that scoped grant",
    {
      ...(cause === undefined ? {} : { cause }),
      exitCode: 126,
      hints: [
        `unset ${names} for this server: remove ${one ? "it" : "them"} from the "env" of ` +
        "this server in the MCP client's config, or from the environment thoth is started in " +
        `(unset ${
          variables.map((name) => /^[A-Za-z_]\w*$/.test(name) ? name : shellQuote(name)).join(" ")
        })`,
      ],
    },
  );
}

/** Whether `path` names a file this thread may see (false without the permission to look). */
function existsAsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
