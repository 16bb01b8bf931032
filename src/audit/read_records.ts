/**
 * Reads the stored lines of a log in order, with their parsed records, for
 * `show`, `tail`, `export` and `prove`. Thin I/O; unreadable lines come back
 * with `record: undefined` (the verifier is the judge of those).
 *
 * @example
 * ```ts
 * for (const entry of await readLogLines("/home/ana/.thoth/audit")) console.log(entry.record?.seq);
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

/**
 * Appends the complete lines of `bytes` (a segment, or a piece of one that
 * starts at a line) to `out`; returns how many bytes they took, so a caller
 * reading a growing file can resume after the last newline.
 */
export function splitLogLines(segment: string, bytes: Uint8Array, out: LogLine[]): number {
  let start = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
    const line = bytes.subarray(start, i);
    start = i + 1;
    let record: Record<string, unknown> | undefined;
    try {
      const value = JSON.parse(decoder.decode(line));
      record = value !== null && typeof value === "object" ? value : undefined;
    } catch {
      record = undefined;
    }
    out.push({ segment, bytes: line, record });
  }
  return start;
}
