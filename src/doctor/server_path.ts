/**
 * The `PATH` a client config's server entry is started with, and where on it
 * a command is looked up, as the doctor judges it. Pure.
 *
 * The clients (Node programs) start an entry with its `env` block merged over
 * the environment they give their servers, and look the command up on the
 * `PATH` of that merged environment: an entry that sets `PATH` replaces the
 * inherited one, it is not added to it. On Windows the names of variables
 * have no case (`Path`, `PATH`), and Node, starting a program, sorts the
 * merged names and keeps the first of each name without case: the entry's
 * name counts only when it is spelled as the inherited one is, or sorts
 * before it. Claude Code passes on its own environment, where Windows spells
 * it `Path`; the desktop clients start servers through the MCP SDK, whose
 * default environment names it `PATH`. So `{"path": …}` never replaces the
 * inherited one, and `{"Path": …}` does for Claude Code only.
 *
 * VS Code is the exception: it starts its servers from a copy of its own
 * environment (on Windows the inherited name is `Path`) and, for every name
 * of the entry's `env` whose upper case is `PATH`, adds the entry's value
 * after the value already there under that very name (`inherited;entry`), or
 * sets it when there is none. So on every OS an entry's `PATH` (`Path` on
 * Windows) is searched after VS Code's own; on Windows an entry's `PATH`
 * sorts before the inherited `Path` and is used alone, and `path` is never
 * used. That is VS Code's code as read, not a documented promise. For the
 * other clients the model is an assumption drawn from how Node programs
 * start processes (the entry's value replaces the inherited one): Claude
 * Desktop's and Cursor's code is not public, and Claude Code's spelling of
 * the inherited name is what Node's `process.env` gives on Windows.
 * `thoth run … -- cmd`
 * runs with that environment and looks the upstream command up on its own
 * `PATH`, so the same `PATH` answers for the wrapped command too.
 *
 * A folder on the `PATH` that is not absolute (`.`, `bin`, or an empty one,
 * which means the working folder) is resolved against the working folder of
 * the client or of thoth, which the doctor does not know: the lookup stops
 * there, and {@linkcode lookUpOnServerPath} says so instead of guessing.
 *
 * @example
 * ```ts
 * const server = { name: "fs", governed: false, command: "npx", upstreamCommand: null,
 *   envPath: [["PATH", "/opt/node/bin:/usr/bin"]] as const };
 * serverPath("claude-desktop", "darwin", {}, server).path; // "/opt/node/bin:/usr/bin"
 * serverPath("claude-desktop", "darwin", {}, server).source; // "entry"
 * ```
 */
import type { ExecutableCheck } from "../platform/find_executable.ts";
import { findExecutable } from "../platform/find_executable.ts";
import type { ClientServer } from "./doctor_plugins.ts";
import { clientPath } from "./gui_client_path.ts";

/** The `PATH` an entry's commands are looked up on, and where it came from. */
export interface ServerPath {
  /** The whole `PATH` value. */
  readonly path: string;
  /** `entry`: the entry's own `env` sets it; `client`: the one its client gives its servers. */
  readonly source: "entry" | "client";
  /** For `entry`, the variable's name as the entry spells it (`PATH`, `Path`); else null. */
  readonly name: string | null;
  /** For `entry`, whether the entry's value comes after the client's (VS Code), not instead of it. */
  readonly appended: boolean;
  /** The absolute folders before the first relative one, joined: where the doctor looks. */
  readonly searched: string;
  /** The first folder that is not absolute (`""` for an empty one), or null when none. */
  readonly relative: string | null;
}

/** The `PATH` `server` (of `client`'s config) is started with on `os`. */
export function serverPath(
  client: string,
  os: string,
  env: Readonly<Record<string, string | undefined>>,
  server: Pick<ClientServer, "envPath" | "pathOverride">,
): ServerPath {
  const sep = os === "windows" ? ";" : ":";
  const inherited = clientPath(client, os, env);
  const own = client === "vscode"
    ? vscodePathVariable(entryVariables(server), os, inherited)
    : entryPathVariable(server, os, client);
  const path = own?.value ?? inherited;
  const folders = path.split(sep);
  const cut = folders.findIndex((folder) => !isAbsoluteFolder(folder, os));
  // An empty element (and an empty PATH) is the working folder to a POSIX lookup.
  const relative = cut < 0 ? null : folders[cut]!;
  return {
    path,
    source: own === null ? "client" : "entry",
    name: own?.name ?? null,
    appended: own?.appended ?? false,
    searched: (relative === null ? folders : folders.slice(0, cut)).join(sep),
    relative,
  };
}

/** How a lookup on a {@linkcode ServerPath} went. */
export type ServerPathLookup =
  | { readonly outcome: "found"; readonly file: string }
  | { readonly outcome: "missing" }
  /** Not found before a relative folder, or a relative command: the working folder decides. */
  | { readonly outcome: "unknown"; readonly reason: string };

/** Looks `command` up as the client (or thoth) would, as far as the doctor can know. */
export async function lookUpOnServerPath(
  command: string,
  where: ServerPath,
  os: string,
  isExecutable: ExecutableCheck,
): Promise<ServerPathLookup> {
  const windows = os === "windows";
  if ((windows ? /[\\/]/ : /\//).test(command) && !isAbsoluteFolder(command, os)) {
    return {
      outcome: "unknown",
      reason: "a relative path is resolved against the working folder of whoever starts it, " +
        "which doctor does not know",
    };
  }
  const file = await findExecutable(command, where.searched, os, isExecutable);
  if (file !== null) return { outcome: "found", file };
  if (where.relative !== null && !(windows ? /[\\/]/ : /\//).test(command)) {
    return { outcome: "unknown", reason: relativeFolderText(where.relative) };
  }
  return { outcome: "missing" };
}

/** One command a server entry starts, looked up as {@linkcode lookUpOnServerPath} does. */
export interface ServerCommandLookup {
  /** The command as the entry writes it. */
  readonly command: string;
  /** Whether it is the upstream command after `thoth run … --` (else the entry's `command`). */
  readonly upstream: boolean;
  /** The `PATH` it was looked up on. */
  readonly where: ServerPath;
  readonly found: ServerPathLookup;
}

/**
 * Looks up each command `server` (of `client`'s config) starts: its
 * `command`, and for a governed entry the upstream command behind `thoth run
 * --`, each on the `PATH` the entry is started with. Starts nothing. What
 * `thoth doctor`'s `upstream_path` check and `thoth health` both judge.
 */
export async function lookUpServerCommands(
  client: string,
  os: string,
  env: Readonly<Record<string, string | undefined>>,
  server: Pick<ClientServer, "envPath" | "pathOverride" | "command" | "upstreamCommand">,
  isExecutable: ExecutableCheck,
): Promise<ServerCommandLookup[]> {
  const where = serverPath(client, os, env, server);
  const commands: [string, boolean][] = [[server.command, false]];
  if (server.upstreamCommand !== null) commands.push([server.upstreamCommand, true]);
  const out: ServerCommandLookup[] = [];
  for (const [command, upstream] of commands) {
    const found = await lookUpOnServerPath(command, where, os, isExecutable);
    out.push({ command, upstream, where, found });
  }
  return out;
}

/** Whether `command` is an absolute path on `os` (not looked up on any `PATH`). */
export function isAbsoluteCommand(command: string, os: string): boolean {
  return isAbsoluteFolder(command, os);
}

/**
 * Why a command whose lookup was `missing` cannot be started, in words: an
 * absolute path that is no executable file, or a name not found on the
 * `PATH` it is looked up on. The command is quoted as doctor's checks quote
 * it (its backslashes as written, not doubled); a terminal shows a control
 * character escaped by whoever prints it.
 *
 * @example
 * ```ts
 * missingCommandText("/opt/gone/mytool", where, "claude-desktop", "linux");
 * // '"/opt/gone/mytool" does not exist or is not an executable file'
 * ```
 */
export function missingCommandText(
  command: string,
  where: ServerPath,
  client: string,
  os: string,
): string {
  return isAbsoluteFolder(command, os)
    ? `"${command}" does not exist or is not an executable file`
    : `"${command}" is not found on ${serverPathText(where, client)}`;
}

/** Why a relative folder on the `PATH` is not searched, in words. */
export function relativeFolderText(folder: string): string {
  return `not found before ${
    folder === "" ? "an empty folder" : `the relative folder "${folder}"`
  } on that PATH, which is resolved against the working folder of whoever starts it (doctor ` +
    "does not know it, and finds no program through it): write absolute folders only";
}

/** How a message names the `PATH` used: the entry's, or its client's. */
export function serverPathText(where: ServerPath, client: string): string {
  if (where.source === "entry") {
    return where.appended
      ? `the PATH its "env" block adds to VS Code's (${where.path})`
      : `the PATH its "env" block sets (${where.path})`;
  }
  return client === "claude-code"
    ? `Claude Code's PATH (yours: ${where.path})`
    : `the desktop client's PATH (${where.path})`;
}

/**
 * The name `client` gives the inherited `PATH` on Windows: Claude Code and
 * VS Code pass their own environment on (`Path`, as Windows spells it); the
 * others use the MCP SDK's default environment (`PATH`).
 */
export function inheritedPathName(client: string): string {
  return client === "claude-code" || client === "vscode" ? "Path" : "PATH";
}

/** An entry's `PATH` variable as a client reads it; `appended` when after the client's. */
interface EntryPath {
  name: string;
  value: string;
  appended: boolean;
}

/** The entry's variables named `PATH` in any case, in file order. */
function entryVariables(
  server: Pick<ClientServer, "envPath" | "pathOverride">,
): (readonly [string, string])[] {
  const given: (readonly [string, string])[] = [...(server.envPath ?? [])];
  if (given.length === 0 && typeof server.pathOverride === "string") {
    given.push(["PATH", server.pathOverride]);
  }
  return given;
}

/**
 * The `PATH` VS Code starts the entry with on `os` when its `env` sets one
 * (see the module's doc), null when the inherited one is used as it is.
 */
function vscodePathVariable(
  given: readonly (readonly [string, string])[],
  os: string,
  inherited: string,
): EntryPath | null {
  const sep = os === "windows" ? ";" : ":";
  // The block as JSON reads it: a name given twice keeps its last value.
  const block = new Map<string, string>();
  for (const [name, value] of given) block.set(name, value);
  const variables = new Map<string, { value: string; entry: boolean; appended: boolean }>([
    [
      os === "windows" ? inheritedPathName("vscode") : "PATH",
      { value: inherited, entry: false, appended: false },
    ],
  ]);
  for (const [name, value] of block) {
    if (name.toUpperCase() !== "PATH") continue;
    const before = variables.get(name)?.value;
    variables.set(
      name,
      before ? { value: before + sep + value, entry: true, appended: true } : {
        value,
        entry: true,
        appended: false,
      },
    );
  }
  // Elsewhere names have case: PATH alone is looked up. On Windows Node keeps
  // the first name in sort order among those without case.
  const used = os === "windows" ? [...variables.keys()].sort()[0]! : "PATH";
  const variable = variables.get(used);
  return variable === undefined || !variable.entry
    ? null
    : { name: used, value: variable.value, appended: variable.appended };
}

/** The `PATH` variable the entry's `env` sets, as the client reads it on `os`; null when none. */
function entryPathVariable(
  server: Pick<ClientServer, "envPath" | "pathOverride">,
  os: string,
  client: string,
): EntryPath | null {
  const given = entryVariables(server);
  if (os !== "windows") {
    // A name given twice in one block: the last one is the one kept.
    const named = given.filter(([name]) => name === "PATH");
    const last = named[named.length - 1];
    return last === undefined ? null : { name: last[0], value: last[1], appended: false };
  }
  // The client merges the entry's env over the names it passes on (the same name
  // replaced, the last one given kept); Node sorts the names and keeps the first
  // of each without case.
  const merged = new Map<string, string | null>([[inheritedPathName(client), null]]);
  for (const [name, value] of given) {
    if (name.toUpperCase() === "PATH") merged.set(name, value);
  }
  const first = [...merged.keys()].sort()[0]!;
  const value = merged.get(first);
  return value === null || value === undefined ? null : { name: first, value, appended: false };
}

function isAbsoluteFolder(folder: string, os: string): boolean {
  return os === "windows" ? /^(?:[A-Za-z]:[\\/]|[\\/]{2})/.test(folder) : folder.startsWith("/");
}
