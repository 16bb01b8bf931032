/**
 * Whether the log's segments join up: a segment's name carries the seq of
 * its first record (`seg-<seq>-<day>.jsonl`), so the first segment starts at
 * seq 0 and every later one at the seq after the last record of the segment
 * before it. A segment removed before the last leaves a gap there that a
 * writer whose state file still matches the last segment would not see (it
 * reads the whole log only when it rebuilds its state). This check reads the
 * names and, from its end, the last record of each segment but the last: a
 * few kilobytes a segment, never the log whole. Where it cannot tell (an
 * empty segment holds no record and moves nothing; a segment whose end is
 * no whole record, or a record over 1 MiB), it stops and says nothing:
 * `thoth audit verify` reads everything.
 *
 * @example
 * ```ts
 * await seamBreak("/home/ana/.thoth/audit", await listSegments("/home/ana/.thoth/audit"));
 * // { place: 250, seq: 400 }: the segment of seq 250..399 is missing
 * ```
 */
import { SEGMENT_PATTERN } from "./log_paths.ts";
import { type SeqBreak, seqOf } from "./seq_break.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";

/** The first read from a segment's end; it doubles until it holds the last record whole. */
const TAIL_BYTES = 4 * 1024;
/** A longer last record is not looked for (no record of thoth's is this long). */
const MAX_TAIL_BYTES = 1024 * 1024;

/** The first seam where a segment does not start at the seq that follows the one before it. */
export async function seamBreak(
  dir: string,
  segments: readonly string[],
): Promise<SeqBreak | undefined> {
  let expected = 0;
  for (const [i, name] of segments.entries()) {
    const first = firstSeqOf(name);
    if (first === undefined) return undefined;
    if (first !== expected) return { place: expected, seq: first };
    if (i === segments.length - 1) break;
    const end = await lastSeq(`${dir}/${name}`);
    if (end === "empty") continue;
    if (end === undefined || end < first) return undefined;
    expected = end + 1;
  }
  return undefined;
}

function firstSeqOf(name: string): number | undefined {
  const match = SEGMENT_PATTERN.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The seq of the last whole record of the segment at `path`; `"empty"` when
 * it holds no byte; undefined when that cannot be told cheaply.
 */
async function lastSeq(path: string): Promise<number | "empty" | undefined> {
  let file: Deno.FsFile;
  try {
    file = await openRegularFile(path);
  } catch {
    // Gone since it was listed, no longer a file, or unreadable: the rebuild or verify tells.
    return undefined;
  }
  try {
    const size = (await file.stat()).size;
    if (size === 0) return "empty";
    for (let window = TAIL_BYTES; window <= MAX_TAIL_BYTES * 2; window *= 2) {
      const start = Math.max(0, size - window);
      const bytes = await readAt(file, start, size - start);
      // A segment before the last ends in a newline; one that does not was cut.
      if (bytes.length !== size - start || bytes[bytes.length - 1] !== 10) return undefined;
      const from = bytes.lastIndexOf(10, bytes.length - 2);
      if (from >= 0 || start === 0) return seqOfLine(bytes.subarray(from + 1, bytes.length - 1));
    }
    return undefined;
  } finally {
    file.close();
  }
}

function seqOfLine(line: Uint8Array): number | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(line));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? seqOf(value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readAt(file: Deno.FsFile, start: number, length: number): Promise<Uint8Array> {
  await file.seek(start, Deno.SeekMode.Start);
  const bytes = new Uint8Array(length);
  let read = 0;
  while (read < length) {
    const n = await file.read(bytes.subarray(read));
    if (n === null) break;
    read += n;
  }
  return bytes.subarray(0, read);
}
