/**
 * The keys `thoth approvals watch` reads at a terminal: one question at a
 * time, in cbreak mode (no echo, no line editing, but Ctrl-C, Ctrl-Z and
 * Ctrl-\ still raise their signals), so that what was typed before the
 * question (even an unfinished line the terminal held back) is dropped
 * rather than taken for the answer, and the answer is one key pressed a
 * person's reaction time after the prompt ({@linkcode ANSWER_DELAY_MS}). The
 * terminal is put back as it was after each question and on every way out
 * (Ctrl-C, a signal, a stop and `fg`), as `set-api-key` does for a key.
 *
 * @example
 * ```ts
 * const keys = new KeyInput(Deno.stdin);
 * const drained = await keys.discardPending();
 * const press = keyPress((await keys.read())!); // { kind: "key", key: "y" }
 * ```
 */
import { type RawTerminal, restoreOnSignals, TerminalChunks } from "./raw_terminal.ts";

/**
 * A terminal `watch` reads keys from: standard input, or a stand-in in tests.
 * `setRaw(true, { cbreak: true })` is raw mode that keeps the signal keys.
 */
export interface KeyTerminal extends RawTerminal {
  isTerminal(): boolean;
  setRaw(mode: boolean, options?: { cbreak: boolean }): void;
  /**
   * False for a stand-in whose keys come with no person's timing (a test
   * typing in-process): no {@linkcode ANSWER_DELAY_MS} and no
   * {@linkcode SETTLE_QUIET_MS}. Missing (standard input): a person types.
   */
  readonly personTimed?: boolean;
}

/**
 * A byte stream as a terminal's keys, each chunk one read: for tests that
 * type at `watch` in-process (setting raw mode does nothing, and the keys
 * have no person's timing: see {@linkcode KeyTerminal.personTimed}).
 */
export function streamKeys(stream: ReadableStream<Uint8Array>): KeyTerminal {
  const reader = stream.getReader();
  let rest: Uint8Array = new Uint8Array();
  return {
    isTerminal: () => true,
    setRaw: () => {},
    personTimed: false,
    read: async (buffer) => {
      if (rest.length === 0) {
        const { value, done } = await reader.read();
        if (done) return null;
        rest = value;
      }
      const n = Math.min(buffer.length, rest.length);
      buffer.set(rest.subarray(0, n));
      rest = rest.subarray(n);
      return n;
    },
  };
}

/** How long the terminal must stay quiet before what was typed ahead counts as all dropped. */
export const QUIET_MS = 50;
/**
 * The least time between a question (or a question asked again) being
 * written and a key that answers it: quicker than a person reads and
 * reacts, so a key that comes sooner was pressed for something else (a
 * second press meant for the last question, the rest of a paste, a held
 * key repeating) and is dropped.
 */
export const ANSWER_DELAY_MS = 400;
/**
 * After an answer, how long the terminal must stay quiet before the next
 * question is shown: longer than the gap between a held key's repeats, so
 * that the repeats of the key that answered are dropped, not taken for the
 * next answer.
 */
export const SETTLE_QUIET_MS = 300;
/** The longest `discardPending` goes on dropping input that keeps arriving. */
export const DISCARD_MS = 3_000;

/** What {@linkcode KeyInput.discardPending} dropped, and whether input was still arriving. */
export interface Dropped {
  /** Whether what was dropped held more than white space. */
  text: boolean;
  stillArriving: boolean;
}

/**
 * Reads a terminal one chunk at a time, each chunk dropped once looked at
 * (nothing piles up); a read that has not finished when a wait ends stays
 * under way and is the next one's, so no key is lost between questions.
 */
export class KeyInput extends TerminalChunks {
  constructor(terminal: RawTerminal) {
    // Input that fails to read ends as input that ends.
    super(terminal, { failedReadEnds: true });
  }

  /**
   * Reads and drops what arrives until the terminal is quiet for `quietMs`,
   * for no longer than `boundMs`.
   */
  async discardPending(quietMs = QUIET_MS, boundMs = DISCARD_MS): Promise<Dropped> {
    const end = Date.now() + boundMs;
    let text = false;
    for (;;) {
      const chunk = await this.next(quietMs);
      if (chunk === null || chunk === "quiet") return { text, stillArriving: false };
      text ||= chunk.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
      if (Date.now() >= end) return { text, stillArriving: true };
    }
  }
}

/** One read from a terminal in raw mode, as an answer to a question. */
export type KeyPress =
  /** One printable key, lowercased. */
  | { kind: "key"; key: string }
  /** Enter alone. */
  | { kind: "enter" }
  /** Ctrl-C anywhere in the read. */
  | { kind: "cancel" }
  /** Ctrl-D alone: the person is done. */
  | { kind: "end" }
  /** Anything else (several keys at once, a paste, an arrow key): no answer. */
  | { kind: "other"; text: string };

/**
 * What one read in raw mode says. A person pressing a key sends one byte
 * per read; a read of several bytes is a paste or keys typed in a burst,
 * and no answer, however it starts. Pure.
 *
 * @example
 * ```ts
 * keyPress(new TextEncoder().encode("Y")); // { kind: "key", key: "y" }
 * keyPress(new TextEncoder().encode("yes")); // { kind: "other", text: "yes" }
 * ```
 */
export function keyPress(chunk: Uint8Array): KeyPress {
  if (chunk.includes(0x03)) return { kind: "cancel" };
  if (chunk.length === 1) {
    const byte = chunk[0]!;
    if (byte === 0x0d || byte === 0x0a) return { kind: "enter" };
    if (byte === 0x04) return { kind: "end" };
    if (byte > 0x20 && byte < 0x7f) {
      return { kind: "key", key: String.fromCharCode(byte).toLowerCase() };
    }
  }
  return { kind: "other", text: new TextDecoder().decode(chunk) };
}

/** Raw mode that keeps Ctrl-C, Ctrl-Z and Ctrl-\ as the signals they raise. */
const CBREAK = { cbreak: true } as const;

/**
 * Cbreak mode (raw, with the signal keys kept) on `terminal` for one
 * question at a time, given back on every way out: {@linkcode RawGuard.raw}
 * turns it on or off; a SIGHUP, SIGINT (Ctrl-C), SIGQUIT (Ctrl-\) or
 * SIGTERM calls `ending`, restores the terminal and exits with 128 + its
 * number; a SIGTSTP (Ctrl-Z)
 * restores it and stops the process, and the SIGCONT after puts
 * it back in raw mode (when a question is open) and calls `resumed` to show
 * the prompt again. `dispose()` restores it and removes the listeners.
 */
export class RawGuard {
  #raw = false;
  readonly #stopListening: () => void;

  constructor(
    private readonly terminal: KeyTerminal,
    resumed: () => void,
    ending: () => void = () => {},
  ) {
    let wasRaw = false;
    this.#stopListening = restoreOnSignals({
      end: () => {
        try {
          ending();
        } finally {
          this.#restore();
        }
      },
      stop: () => {
        wasRaw = this.#raw;
        this.#restore();
        this.#raw = wasRaw;
      },
      // Not stopped: raw again, as it was.
      notStopped: () => {
        if (wasRaw) this.#set(true);
      },
      continued: () => {
        if (!this.#raw) return;
        try {
          this.terminal.setRaw(true, CBREAK);
        } catch {
          return; // Not the terminal's foreground yet: the next SIGCONT (fg) tries again.
        }
        resumed();
      },
    });
  }

  /** Turns raw mode on or off. */
  raw(on: boolean): void {
    if (on) this.#set(true);
    else this.#restore();
  }

  #set(on: boolean): void {
    this.terminal.setRaw(on, CBREAK);
    this.#raw = on;
  }

  #restore(): void {
    if (!this.#raw) return;
    this.#raw = false;
    try {
      this.terminal.setRaw(false);
    } catch {
      // No terminal left to restore.
    }
  }

  /** Restores the terminal and removes the signal listeners. */
  dispose(): void {
    this.#restore();
    this.#stopListening();
  }
}
