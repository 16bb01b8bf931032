/**
 * One line typed or pasted at a terminal with echo off
 * ({@linkcode readHiddenLine}), as `set-api-key --api-key -` reads a key: the
 * terminal in raw mode, the keys handled here, and whatever else arrives read
 * and dropped before the terminal is given back, so none of it reaches the
 * shell.
 *
 * @example
 * ```ts
 * const key = await readHiddenLine(Deno.stdin, () => console.error("paste the key"));
 * ```
 */
import { AppError } from "../errors.ts";
import { type RawTerminal, restoreOnSignals, TerminalChunks } from "./raw_terminal.ts";
import { MAX_KEY_INPUT, moreThanOneLine, tooLong } from "./api_key_input_refusals.ts";

/** The terminal {@linkcode readHiddenLine} reads from. */
export type HiddenLineTerminal = RawTerminal;

/** How long the terminal must stay quiet before what was pasted counts as all there. */
const QUIET_MS = 100;
/** The longest thoth keeps discarding input that goes on arriving (a paste, a stuck key). */
const DISCARD_MS = 3_000;
/** The longest thoth reads on to the end of a line past the limit. */
const TOO_LONG_MS = 10_000;

/** The longest escape sequence kept whole; a longer one ends there. */
const MAX_ESCAPE = 16;

/** What a drain read and dropped, and whether input was still arriving when it gave up. */
interface Drained {
  dropped: Uint8Array[];
  stillArriving: boolean;
}

/**
 * Reads a terminal one chunk at a time, with an optional wait: a read that
 * has not finished when the wait ends stays pending and is the next read's
 * (a read that fails is thrown to whoever waits).
 */
class TerminalInput extends TerminalChunks {
  constructor(terminal: HiddenLineTerminal) {
    super(terminal, { failedReadEnds: false });
  }

  /**
   * Reads and drops whatever arrives until the terminal is quiet, for no
   * longer than `boundMs`: says what it dropped, and whether input was still
   * arriving when the bound ended (what comes after is left for the shell).
   */
  async discardPending(quietMs = QUIET_MS, boundMs = DISCARD_MS): Promise<Drained> {
    const end = Date.now() + boundMs;
    const dropped: Uint8Array[] = [];
    for (;;) {
      let chunk: Uint8Array | null | "quiet";
      try {
        chunk = await this.next(quietMs);
      } catch {
        // Nothing more can be read: nothing is left for the shell either.
        return { dropped, stillArriving: false };
      }
      if (chunk === null || chunk === "quiet") return { dropped, stillArriving: false };
      dropped.push(chunk);
      if (Date.now() >= end) return { dropped, stillArriving: true };
    }
  }
}

/** A bracketed paste's start or end marker, which terminals put around what is pasted. */
const PASTE_MARKERS = new Set(["\x1b[200~", "\x1b[201~"]);

/** Whether `chunks`, joined, hold more than white space and paste markers. */
function holdsText(chunks: readonly Uint8Array[]): boolean {
  const text = chunks.map((chunk) => String.fromCharCode(...chunk)).join("");
  return /[^ \t\r\n]/.test(text.replaceAll("\x1b[200~", "").replaceAll("\x1b[201~", ""));
}

/** Refused when input went on arriving past the limit: what followed went to the shell. */
function stillArriving(when: string): AppError {
  return new AppError(
    "usage.bad_api_key",
    `input was still arriving ${when} after ${
      DISCARD_MS / 1000
    } seconds: nothing was saved, and what came after that went to the shell`,
    { hints: ["paste only the key, then press Enter; check what the shell ran"] },
  );
}

/** Writes `text` to stderr, as is (in raw mode a line ends with "\r\n"). */
function writeErr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // stderr closed: nothing to tell.
  }
}

/**
 * One line typed or pasted at a terminal, with echo off. The terminal is put
 * in raw mode before `prompt` is shown (what was typed earlier, and shown, is
 * dropped), so this handles the keys itself: Enter (or Ctrl-D) ends the line
 * (empty lines before it are skipped: a paste may bring its own line end
 * first), Backspace takes back a character, Ctrl-U the whole line, and
 * Ctrl-C cancels (`usage.cancelled`, exit 130). Bracketed-paste markers are
 * dropped; any other control character or key (Tab, an arrow key) is kept,
 * so the key is refused rather than saved other than it was typed; a control
 * character (Enter, Ctrl-C, Ctrl-D) ends an escape sequence under way and
 * then does what it does, and a sequence ends after 16 bytes. Before the
 * terminal is restored, whatever else arrives is read and dropped until the
 * terminal is quiet, so none of it reaches the shell; a line past the limit
 * is read to its end first, then refused. More than white space after the
 * line (a paste of several lines) refuses the key, as piped input of several
 * lines is; what was typed before the prompt is dropped, and said to be.
 * Input still arriving after 3 seconds of dropping refuses the key, saying
 * that what came after went to the shell. A SIGHUP, SIGINT, SIGQUIT or
 * SIGTERM while it reads restores the terminal and exits with 128 + its
 * number; a SIGTSTP restores it and stops, and on SIGCONT (after any stop)
 * the terminal is put back in raw mode and the prompt shown again.
 *
 * @example
 * ```ts
 * const key = await readHiddenLine(Deno.stdin);
 * ```
 */
export async function readHiddenLine(
  terminal: HiddenLineTerminal,
  prompt?: () => void,
): Promise<string> {
  const input = new TerminalInput(terminal);
  const restore = () => {
    terminal.setRaw(false);
    // Raw mode leaves the cursor where the line ended: the next line starts afresh.
    try {
      Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    } catch {
      // stderr closed: nothing to tidy.
    }
  };
  let reading = false;
  terminal.setRaw(true);
  const stopListening = restoreOnSignals({
    end: restore,
    stop: restore,
    // Not stopped: the terminal is raw again.
    notStopped: () => terminal.setRaw(true),
    continued: () => {
      try {
        terminal.setRaw(true);
      } catch {
        return; // Not the terminal's foreground: the next SIGCONT (fg) tries again.
      }
      if (reading) prompt?.();
    },
  });
  let drained = false;
  try {
    // Typed before the prompt, it was shown: it is no part of the key.
    const early = await input.discardPending(QUIET_MS / 2);
    if (early.stillArriving) {
      drained = true;
      throw stillArriving("before thoth asked for the key");
    }
    if (holdsText(early.dropped)) {
      writeErr("thoth: what was typed before this prompt was dropped (it was shown)\r\n");
    }
    reading = true;
    prompt?.();
    const { line, rest } = await readLine(input);
    reading = false;
    const after = await input.discardPending();
    drained = true;
    if (after.stillArriving) throw stillArriving("after the key");
    if (holdsText([rest, ...after.dropped])) throw moreThanOneLine();
    return line;
  } finally {
    reading = false;
    try {
      if (!drained) {
        const after = await input.discardPending();
        if (after.stillArriving) {
          writeErr(
            `thoth: input was still arriving after ${
              DISCARD_MS / 1000
            } seconds: what came after that went to the shell\r\n`,
          );
        }
      }
    } finally {
      stopListening();
      restore();
    }
  }
}

/**
 * The keys of {@linkcode readHiddenLine}, from `input` in raw mode: the line,
 * and what came after its end in the same read.
 */
async function readLine(input: TerminalInput): Promise<{ line: string; rest: Uint8Array }> {
  const line: number[] = [];
  const done = (rest: Uint8Array) => ({
    line: new TextDecoder().decode(Uint8Array.from(line)),
    rest,
  });
  // An escape sequence under way ("ESC", "ESC [", "ESC [ 2 0 0"…).
  let escape: number[] = [];
  for (;;) {
    const chunk = await input.read();
    if (chunk === null) break;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (escape.length > 0 && byte >= 0x20) {
        escape.push(byte);
        const final = escape.length === 2
          ? !(byte === 0x5b || byte === 0x4f)
          : byte >= 0x40 && byte <= 0x7e;
        if (!final && escape.length < MAX_ESCAPE) continue;
        const sequence = String.fromCharCode(...escape);
        // An arrow key or any other key sent as a sequence: kept, so the key is refused.
        if (!PASTE_MARKERS.has(sequence)) line.push(...escape);
        escape = [];
      } else if (escape.length > 0 && byte !== 0x1b) {
        // A control character ends the sequence (kept, so the key is refused), then counts.
        line.push(...escape);
        escape = [];
        i--;
        continue;
      } else if (byte === 0x1b) {
        line.push(...escape);
        escape = [byte];
      } else if (byte === 0x0d || byte === 0x0a) {
        // An empty line before the key: a paste that brings its own line end first.
        if (line.length > 0) return done(chunk.subarray(i + 1));
      } else if (byte === 0x04) {
        return done(chunk.subarray(i + 1));
      } else if (byte === 0x03) {
        throw new AppError("usage.cancelled", "cancelled: no API key was saved", {
          exitCode: 130,
        });
      } else if (byte === 0x7f || byte === 0x08) {
        line.pop();
      } else if (byte === 0x15) {
        line.length = 0;
      } else {
        line.push(byte);
      }
      if (line.length > MAX_KEY_INPUT) {
        await readToLineEnd(input, chunk.subarray(i + 1));
        throw tooLong();
      }
    }
  }
  line.push(...escape);
  return done(new Uint8Array());
}

/**
 * Reads and drops the rest of a line past the limit (`rest` is what came
 * with its last part), for no longer than a bound: none of it is left for the
 * shell.
 */
async function readToLineEnd(input: TerminalInput, rest: Uint8Array): Promise<void> {
  const ends = (chunk: Uint8Array) =>
    chunk.some((b) => b === 0x0d || b === 0x0a || b === 0x03 || b === 0x04);
  if (ends(rest)) return;
  const end = Date.now() + TOO_LONG_MS;
  for (;;) {
    const left = end - Date.now();
    if (left <= 0) return;
    const chunk = await input.next(left);
    if (chunk === null || chunk === "quiet" || ends(chunk)) return;
  }
}
