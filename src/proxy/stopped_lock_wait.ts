/**
 * A session stopped while its start waited for the audit log's lock (a stop
 * signal, or the client closing its input: see `take_audit_lock.ts`) ends
 * there, at once, as a stop ends a running session: the MCP server is never
 * started, each request the client had sent meanwhile is answered with an
 * error (none was forwarded), and stderr says what happened and what is left
 * behind. A line read only in part (the client was still writing it, or it
 * is longer than thoth reads while it waits) is answered by the id its first
 * bytes show; when they show none, or thoth read no further than its bound,
 * stderr says a request may have gone unanswered. Nothing is: no tool call reached thoth, so the session holds no
 * record, and it had touched neither the log nor the spool (other sessions'
 * spool files stay as they were, for the next session to take in).
 *
 * {@linkcode stoppedWaitPlan} decides the answers, notes and exit code (pure);
 * {@linkcode endStoppedWait} applies it.
 *
 * @example
 * ```ts
 * const exitCode = endStoppedWait({ error, signal: "SIGTERM", read: watch.read(), note });
 * ```
 */
import type { AppError } from "../errors.ts";
import { joinParts } from "../protocol/byte_parts.ts";
import { requestsInLine } from "../protocol/line_requests.ts";
import { encodeLine, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { signalExitCode, type StopSignal } from "./stop_signals.ts";

/** What ended the wait, and what the client had sent by then. */
export interface StoppedWait {
  /** The `audit.lock_wait_ended` error (its message names the lock and why). */
  error: AppError;
  /** The stop signal that ended it; undefined when the client closed its input. */
  signal: StopSignal | undefined;
  /**
   * The client's input read meanwhile, whether it ended, and whether the
   * reading stopped at its bound (`limited`: more may have followed, unread).
   */
  read: { chunks: readonly Uint8Array[]; ended: boolean; limited?: boolean };
}

/** What to do: the answers for the client, the notes for stderr, the exit code. */
export interface StoppedWaitPlan {
  answers: Uint8Array[];
  notes: string[];
  exitCode: number;
}

const LF = 0x0a;
/** JSON's whitespace: a rest of only these is no line begun. */
const WHITESPACE = new Set([0x20, 0x09, 0x0d, 0x0a]);

/** The answers, notes and exit code of a session stopped in its lock wait. */
export function stoppedWaitPlan(stopped: StoppedWait): StoppedWaitPlan {
  const { error, signal, read } = stopped;
  const text = signal === undefined
    ? "thoth ended this session before it started the MCP server: the client closed its " +
      "input while thoth waited to open its audit log. The request was not forwarded"
    : `thoth was stopped (${signal}) before it started the MCP server, while it waited to ` +
      "open its audit log. The request was not forwarded";
  const answers: Uint8Array[] = [];
  let answered = 0;
  const { lines, rest } = splitLines(read.chunks, read.ended);
  // A line read in part: its first bytes may still show a request's id (see `readFragments`).
  const cut = rest.some((byte) => !WHITESPACE.has(byte)) ? requestsInLine(rest) : undefined;
  const found = lines.map(requestsInLine);
  for (const { requests, batch } of cut === undefined ? found : [...found, cut]) {
    if (requests.length === 0) continue;
    answered += requests.length;
    const errors = requests.map(({ id }) => ({
      jsonrpc: "2.0",
      id,
      error: { code: RPC_SERVER_ERROR, message: text },
    }));
    // A batch is answered as one: an array with an error for each request in it.
    answers.push(encodeLine(batch ? errors : errors[0]));
  }
  const notes = [
    `${error.message}; the session ends without starting the MCP server`,
    "nothing of this session is left behind: no tool call reached thoth, so it holds no " +
    "record, and it wrote nothing to the audit log or its spool (other sessions' spool " +
    "files there stay as they were, for the next session to take in)",
    ...(answered === 0 ? [] : [
      `answered ${answered} request(s) the client sent meanwhile with an error ` +
      "(none was forwarded)",
    ]),
    ...(cut === undefined || cut.requests.length > 0 ? [] : [
      `the client's last line was read only in part (${rest.length} bytes), and its first ` +
      "bytes show no request id: if it was a request, it went unanswered",
    ]),
    ...(read.limited && !read.ended
      ? [
        `only the first ${byteCount(read.chunks)} bytes the client sent meanwhile were read ` +
        "(thoth's bound while it waits): a request after them, if there was one, went unanswered",
      ]
      : []),
    ...error.hints.map((hint) => `hint: ${hint}`),
  ];
  return { answers, notes, exitCode: signal === undefined ? 0 : signalExitCode(signal) };
}

/**
 * Applies {@linkcode stoppedWaitPlan}: the answers to `toClient` (default:
 * this process's stdout; a client gone is not waited for), the notes to
 * `note`. Returns the exit code.
 */
export function endStoppedWait(
  stopped: StoppedWait & {
    note: (message: string) => void;
    toClient?: (bytes: Uint8Array) => void;
  },
): number {
  const plan = stoppedWaitPlan(stopped);
  const write = stopped.toClient ?? writeStdout;
  for (const answer of plan.answers) {
    try {
      write(answer);
    } catch {
      break; // The client no longer reads: it is not waited for.
    }
  }
  for (const line of plan.notes) stopped.note(line);
  return plan.exitCode;
}

/**
 * The whole lines of `chunks` (the last one without its newline too when the
 * input `ended`), and what follows the last newline otherwise (`rest`).
 */
function splitLines(
  chunks: readonly Uint8Array[],
  ended: boolean,
): { lines: Uint8Array[]; rest: Uint8Array } {
  const bytes = joinParts([...chunks]);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let end = bytes.indexOf(LF); end !== -1; end = bytes.indexOf(LF, start)) {
    if (end > start) lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  if (ended && start < bytes.length) {
    lines.push(bytes.subarray(start));
    start = bytes.length;
  }
  return { lines, rest: bytes.subarray(start) };
}

function byteCount(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
}

function writeStdout(bytes: Uint8Array): void {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(Deno.stdout.writeSync(rest));
}
