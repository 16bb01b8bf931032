/**
 * Checks that the command a governed client entry starts really is thoth:
 * `status` and `health` judge an entry by its shape and its command's name
 * only, so a binary named `thoth` (or a `deno … mod.ts run --agent-id …`) that
 * is something else would count as governed. `thoth doctor` asks this.
 *
 * What it checks, in order:
 * 1. the command resolves to an executable file (an absolute path, or a bare
 *    name on the client's `PATH`); else `missing`: the client cannot start
 *    the server at all;
 * 2. the entry starts this very thoth: the same file (links resolved) with
 *    the same arguments before `run`; then `verified`, nothing is started;
 * 3. else it starts the entry's command with `--version` (stdin closed, at
 *    most `timeoutMs`, 4 KiB of output read, in its own process group, which
 *    is killed after, with only `PATH` and the home and temp variables, in
 *    the file system's root folder) and takes it for thoth when the first
 *    line reads as thoth's (`thoth 0.1.0 (<target>; commit <commit>)`):
 *    `verified`; any other answer, and none in time, is `not_thoth`.
 *
 * It starts nothing (`unverified`, a warning) when the entry comes from a
 * project's config (a repository can carry one: opening a folder must not
 * make doctor run its programs), when the command is `deno` (it runs
 * whatever it is given: `deno eval …` would pass for thoth's source form),
 * and, as root, from a config root does not own (a user's config must not
 * make root run a program).
 *
 * What it does not check: that the binary is an unmodified thoth release,
 * nor what it does once started (it starts no server).
 *
 * @example
 * ```ts
 * const check = await verifyThothLaunch(["/usr/local/bin/thoth"], "/usr/bin:/bin", {
 *   self: [Deno.execPath()], os: Deno.build.os, uid: Deno.uid(), env: Deno.env.toObject(),
 * });
 * check.outcome; // "verified"
 * readThothVersion("thoth 0.1.0 (x86_64-unknown-linux-gnu; commit source)\n"); // "thoth 0.1.0 (…)"
 * ```
 */
import {
  type ExecutableCheck,
  findExecutable,
  isExecutableFile,
} from "../platform/find_executable.ts";
import type { ThothCheck } from "./doctor_plugins.ts";
import { displayText } from "../approval/display_text.ts";

/** The first line `thoth --version` prints. */
const VERSION_LINE = /^thoth \d+\.\d+\.\d+[0-9A-Za-z.+-]* \([^;()]+; commit [^;()]+\)$/;

/** The most output read from the probe. */
const MAX_OUTPUT = 4096;

/** What {@linkcode verifyThothLaunch} needs. */
export interface VerifyOptions {
  /** How this thoth is started (`CliIo.selfCommand`). */
  readonly self: readonly string[];
  readonly os: string;
  /** The user id doctor runs as; null where there is none (Windows). */
  readonly uid: number | null;
  /** Who owns the config the entry is in; null when unknown. Root probes only its own. */
  readonly configOwner?: number | null;
  /**
   * Doctor's environment: the probe gets only its home and temp variables
   * (and `PATH`, the client's), never credentials or anything else.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether the entry is in a client's own config or a project folder's. */
  readonly scope?: "user" | "project";
  /** How long the probe may take; 10 seconds by default. */
  readonly timeoutMs?: number;
  readonly isExecutable?: ExecutableCheck;
  /** Resolves links; `Deno.realPath` by default. */
  readonly realPath?: (path: string) => Promise<string>;
}

/** The first line of `text` when it reads as `thoth --version`'s, else null. Pure. */
export function readThothVersion(text: string): string | null {
  const first = text.split(/\r?\n/, 1)[0]?.trim() ?? "";
  return VERSION_LINE.test(first) ? first : null;
}

/** Checks `launch` (a governed entry's command and its arguments before `run`). */
export async function verifyThothLaunch(
  launch: readonly string[],
  path: string,
  options: VerifyOptions,
): Promise<ThothCheck> {
  const command = launch[0];
  if (command === undefined || command === "") {
    return { outcome: "unverified", detail: "the entry names no command" };
  }
  // Text from a config reaches a terminal: quoted, with no character that could act on it.
  const shownCommand = shownText(command);
  const windows = options.os === "windows";
  if (
    !isAbsolutePath(command, options.os) &&
    (windows ? /[\\/]/ : /\//).test(command)
  ) {
    // A relative path is the client's to resolve, against a folder doctor does not know.
    return {
      outcome: "unverified",
      detail: `${shownCommand} was not started: a relative path is resolved against the ` +
        "client's working folder, which doctor does not know; write the absolute path",
    };
  }
  const resolved = await findExecutable(
    command,
    path,
    options.os,
    options.isExecutable ?? isExecutableFile,
  );
  if (resolved === null) {
    const bare = !command.includes("/") && !(options.os === "windows" && command.includes("\\"));
    return {
      outcome: "missing",
      detail: `${shownCommand} is not an executable file${
        bare ? ` on the client's PATH (${path})` : ""
      }: the client cannot start this server`,
    };
  }
  if (!isAbsolutePath(resolved, options.os)) {
    // Found through a relative folder on the PATH: the client's own folder decides.
    return {
      outcome: "unverified",
      detail: `${shownCommand} was not started: it was found through a relative folder on ` +
        "the PATH, which the client resolves against its own working folder",
    };
  }
  const realPath = options.realPath ?? Deno.realPath;
  const real = (file: string) => realPath(file).catch(() => file);
  const self = options.self;
  if (
    self.length === launch.length && self.length > 0 &&
    launch.slice(1).every((arg, i) => arg === self[i + 1]) &&
    await real(resolved) === await real(self[0]!)
  ) {
    return { outcome: "verified", detail: "the same file as this thoth" };
  }
  if (options.scope === "project") {
    return {
      outcome: "unverified",
      detail: `${shownCommand} was not started: it is named by a project's config, which a ` +
        "repository can carry, and doctor starts no program such a config names",
    };
  }
  if (/(?:^|[\\/])deno(?:\.(?:exe|cmd|bat|com))?$/i.test(resolved)) {
    return {
      outcome: "unverified",
      detail:
        `${shownText(launch.join(" "))} was not started: deno runs whatever script and flags it ` +
        "is given, so only the same deno and script as this thoth is checked",
    };
  }
  if (options.uid === 0) {
    // Who owns a config when root reads it can change before a program starts (a link
    // swapped in its place): root starts nothing a config names.
    return {
      outcome: "unverified",
      detail: `${shownCommand} was not started: thoth runs as root here and starts no program ` +
        "a config names (run this command as that config's user to check it)",
    };
  }
  return await probe(resolved, launch.slice(1), path, options);
}

/** The variables a probe keeps: the home and temp folders, and Windows' system root. */
const PROBE_ENV = ["HOME", "USERPROFILE", "TMPDIR", "TEMP", "TMP", "SystemRoot", "LANG"];

/** Runs `file ARGS --version` and reads its answer. */
async function probe(
  file: string,
  args: readonly string[],
  path: string,
  options: VerifyOptions,
): Promise<ThothCheck> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const windows = options.os === "windows";
  const env: Record<string, string> = { PATH: path };
  for (const name of PROBE_ENV) {
    const value = options.env[name];
    if (value !== undefined) env[name] = value;
  }
  const shown = JSON.stringify(displayText([file, ...args, "--version"].join(" "), 300));
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(file, {
      args: [...args, "--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      clearEnv: true,
      env,
      // Not the folder doctor runs in, which may be a repository's.
      cwd: windows ? (options.env["SystemRoot"] ?? "C:\\") : "/",
      // Its own process group (a new session), so whatever it starts ends with it.
      detached: !windows,
    }).spawn();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { outcome: "not_thoth", detail: `${shown} could not be started: ${reason}` };
  }
  let timedOut = false;
  const reader = child.stdout.getReader();
  const killAll = () => {
    try {
      if (windows) child.kill("SIGKILL");
      else Deno.kill(-child.pid, "SIGKILL");
    } catch { /* already gone */ }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killAll();
    // A process it started may still hold the pipe open: stop reading.
    reader.cancel().catch(() => {});
  }, timeoutMs);
  try {
    const text = await readSome(reader);
    // It and anything it started: the probe leaves nothing running.
    killAll();
    const status = await child.status;
    if (timedOut) {
      return {
        outcome: "not_thoth",
        detail: `${shown} did not answer within ${timeoutMs / 1000} s, where thoth prints ` +
          "its version at once",
      };
    }
    const version = readThothVersion(text);
    if (version !== null) {
      return { outcome: "verified", detail: `"--version" answers "${version}"` };
    }
    const first = (text.split(/\r?\n/, 1)[0] ?? "").trim().slice(0, 80);
    return {
      outcome: "not_thoth",
      detail: `${shown} ${
        first === "" ? "printed nothing" : `printed ${JSON.stringify(first)}`
      } (exit code ${status.code}), where thoth prints "thoth <version> (<target>; commit <commit>)"`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most {@linkcode MAX_OUTPUT} bytes of `stream`, then lets it go. */
async function readSome(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_OUTPUT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all.subarray(0, MAX_OUTPUT));
}

/** A config's text as a message shows it: quoted, control and format characters as `?`. */
function shownText(text: string): string {
  return JSON.stringify(displayText(text, 300));
}

function isAbsolutePath(path: string, os: string): boolean {
  return os === "windows" ? /^(?:[A-Za-z]:[\\/]|[\\/]{2})/.test(path) : path.startsWith("/");
}
