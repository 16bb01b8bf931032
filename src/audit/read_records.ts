/**
 * Reads the stored lines of a log in order, with their parsed records, for
 * `show`, `tail`, `export` and `prove`. Thin I/O; unreadable lines come back
 * with `record: undefined` (the verifier is the judge of those).
 * {@linkcode scanLogLines} hands them over one at a time, reading each
 * segment a chunk at a time, so a reader that keeps few of them (`audit
 * show --since 24h` over months of records) holds little in memory.
 *
 * @example
 * ```ts
 * for (const entry of await readLogLines("/home/ana/.thoth/audit")) console.log(entry.record?.seq);
 * await scanLogLines("/home/ana/.thoth/audit", (segment, bytes) => console.log(segment, bytes.length));
 * ```
 */
import { listSegments } from "./log_files.ts";

/** One stored line. */
export interface LogLine {
  segment: string;
  /** The line's bytes without the newline. */
  bytes: Uint8Array;
  record: Record<string, unknown> | undefined;
}

const decoder = new TextDecoder();

/** Every complete line of every segment in `dir`, in log order. */
export async function readLogLines(dir: string): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for (const segment of await listSegments(dir)) {
    splitLogLines(segment, await Deno.readFile(`${dir}/${segment}`), out);
  }
  return out;
}

/** How many bytes {@linkcode scanLogLines} reads at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Calls `visit` with every complete line of every segment in `dir`, in log
 * order, as {@linkcode readLogLines} reads them (a segment's last bytes
 * without a newline are no line), without holding the log: each segment is
 * read `chunkBytes` at a time. `bytes` is a view into a chunk: a caller that
 * keeps a line past the next one copies it (`bytes.slice()`).
 */
export async function scanLogLines(
  dir: string,
  visit: (segment: string, bytes: Uint8Array) => void,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  for (const segment of await listSegments(dir)) {
    using file = await Deno.open(`${dir}/${segment}`, { read: true });
    // The start of a line the chunks read so far have not ended, in pieces.
    let partial: Uint8Array[] = [];
    for (;;) {
      // A new buffer each time: the lines handed over are views into it.
      const chunk = new Uint8Array(chunkBytes);
      const n = await file.read(chunk);
      if (n === null) break;
      const bytes = chunk.subarray(0, n);
      let start = 0;
      let end = bytes.indexOf(10);
      if (end >= 0 && partial.length > 0) {
        visit(segment, joinPieces([...partial, bytes.subarray(0, end)]));
        partial = [];
        start = end + 1;
        end = bytes.indexOf(10, start);
      }
      for (; end >= 0; end = bytes.indexOf(10, start)) {
        visit(segment, bytes.subarray(start, end));
        start = end + 1;
      }
      if (start < bytes.length) partial.push(bytes.subarray(start));
    }
  }
}

function joinPieces(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** `bytes` (a stored line without its newline) with its record, as {@linkcode splitLogLines} reads it. */
export function parseLogLine(segment: string, bytes: Uint8Array): LogLine {
  let record: Record<string, unknown> | undefined;
  try {
    const value = JSON.parse(decoder.decode(bytes));
    record = value !== null && typeof value === "object" ? value : undefined;
  } catch {
    record = undefined;
  }
  return { segment, bytes, record };
}

/**
 * Appends the complete lines of `bytes` (a segment, or a piece of one that
 * starts at a line) to `out`; returns how many bytes they took, so a caller
 * reading a growing file can resume after the last newline.
 */
export function splitLogLines(segment: string, bytes: Uint8Array, out: LogLine[]): number {
  let start = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
    out.push(parseLogLine(segment, bytes.subarray(start, i)));
    start = i + 1;
  }
  return start;
}
