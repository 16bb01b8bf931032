/**
 * A cheap consistency check of the log's end against the writer's state
 * file, for `thoth doctor` and `thoth health`: the segment the state names
 * exists, is at least as long as the state counts, and ends (at the counted
 * length) in the record the state counts last, with that seq and leaf hash;
 * and no signed checkpoint note covers more records than the log holds. It
 * reads one stat, the end of one segment, and the names of the checkpoint
 * notes: it does not verify the chain (`thoth audit verify` does), so it
 * cannot see a change before the end. A segment is opened only when it is a
 * regular file: a FIFO in its place would block the check for ever.
 *
 * @example
 * ```ts
 * const problem = await checkLogEnd("/home/ana/.thoth", state);
 * if (problem !== undefined) console.error(problem); // "segment … is missing …"
 * ```
 */
import { toHex } from "./encoding.ts";
import { listSegments } from "./log_files.ts";
import { auditPaths, CHECKPOINT_PATTERN } from "./log_paths.ts";
import type { LogState } from "./log_state.ts";
import { leafHash } from "./merkle_hash.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";

/** The first tail read; it doubles until it holds the last record whole. */
const TAIL_BYTES = 16 * 1024;

/** What is wrong with the log's end; undefined when it matches the state. */
export async function checkLogEnd(thothHome: string, state: LogState): Promise<string | undefined> {
  const paths = auditPaths(thothHome);
  if (state.size > 0) {
    const problem = await checkCountedEnd(paths.dir, state);
    if (problem !== undefined) return problem;
  }
  const covered = await newestCheckpointSize(paths.checkpoints);
  if (covered <= state.size) return undefined;
  // The state can lag a note (a writer signs, then updates the state), but
  // the records a note covers were in the log before it was written.
  const segments = await listSegments(paths.dir);
  let end: { seq: number } | undefined;
  // A segment a writer just started may hold no whole record yet.
  for (let i = segments.length - 1; i >= 0 && i >= segments.length - 2 && !end; i--) {
    end = await lastRecord(`${paths.dir}/${segments[i]}`);
  }
  const holds = end === undefined ? 0 : end.seq + 1;
  if (holds >= covered) return undefined;
  return `a signed checkpoint covers ${covered} records, but the log ends ${
    holds === 0 ? "before its first record" : `at seq ${holds - 1}`
  }: records were removed`;
}

async function checkCountedEnd(dir: string, state: LogState): Promise<string | undefined> {
  const counted = `the state file counts ${state.size} records`;
  if (state.segment === null) return `${counted} but names no segment`;
  const path = `${dir}/${state.segment}`;
  let file: Deno.FsFile;
  try {
    file = await openRegularFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.InvalidData) {
      return `${counted}, but the segment it ends in, ${state.segment}, is not a regular file: the log was changed`;
    }
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const any = (await listSegments(dir)).length > 0;
    return `${counted}, but the segment it ends in, ${state.segment}, is missing${
      any ? "" : " (no segment is left)"
    }: records were removed`;
  }
  try {
    const size = (await file.stat()).size;
    if (size < state.segmentBytes) {
      return `${counted}, but ${state.segment} is ${size} bytes, shorter than the ${state.segmentBytes} the state counts: records were cut from its end`;
    }
    if (state.segmentBytes === 0) return undefined;
    const line = await lineEndingAt(file, state.segmentBytes);
    if (line === undefined) {
      return `${counted}, but ${state.segment} has no whole record ending at byte ${state.segmentBytes}: the log was changed`;
    }
    const seq = seqOf(line);
    const leaf = toHex(await leafHash(line));
    if (seq !== state.size - 1 || leaf !== state.last) {
      return `${counted}, but the record ending ${state.segment} at byte ${state.segmentBytes} is ${
        seq === undefined ? "not readable" : `seq ${seq}`
      }${seq === state.size - 1 ? " with another leaf hash" : ""}, not the seq ${
        state.size - 1
      } the state counts last: the log was changed`;
    }
    return undefined;
  } finally {
    file.close();
  }
}

/** The line (without its newline) that ends at byte `end` of `file`, when one does. */
async function lineEndingAt(file: Deno.FsFile, end: number): Promise<Uint8Array | undefined> {
  for (let window = TAIL_BYTES;; window *= 2) {
    const start = Math.max(0, end - window);
    const bytes = await readAt(file, start, end - start);
    if (bytes.length !== end - start || bytes[bytes.length - 1] !== 10) return undefined;
    const from = bytes.lastIndexOf(10, bytes.length - 2);
    if (from >= 0) return bytes.subarray(from + 1, bytes.length - 1);
    if (start === 0) return bytes.subarray(0, bytes.length - 1);
  }
}

/** The last whole record of a segment, read from its end. */
async function lastRecord(path: string): Promise<{ seq: number } | undefined> {
  let file: Deno.FsFile;
  try {
    file = await openRegularFile(path);
  } catch (error) {
    // Gone since it was listed, or no longer a file: it holds no record.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.InvalidData) {
      return undefined;
    }
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    for (let window = TAIL_BYTES;; window *= 2) {
      const start = Math.max(0, size - window);
      const bytes = await readAt(file, start, size - start);
      const last = bytes.lastIndexOf(10);
      if (last >= 0) {
        const from = bytes.lastIndexOf(10, last - 1);
        if (from >= 0 || start === 0) {
          const seq = seqOf(bytes.subarray(from + 1, last));
          return seq === undefined ? undefined : { seq };
        }
      } else if (start === 0) {
        return undefined;
      }
    }
  } finally {
    file.close();
  }
}

async function readAt(file: Deno.FsFile, start: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(start, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null || n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

function seqOf(line: Uint8Array): number | undefined {
  try {
    const seq = JSON.parse(new TextDecoder().decode(line))?.seq;
    return typeof seq === "number" && Number.isSafeInteger(seq) ? seq : undefined;
  } catch {
    return undefined;
  }
}

async function newestCheckpointSize(dir: string): Promise<number> {
  let newest = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const match = CHECKPOINT_PATTERN.exec(entry.name);
      if (entry.isFile && match !== null) newest = Math.max(newest, Number(match[1]));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  return newest;
}
