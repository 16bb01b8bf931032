/**
 * What a CLI command may touch of the outside world, passed in so that every
 * command can be run in a test with a temp `THOTH_HOME` and captured output.
 *
 * @example
 * ```ts
 * const io = denoCliIo();
 * io.out("ready\n");
 * ```
 */

/** The I/O surface of one CLI invocation. */
export interface CliIo {
  /** A snapshot of the environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Writes to standard output (the protocol's channel under `thoth run`).
   * Throws {@linkcode StdoutClosedError} once the reader has gone away.
   */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Whether standard output is a terminal (for tables vs. plain output). */
  readonly stdoutIsTty: boolean;
  /** Whether standard input is a terminal (for prompts). */
  readonly stdinIsTty: boolean;
  /** Whether standard error is a terminal (for progress lines); not one unless said. */
  readonly stderrIsTty?: boolean;
  /** A clock in milliseconds that only goes forward (for progress lines); `performance.now` unless given. */
  readonly monotonicMs?: () => number;
  /** The working directory. */
  readonly cwd: string;
  /**
   * The argv prefix that runs this thoth again: `[binary]` when compiled,
   * `[deno, "run", …flags, entry script]` from source, the binary named by the
   * `PATH` link that leads to it when there is one (see `selfCommandOnPath`).
   * `wrap-config` writes it into client configs.
   */
  readonly selfCommand: readonly string[];
  /**
   * The first part of the absolute `path` (or of where its links lead) that
   * a user other than the one running thoth and root can change, undefined
   * when none can: `wrap-config` warns when the thoth path it writes has
   * one (see `platform/written_path_risk.ts`). A test's I/O may leave it
   * out: then nothing is judged.
   */
  readonly redirectablePartOf?: ((path: string) => RedirectablePart | undefined) | undefined;
  /** The profile directory (`THOTH_HOME` or `~/.thoth`). */
  readonly thothHome: string;
  /** Set by a command that ends without an error but must exit non-zero. */
  exitCode: number;
}

import { AppError } from "../errors.ts";
import { sourceLaunchWords } from "../platform/source_launch_flags.ts";
import { passwdHome } from "../platform/passwd_home.ts";
import { profileHome } from "./profile_home.ts";
import { execPathOnPath } from "../platform/exec_path_on_path.ts";
import { pathVariable } from "../platform/path_variable.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import type { RedirectablePart } from "../platform/redirectable_part.ts";
import { writtenPathRisk } from "../platform/written_path_risk.ts";

const encoder = new TextEncoder();

/**
 * Thrown by a real {@linkcode CliIo}'s `out` when standard output is a pipe
 * whose reader has gone away (`thoth … | head -1`). It is not a failure of
 * the command: `report_error.ts` turns it into a quiet exit 141, what a shell
 * shows for a writer ended by SIGPIPE.
 *
 * @example
 * ```ts
 * try {
 *   io.out("line\n");
 * } catch (error) {
 *   if (error instanceof StdoutClosedError) console.error("nobody is reading");
 * }
 * ```
 */
export class StdoutClosedError extends Error {
  constructor(options?: ErrorOptions) {
    super("standard output was closed by its reader", options);
    this.name = "StdoutClosedError";
  }
}

function writeAllSync(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

/**
 * The I/O of this process, for an entry module at `entryUrl` (inside
 * `src/cli/`): the profile from `THOTH_HOME` or the home directory, and how
 * to start this program again. When no absolute profile folder can be found
 * (no `THOTH_HOME`, no `HOME`, no home in the password file, or a relative
 * `HOME`), it prints why and what to set, and exits 1: nothing may be kept
 * in, or granted to, a profile relative to the folder thoth started in.
 */
export function processCliIo(entryUrl: string): CliIo {
  const io = processCliIoOrProblem(entryUrl);
  if (!(io instanceof AppError)) return io;
  const program = /thothctl\.ts$/.test(entryUrl) ? "thothctl" : "thoth";
  reportProfileProblem(program, io);
  Deno.exit(io.exitCode);
}

/**
 * Writes why no profile folder was found, as `program: error: …` lines on
 * stderr; `json`, when given (the line `--json` asks for, see
 * `errorJsonFor` in `report_error.ts`), goes to stdout too.
 */
export function reportProfileProblem(program: string, error: AppError, json?: string): void {
  writeAllSync(
    Deno.stderr,
    [`error: ${error.message}`, ...error.hints.map((h) => `hint: ${h}`)]
      .map((line) => `${program}: ${line}\n`).join(""),
  );
  if (json === undefined) return;
  try {
    writeAllSync(Deno.stdout, json);
  } catch {
    // Nobody reads stdout: stderr has said it.
  }
}

/**
 * {@linkcode processCliIo}, but the `identity.no_profile` error is returned
 * instead of reported, for `thoth run`, which must answer its client even then.
 */
export function processCliIoOrProblem(entryUrl: string): CliIo | AppError {
  let home: string;
  try {
    home = profileHome(Deno.env.toObject(), Deno.build.os, passwdHomeSync);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error;
  }
  const config = new URL("../../deno.json", entryUrl);
  const configPath = config.protocol === "file:"
    ? decodeURIComponent(config.pathname)
    : "deno.json";
  return denoCliIo(home, selfCommandOnPath(Deno.mainModule, configPath, Deno.env.toObject()));
}

/** This user's home from the password file, or undefined (Windows, no permission, no entry). */
function passwdHomeSync(): string | undefined {
  if (Deno.build.os === "windows") return undefined;
  try {
    const uid = Deno.uid();
    return uid === null ? undefined : passwdHome(Deno.readTextFileSync("/etc/passwd"), uid);
  } catch {
    return undefined;
  }
}

/** The real process's I/O. */
export function denoCliIo(thothHome: string, selfCommand: readonly string[]): CliIo {
  return {
    env: Deno.env.toObject(),
    out: (text) => {
      try {
        writeAllSync(Deno.stdout, text);
      } catch (error) {
        if (error instanceof Deno.errors.BrokenPipe) throw new StdoutClosedError({ cause: error });
        throw error;
      }
    },
    err: (text) => writeAllSync(Deno.stderr, text),
    stdoutIsTty: Deno.stdout.isTerminal(),
    stdinIsTty: Deno.stdin.isTerminal(),
    stderrIsTty: Deno.stderr.isTerminal(),
    cwd: Deno.cwd(),
    selfCommand,
    redirectablePartOf: redirectablePartHere,
    thothHome,
    exitCode: 0,
  };
}

/**
 * The first part of `path`'s way, on this machine, that another user than
 * the one running thoth (and root) can change (see `written_path_risk.ts`).
 */
export function redirectablePartHere(path: string): RedirectablePart | undefined {
  return writtenPathRisk(path, {
    os: Deno.build.os,
    lstat: lstatOrUndefined,
    readLink: readLinkOrUndefined,
    self: effectiveUid(),
  });
}

/**
 * Works out how to start this thoth again. A compiled binary is its own
 * command; from source it is the Deno binary running the entry script with the
 * manifest's permission set and `--no-prompt`, so that what the set leaves out
 * is denied, never asked for at a terminal (as in a compiled binary), and
 * `--no-remote`, so that no module is fetched from the network: Deno fetches
 * an `import("https://…")` or `import("jsr:…")` of its default hosts even for
 * the sandboxed proxy core, whose Worker grants no import (a compiled binary
 * fetches none either); and `--cached-only` with `--frozen-lockfile`: an
 * `import("npm:…")`, which no Worker permission stops either, is resolved
 * only from Deno's cache and deno.lock, never fetched from the registry or
 * written into the lock. Whoever wraps a config from source has run this
 * checkout's thoth, which cached every package deno.lock lists; a
 * well-formed `thoth run` loads none.
 *
 * @example
 * ```ts
 * selfCommandFor("/usr/bin/deno", "file:///src/thoth/src/cli/thoth.ts", "/src/thoth/deno.json");
 * // ["/usr/bin/deno", "run", "-P=thoth", "--no-prompt", "--no-remote", "--cached-only", …, "/src/thoth/src/cli/thoth.ts"]
 * selfCommandFor("/opt/thoth/bin/thoth", "file:///x.ts", "/d.json"); // ["/opt/thoth/bin/thoth"]
 * ```
 */
export function selfCommandFor(execPath: string, mainModule: string, configPath: string): string[] {
  const base = execPath.split(/[\\/]/).pop() ?? "";
  if (base !== "deno" && base !== "deno.exe") return [execPath];
  const script = mainModule.startsWith("file:")
    ? decodeURIComponent(new URL(mainModule).pathname)
    : mainModule;
  return [execPath, ...sourceLaunchWords(configPath), script];
}

/**
 * {@linkcode selfCommandFor} for this process, with its binary (thoth, or
 * deno from source) named by the first `PATH` entry of `env` that leads to
 * it, when one does: `/usr/local/bin/thoth`, not the versioned file that
 * link leads to (`Deno.execPath()`), which a package manager's upgrade
 * removes. Otherwise (or when another user could swap a part of that
 * entry's way to the binary: a link in a folder anyone may write to) the
 * binary's own path, which `wrap-config` judges by the same rule and warns
 * about (see `redirectablePartOf`). See `exec_path_on_path.ts`.
 *
 * @example
 * ```ts
 * const self = selfCommandOnPath(Deno.mainModule, "/src/thoth/deno.json", Deno.env.toObject());
 * // ["/usr/local/bin/thoth"] for a compiled thoth installed as a link there
 * ```
 */
export function selfCommandOnPath(
  mainModule: string,
  configPath: string,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const execPath = Deno.execPath();
  const command = selfCommandFor(execPath, mainModule, configPath);
  const base = execPath.split(/[\\/]/).pop() ?? "";
  // A compiled thoth is also looked for by its program's name (a link "thoth" to
  // "thoth-linux-x86_64"); deno only as deno, or the words after it would be read as thoth's.
  const program = (mainModule.split("/").pop() ?? "").replace(/\.ts$/, "");
  const names = command.length > 1 || program === ""
    ? [base]
    : [base, Deno.build.os === "windows" ? `${program}.exe` : program];
  command[0] = execPathOnPath({
    execPath,
    names: [...new Set(names)],
    pathValue: pathVariable(env, Deno.build.os),
    os: Deno.build.os,
    realPath: realPathOrUndefined,
    lstat: lstatOrUndefined,
    readLink: readLinkOrUndefined,
    self: effectiveUid(),
  });
  return command;
}

/** What is at `path` itself, links not followed, or undefined when it cannot be looked at. */
function lstatOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

/** What the link at `path` holds, or undefined when it cannot be read. */
function readLinkOrUndefined(path: string): string | undefined {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return undefined;
  }
}

/** Where `path` leads, or undefined when nothing is there (or it cannot be looked at). */
function realPathOrUndefined(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}
