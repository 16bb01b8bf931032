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
 *    most `timeoutMs`, 4 KiB of output read) and takes it for thoth when the
 *    first line reads as thoth's (`thoth 0.1.0 (<target>; commit <commit>)`):
 *    `verified`; any other answer is `not_thoth`; no answer in time is
 *    `unverified`. As root it starts nothing from a config root does not own
 *    (`unverified`): a user's config must not make root run a program.
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
  /** The environment the probe runs with. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long the probe may take; 5 seconds by default. */
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
      detail: `"${command}" is not an executable file${
        bare ? ` on the client's PATH (${path})` : ""
      }: the client cannot start this server`,
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
  if (options.uid === 0 && options.configOwner !== 0) {
    return {
      outcome: "unverified",
      detail: `"${command}" was not started: doctor runs as root and starts no program a ` +
        "config root does not own names (run thoth doctor as that config's user to check it)",
    };
  }
  return await probe(resolved, launch.slice(1), options);
}

/** Runs `file ARGS --version` and reads its answer. */
async function probe(
  file: string,
  args: readonly string[],
  options: VerifyOptions,
): Promise<ThothCheck> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const shown = [file, ...args, "--version"].join(" ");
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(file, {
      args: [...args, "--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      clearEnv: true,
      env: Object.fromEntries(
        Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    }).spawn();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { outcome: "not_thoth", detail: `"${shown}" could not be started: ${reason}` };
  }
  let timedOut = false;
  const reader = child.stdout.getReader();
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    // A process it started may still hold the pipe open: stop reading.
    reader.cancel().catch(() => {});
  }, timeoutMs);
  try {
    const text = await readSome(reader);
    try {
      child.kill("SIGKILL");
    } catch { /* it ended */ }
    const status = await child.status;
    if (timedOut) {
      return {
        outcome: "unverified",
        detail: `"${shown}" did not answer within ${timeoutMs / 1000} s`,
      };
    }
    const version = readThothVersion(text);
    if (version !== null) {
      return { outcome: "verified", detail: `"--version" answers "${version}"` };
    }
    const first = (text.split(/\r?\n/, 1)[0] ?? "").trim().slice(0, 80);
    return {
      outcome: "not_thoth",
      detail: `"${shown}" ${
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
