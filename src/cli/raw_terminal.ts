/**
 * What `set-api-key` (a hidden line) and `approvals watch` (one key) share
 * when they read a terminal in raw mode: the terminal they read, a reader
 * that takes it one chunk at a time with an optional wait, and the signal
 * listeners that give the terminal back on every way out (a SIGHUP, SIGINT,
 * SIGQUIT or SIGTERM; a stop and `fg`).
 *
 * @example
 * ```ts
 * const input = new TerminalChunks(Deno.stdin, { failedReadEnds: true });
 * Deno.stdin.setRaw(true);
 * const stop = restoreOnSignals({
 *   end: () => Deno.stdin.setRaw(false),
 *   stop: () => Deno.stdin.setRaw(false),
 *   notStopped: () => Deno.stdin.setRaw(true),
 *   continued: () => Deno.stdin.setRaw(true),
 * });
 * const chunk = await input.read();
 * stop();
 * Deno.stdin.setRaw(false);
 * ```
 */

/** A terminal read in raw mode: standard input, or a stand-in in tests. */
export interface RawTerminal {
  setRaw(mode: boolean): void;
  read(buffer: Uint8Array): Promise<number | null>;
}

/**
 * Reads a terminal one chunk at a time, with an optional wait: a read that
 * has not finished when the wait ends stays under way and is the next one's,
 * so no key is lost. With `failedReadEnds`, a read that fails counts as the
 * end of input (null); without it, the failure is thrown to whoever waits.
 */
export class TerminalChunks {
  #pending: Promise<Uint8Array | null> | undefined;

  constructor(
    private readonly terminal: RawTerminal,
    private readonly options: { failedReadEnds: boolean },
  ) {}

  /** The next chunk, null at the end of input, or "quiet" when nothing came within `waitMs`. */
  async next(waitMs: number): Promise<Uint8Array | null | "quiet"> {
    const pending = this.#start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quiet = new Promise<"quiet">((resolve) => {
      timer = setTimeout(() => resolve("quiet"), waitMs);
    });
    try {
      const chunk = await Promise.race([pending, quiet]);
      if (chunk !== "quiet") this.#pending = undefined;
      return chunk;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next chunk, null at the end of input. */
  async read(): Promise<Uint8Array | null> {
    const chunk = await this.#start();
    this.#pending = undefined;
    return chunk;
  }

  /** The read under way, or a new one. */
  #start(): Promise<Uint8Array | null> {
    if (this.#pending === undefined) {
      if (this.options.failedReadEnds) {
        // Input that fails to read ends as input that ends.
        this.#pending = this.#read().catch(() => null);
      } else {
        this.#pending = this.#read();
        // A read still pending when the answer is in hand may fail unawaited: that is no error.
        this.#pending.catch(() => {});
      }
    }
    return this.#pending;
  }

  async #read(): Promise<Uint8Array | null> {
    const buffer = new Uint8Array(4096);
    const n = await this.terminal.read(buffer);
    return n === null ? null : buffer.slice(0, n);
  }
}

/** The signals that end a raw-mode read (the terminal is restored first), with their numbers. */
const END_SIGNALS: readonly [Deno.Signal, number][] = Deno.build.os === "windows"
  ? [["SIGINT", 2]]
  : [["SIGHUP", 1], ["SIGINT", 2], ["SIGQUIT", 3], ["SIGTERM", 15]];

/** Whether the process can be stopped and continued (SIGTSTP, SIGSTOP, SIGCONT). */
const JOB_CONTROL = Deno.build.os !== "windows";

/** What {@linkcode restoreOnSignals} does on each signal. */
export interface TerminalSignals {
  /** Before the process exits with 128 + the signal's number: restores the terminal. */
  end(): void;
  /** On SIGTSTP, before the process stops itself: gives the terminal back to the shell. */
  stop(): void;
  /** When the process could not be stopped after `stop`: puts the terminal back as it was. */
  notStopped(): void;
  /** On SIGCONT (after any stop): raw mode again, and the prompt shown again. */
  continued(): void;
}

/**
 * Listens for the signals that end or stop a raw-mode read: on a SIGHUP,
 * SIGINT, SIGQUIT or SIGTERM calls `end` and exits with 128 + its number; on
 * a SIGTSTP calls `stop` and stops the process (`notStopped` when it cannot);
 * on SIGCONT calls `continued`. Signals the system does not deliver are left
 * out. Returns what removes the listeners.
 */
export function restoreOnSignals(on: TerminalSignals): () => void {
  const listeners: (readonly [Deno.Signal, () => void])[] = END_SIGNALS.map(([signal, number]) => {
    const listener = () => {
      on.end();
      Deno.exit(128 + number);
    };
    return [signal, listener] as const;
  });
  if (JOB_CONTROL) {
    // Stopped, the shell takes the terminal back as it was; continued, it must be raw again.
    listeners.push(["SIGTSTP", () => {
      on.stop();
      try {
        Deno.kill(Deno.pid, "SIGSTOP");
      } catch {
        on.notStopped();
      }
    }]);
    listeners.push(["SIGCONT", () => on.continued()]);
  }
  for (const [signal, listener] of listeners) {
    try {
      Deno.addSignalListener(signal, listener);
    } catch {
      // This system does not deliver that signal.
    }
  }
  return () => {
    for (const [signal, listener] of listeners) {
      try {
        Deno.removeSignalListener(signal, listener);
      } catch {
        // Never added.
      }
    }
  };
}
