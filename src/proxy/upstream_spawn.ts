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
import { readScriptInterpreter, readScriptStart } from "./script_interpreter.ts";
import { looksLikeKey, showName } from "../identity/shown_env_value.ts";
import { GOVERNED_VARIABLE } from "../approval/governed_caller.ts";

/** How to start the upstream server. */
export interface UpstreamSpec {
  command: string;
  args: readonly string[];
  cwd?: string | undefined;
}

/**
 * Spawns the server with piped stdin/stdout and inherited stderr and
 * environment (which `thoth run` has rid of thoth's credentials before the
 * core starts, see `upstream_env.ts`), in thoth's own session and process
 * group: a server that
 * reads a password from the terminal (`/dev/tty`) or is started through
 * `setsid` works as without thoth. (Deno's `detached` would make it a session
 * leader, which breaks both.) A server that made itself a group leader is
 * stopped with its group (see {@linkcode signalGroup}). The server's
 * environment also has `THOTH_GOVERNED_BY` set to this process's pid (see
 * `governed_caller.ts`): `thoth approvals approve`, `deny`, `list` and
 * `watch` run by the server, or by anything it starts, refuse to answer.
 */
export function spawnUpstream(spec: UpstreamSpec): Deno.ChildProcess {
  try {
    return new Deno.Command(spec.command, {
      args: [...spec.args],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      // Added to what it inherits: `thoth approvals` refuses to answer inside a governed server.
      env: { [GOVERNED_VARIABLE]: String(Deno.pid) },
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

/**
 * The last path segment of a command (of a directory written with a slash at
 * its end too), safe to show a client.
 */
export function commandName(command: string): string {
  return command.replace(/(?<=.)[\\/]+$/, "").split(/[\\/]/).pop() || command;
}

/**
 * A command as a message may show it: quoted, or by fingerprint when it
 * looks like a key pasted in its place (see {@linkcode showName}). A path is
 * never clipped: stderr is for the person who must find it.
 */
export function shownCommand(command: string): string {
  return looksLikeKey(command) ? showName(command) : `"${command}"`;
}

/**
 * What the client is told when the server could not be started, by the
 * error's code: names the command (by fingerprint when it looks like a key),
 * never its path or thoth's internals.
 */
export function spawnFailureText(code: string, command: string): string {
  const name = shownCommand(commandName(command));
  const text = code === "upstream.not_found"
    ? `thoth could not start the MCP server: command ${name} was not found`
    : code === "upstream.not_executable"
    ? `thoth could not start the MCP server: command ${name} is not executable`
    : code === "upstream.is_directory"
    ? `thoth could not start the MCP server: command ${name} is a directory, not a program`
    : code === "upstream.bad_interpreter"
    ? `thoth could not start the MCP server: ${name} is a script whose interpreter ` +
      "(named on its first line, after #!) could not be started"
    : code === "upstream.not_permitted"
    ? `thoth could not start the MCP server: thoth's own permissions do not let it run ` +
      `command ${name}`
    : code === "upstream.loader_env"
    ? `thoth could not start the MCP server ${name}: its environment sets a variable ` +
      "of the dynamic loader (LD_* or DYLD_*, such as LD_PRELOAD), and thoth was not " +
      "allowed to run programs with such a variable set"
    : `thoth could not start the MCP server ${name}`;
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
    `cannot start the MCP server: ${
      shownCommand(command)
    } is a script whose interpreter "${interpreter}" ` +
      "(named on its first line, after #!) could not be started",
    {
      ...(cause === undefined ? {} : { cause }),
      exitCode: 126,
      hints: [
        `install "${interpreter}", or change the first line of ${
          shownCommand(command)
        } to an interpreter ` +
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
    `cannot start the MCP server: ${
      shownCommand(command)
    } is a script saved with Windows line breaks ` +
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
  // A directory cannot be run: the system says it was not found, or may not be run.
  if (
    (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) &&
    isDirectoryPath(command)
  ) {
    return directoryError(command, error);
  }
  if (error instanceof Deno.errors.NotFound) {
    // The command exists, yet running it found nothing: its interpreter is missing.
    const interpreter = existsAsFile(command) ? readScriptInterpreter(command) : undefined;
    if (interpreter !== undefined) return badInterpreterError(command, interpreter, error);
    return new AppError(
      "upstream.not_found",
      `cannot start the MCP server: command ${shownCommand(command)} was not found`,
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
    // A script with no #! line would not run after chmod +x either (or a shell would run it
    // as shell commands): it is started by naming its interpreter.
    const script = existsAsFile(command) && readScriptStart(command) === "text";
    return new AppError(
      "upstream.not_executable",
      `cannot start the MCP server: command ${shownCommand(command)} is not executable` +
        (script ? ", and it has no #! first line naming its interpreter" : ""),
      {
        cause: error,
        exitCode: 126,
        hints: [
          script
            ? interpreterHint(command)
            : `make it executable: chmod +x ${shownCommand(command)}`,
        ],
      },
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    const variables = loaderVariables(error.message);
    if (variables.length > 0) return loaderEnvError(command, variables, error);
    return new AppError(
      "upstream.not_permitted",
      `cannot start the MCP server: thoth's permissions do not allow running ${
        shownCommand(command)
      }`,
      {
        cause: error,
        exitCode: 126,
        hints: ["run thoth with its manifest permission set (-P=thoth)"],
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // Deno's own message names the command: hidden as the command is.
  const detail = looksLikeKey(command) ? message.replaceAll(command, "(the command)") : message;
  return new AppError(
    "upstream.spawn_failed",
    `cannot start the MCP server ${shownCommand(command)}: ${detail}`,
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
 * another variable of the dynamic loader when thoth may not run every
 * program: Deno starts a program with such a variable set only under a
 * permission to run any program (a library loaded into the server could run
 * anything), and the sandboxed core gets that permission for its one spawn
 * only when thoth itself holds it (see `sandboxPermissions`). thoth does not
 * drop the variable without a word (the server may need it).
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
    `cannot start the MCP server ${shownCommand(command)}: its environment sets ${names}, ` +
      `which ${one ? "tells" : "tell"} the system's loader how to load libraries into it; ` +
      "Deno starts a program with such a variable set only under a permission to run any " +
      "program (--allow-run without a list), and thoth was not given one",
    {
      ...(cause === undefined ? {} : { cause }),
      exitCode: 126,
      hints: [
        "run thoth with its manifest permission set (-P=thoth), as release binaries are",
        `or unset ${names} for this server: remove ${one ? "it" : "them"} from the "env" of ` +
        "this server in the MCP client's config, or from the environment thoth is started in " +
        `(unset ${
          variables.map((name) => /^[A-Za-z_]\w*$/.test(name) ? name : shellQuote(name)).join(" ")
        })`,
      ],
    },
  );
}

/**
 * Whether an environment with these variable names sets one of the dynamic
 * loader's (`LD_*`, `DYLD_*`, in any case), with which Deno starts a program
 * only under a permission to run any program.
 */
export function setsLoaderVariable(names: readonly string[]): boolean {
  return names.some((name) => /^(?:LD|DYLD)_/i.test(name));
}

/**
 * The error for a command that names a directory: a shell says "Is a
 * directory" (126), where the system's spawn reports a missing or forbidden
 * program.
 */
function directoryError(command: string, cause: unknown): AppError {
  return new AppError(
    "upstream.is_directory",
    `cannot start the MCP server: command ${shownCommand(command)} is a directory, not a program`,
    {
      cause,
      exitCode: 126,
      hints: [
        'name the server\'s executable after "--": the program in that directory that starts ' +
        "the server (such as its bin/ script), or the interpreter that runs it (node, python, " +
        "uvx) followed by the server's script",
      ],
    },
  );
}

/**
 * Whether `command` is a path (it holds a slash, or a backslash on Windows)
 * to a directory. A bare name is looked up on PATH, never in the working
 * directory, so a directory of that name there is not what was run.
 */
function isDirectoryPath(command: string): boolean {
  const separator = Deno.build.os === "windows" ? /[\\/]/ : /\//;
  if (!separator.test(command)) return false;
  try {
    return Deno.statSync(command).isDirectory;
  } catch {
    return false;
  }
}

/** Whether `path` names a file this thread may see (false without the permission to look). */
function existsAsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The interpreters a script is started with, by its file name's extension. */
const INTERPRETERS: Readonly<Record<string, string>> = {
  js: "node",
  mjs: "node",
  cjs: "node",
  ts: "deno run",
  mts: "deno run",
  py: "python3",
  sh: "bash",
};

/**
 * The hint for a script with no `#!` line: name its interpreter before it,
 * after "--" (`-- node ./server.js`), by its extension; with an extension
 * thoth does not know, the interpreter is left for the person to name.
 *
 * @example
 * ```ts
 * interpreterHint("./server.js");
 * // 'start it with its interpreter: thoth run … -- node ./server.js'
 * ```
 */
export function interpreterHint(command: string): string {
  const word = looksLikeKey(command)
    ? shownCommand(command)
    : /^[A-Za-z0-9_./@%+=:,-]+$/.test(command)
    ? command
    : shellQuote(command);
  const extension = /\.([A-Za-z0-9]+)$/.exec(commandName(command))?.[1]?.toLowerCase();
  const interpreter = extension === undefined || !Object.hasOwn(INTERPRETERS, extension)
    ? undefined
    : INTERPRETERS[extension];
  if (interpreter === undefined) {
    return `name its interpreter before it, after "--" (such as "-- node ${word}"), or make its ` +
      'first line name one (such as "#!/usr/bin/env node") and make it executable: ' +
      `chmod +x ${word}`;
  }
  const hint = `start it with its interpreter: thoth run … -- ${interpreter} ${word}`;
  return interpreter === "deno run"
    ? `${hint}, with the permission flags it needs (such as --allow-net) before ${word}`
    : hint;
}
