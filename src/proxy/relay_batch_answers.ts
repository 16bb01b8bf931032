/**
 * How thoth answers a client batch line itself: every answer it writes
 * while the line is routed (a refusal of an element that is no request,
 * of a method variant, of an invalid id, of a line with a defect) goes to
 * the client as one JSON-RPC batch-response array line, as JSON-RPC
 * answers a batch, never as a line per element (a line of a million `1`s
 * is answered by one line, not a million). What goes to the server is
 * answered by the server; an answer decided later (a held call) comes on
 * its own. Whatever else thoth writes to the client meanwhile (a
 * notification, a request of its own) goes at once, as it came.
 *
 * @example
 * ```ts
 * answeringBatch(state, (answers) => routeBatch(state, items, answers));
 * ```
 */
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { lossy } from "./relay_line_text.ts";
import type { RelayState } from "./relay_state.ts";

/** The answers to one batch line, gathered while it is routed. */
export interface BatchAnswers {
  /** Adds one answer: a response line (its terminator included) thoth wrote. */
  add(line: Uint8Array): void;
}

/** At most this many bytes go to the client in one write (a long array line goes in parts). */
const PART_BYTES = 1 << 20;

const OPEN = 0x5b;
const COMMA = 0x2c;
const CLOSE_LINE = new Uint8Array([0x5d, 0x0a]);

/**
 * Runs `route` (the synchronous routing of one client batch line) with the
 * client's answers gathered, then writes them as one array line. The
 * client's port is thoth's own while `route` runs and given back after,
 * even when `route` throws; a write after that goes to the client as is.
 */
export function answeringBatch<T>(s: RelayState, route: (answers: BatchAnswers) => T): T {
  const ports = s.ports;
  const toClient = ports.toClient;
  const lines: Uint8Array[] = [];
  let open = true;
  const answers: BatchAnswers = {
    add: (line) => {
      if (open) lines.push(line);
      else toClient.call(ports, line);
    },
  };
  ports.toClient = (bytes) => {
    if (open && isAnswerLine(bytes)) lines.push(bytes);
    else toClient.call(ports, bytes);
  };
  try {
    return route(answers);
  } finally {
    open = false;
    ports.toClient = toClient;
    if (lines.length > 0) writeArrayLine(lines, (bytes) => toClient.call(ports, bytes));
  }
}

/** Whether `bytes` is one whole JSON-RPC response line (neither a request nor a notification). */
function isAnswerLine(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a) return false;
  let value: unknown;
  try {
    value = JSON.parse(lossy.decode(bytes));
  } catch {
    return false;
  }
  return isPlainObject(value) && !("method" in value) &&
    ("result" in value || "error" in value);
}

/**
 * Writes `lines` (each a JSON text and its newline) as the one line
 * `[line,line,…]`, in parts of at most about {@linkcode PART_BYTES}: the
 * parts follow each other with nothing between, so they make one line.
 */
function writeArrayLine(lines: readonly Uint8Array[], write: (bytes: Uint8Array) => void): void {
  let total = 1;
  for (const line of lines) total += line.length; // each newline becomes a `,` or the `]`
  let part = new Uint8Array(Math.min(total + 1, PART_BYTES));
  part[0] = OPEN;
  let at = 1;
  lines.forEach((line, index) => {
    const text = line.subarray(0, line.length - 1);
    const needed = text.length + (index === 0 ? 0 : 1);
    if (at + needed > part.length && at > 0) {
      write(part.subarray(0, at));
      part = new Uint8Array(Math.max(needed, Math.min(total + 1, PART_BYTES)));
      at = 0;
    }
    if (index > 0) part[at++] = COMMA;
    part.set(text, at);
    at += text.length;
  });
  if (at + CLOSE_LINE.length <= part.length) {
    part.set(CLOSE_LINE, at);
    write(part.subarray(0, at + CLOSE_LINE.length));
  } else {
    write(part.subarray(0, at));
    write(CLOSE_LINE);
  }
}
