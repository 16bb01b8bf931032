/**
 * Runs a config command's read → plan → write again when a config changed
 * on disk while it worked: a client that saves its own config all the time
 * (Claude Code rewrites `~/.claude.json` while it runs) would otherwise make
 * the command fail every time it takes longer than the client's pause, and
 * an MDM cannot ask it to quit. A try that failed that way (a
 * `ConfigChangedError`, thrown when that try had written nothing: a try that
 * wrote another file first fails with an error of its own, which says so,
 * and is not tried again) is said on stderr and started over after a short
 * pause: the file is read again and planned anew, and the check on disk
 * still guards the write. After the last try the error is the one of that
 * try, with a hint that names the tries.
 *
 * What a try prints (its warnings, its report) and the exit code it sets
 * are held until it ends, and those of a try that is started over are
 * dropped: each warning is said once, for the try whose outcome stands.
 *
 * @example
 * ```ts
 * await retryChangedConfig(io, async (tryIo) => {
 *   // read, plan and write the config, printing through tryIo
 * });
 * command.action(retrying(io, async (tryIo, input, options) => {
 *   // the same, as a command's action
 * }));
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import { AppError } from "../errors.ts";
import { ConfigChangedError } from "../config/config_changed_error.ts";

/** How many times a command tries, in all, before it gives up on a config that keeps changing. */
export const CONFIG_TRIES = 4;

/** Options for {@linkcode retryChangedConfig} (tests shorten the pause). */
export interface RetryOptions {
  /** Tries in all (default {@linkcode CONFIG_TRIES}). */
  tries?: number;
  /** Waits before try `next` (2, 3, …); by default a short, growing pause. */
  pause?: (next: number) => Promise<void>;
}

/**
 * Runs `attempt` with an io whose output is held (see the module), and
 * again while it fails on a config that changed.
 */
export async function retryChangedConfig(
  io: CliIo,
  attempt: (io: CliIo) => Promise<void>,
  options: RetryOptions = {},
): Promise<void> {
  const tries = Math.max(1, options.tries ?? CONFIG_TRIES);
  const pause = options.pause ?? defaultPause;
  for (let done = 1;; done++) {
    const held = heldIo(io);
    try {
      await attempt(held.io);
    } catch (error) {
      if (!(error instanceof ConfigChangedError)) {
        held.release();
        throw error;
      }
      if (done >= tries) {
        held.release();
        throw lastTry(error, tries);
      }
      io.err(`thoth: note: ${changeSeen(error)}; reading it again (try ${done + 1} of ${tries})\n`);
      await pause(done + 1);
      continue;
    }
    held.release();
    return;
  }
}

/**
 * `action` as a command's action that runs it through
 * {@linkcode retryChangedConfig}: `command.action(retrying(io, async (tryIo,
 * input, options) => { … }))`, printing through `tryIo`.
 */
export function retrying<A extends unknown[]>(
  io: CliIo,
  action: (io: CliIo, ...args: A) => Promise<void>,
  options: RetryOptions = {},
): (...args: A) => Promise<void> {
  return (...args) => retryChangedConfig(io, (tryIo) => action(tryIo, ...args), options);
}

/**
 * `io` for one try: what it prints, in order, and the exit code it sets are
 * kept until `release` passes them on to `io`; a try started over never
 * releases its own.
 */
function heldIo(io: CliIo): { io: CliIo; release: () => void } {
  const lines: { to: "out" | "err"; text: string }[] = [];
  let exitCode = io.exitCode;
  const view = Object.create(io, {
    out: { value: (text: string) => void lines.push({ to: "out", text }) },
    err: { value: (text: string) => void lines.push({ to: "err", text }) },
    exitCode: {
      get: () => exitCode,
      set: (code: number) => {
        exitCode = code;
      },
    },
  }) as CliIo;
  return {
    io: view,
    release: () => {
      io.exitCode = exitCode;
      for (const { to, text } of lines.splice(0)) io[to](text);
    },
  };
}

/** What was seen, for the note before the next try. */
function changeSeen(error: ConfigChangedError): string {
  return error.seen === "changed"
    ? `config "${error.path}" changed on disk while thoth was working (another program saved ` +
      "it); nothing was written"
    : `config "${error.path}" was replaced by another program right after thoth wrote it`;
}

/** The error of the last try, with a hint that names the tries. */
function lastTry(error: ConfigChangedError, tries: number): AppError {
  if (tries === 1) return error;
  return new AppError(error.code, error.message, {
    cause: error,
    exitCode: error.exitCode,
    hints: [
      `thoth tried ${tries} times, reading the file again each time, and another program ` +
      "changed it every time: a client that saves it this often (Claude Code saves " +
      "~/.claude.json while it runs) may be busy; run the command again when it is idle",
      ...error.hints,
    ],
  });
}

/** A short pause that grows with each try, with some jitter so two writers fall out of step. */
function defaultPause(next: number): Promise<void> {
  const ms = 100 * (next - 1) + Math.floor(Math.random() * 100);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
