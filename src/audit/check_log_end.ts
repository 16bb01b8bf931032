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
 * {@linkcode readLogEnd} says too how many records lie past the one the
 * state counts last (a session between writing records and its state, or a
 * state file left behind), from at most {@linkcode PAST_BYTES} of them.
 *
 * @example
 * ```ts
 * const problem = await checkLogEnd("/home/ana/.thoth", state);
 * if (problem !== undefined) console.error(problem); // "segment … is missing …"
 * const { past } = await readLogEnd("/home/ana/.thoth", state);
 * past?.records; // 3: records written past the state's count
 * ```
 */
import { toHex } from "./encoding.ts";
import { listSegments } from "./log_files.ts";
import { auditPaths, CHECKPOINT_PATTERN } from "./log_paths.ts";
import type { LogState } from "./log_state.ts";
import { leafHash } from "./merkle_hash.ts";
import { openRegularFile, openRegularFileIfThere } from "../platform/open_regular_file.ts";
import { readFileAt } from "./read_file_at.ts";

/** The first tail read; it doubles until it holds the last record whole. */
const TAIL_BYTES = 16 * 1024;

/** The most bytes past the state's count that are read to count the records there. */
export const PAST_BYTES = 64 * 1024;

/** What lies in the log past the record the state counts last. */
export interface PastCount {
  /** The whole records (lines) in the bytes read. */
  readonly records: number;
  /** More bytes lie past them than {@linkcode PAST_BYTES}: unread, so maybe more records. */
  readonly unread: boolean;
  /** The last bytes read are part of a record (no newline yet): one being written, or cut. */
  readonly partial: boolean;
}

/** What is wrong with the log's end; undefined when it matches the state. */
export async function checkLogEnd(thothHome: string, state: LogState): Promise<string | undefined> {
  return (await readLogEnd(thothHome, state)).problem;
}

/**
 * What is wrong with the log's end (see {@linkcode checkLogEnd}) and, when
 * nothing is, what lies past the record the state counts last: undefined
 * when nothing does.
 */
export async function readLogEnd(
  thothHome: string,
  state: LogState,
): Promise<{ problem: string | undefined; past: PastCount | undefined }> {
  const paths = auditPaths(thothHome);
  let tail: Tally = { records: 0, unread: false, partial: false, left: PAST_BYTES };
  if (state.size > 0) {
    const counted = await checkCountedEnd(paths.dir, state);
    if (typeof counted === "string") return { problem: counted, past: undefined };
    tail = counted;
  }
  const problem = await checkpointProblem(paths, state);
  if (problem !== undefined) return { problem, past: undefined };
  const past = await laterSegments(paths.dir, state, tail);
  return {
    problem: undefined,
    past: past.records === 0 && !past.unread && !past.partial
      ? undefined
      : { records: past.records, unread: past.unread, partial: past.partial },
  };
}

/** Records counted past the state's count so far, and the bytes left to read. */
interface Tally extends PastCount {
  readonly left: number;
}

/** Whether a signed checkpoint covers more records than the log holds. */
async function checkpointProblem(
  paths: ReturnType<typeof auditPaths>,
  state: LogState,
): Promise<string | undefined> {
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

/**
 * What is wrong with the end of the segment the state names; else the
 * records past its counted length there (see {@linkcode tallyPast}).
 */
async function checkCountedEnd(dir: string, state: LogState): Promise<string | Tally> {
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
    const past = () => tallyPast(file, state.segmentBytes, size, undefined);
    if (state.segmentBytes === 0) return await past();
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
    return await past();
  } finally {
    file.close();
  }
}

/**
 * `tally` (none yet when undefined) with the records in bytes `from` to
 * `size` of `file`, reading what is left of {@linkcode PAST_BYTES}.
 */
async function tallyPast(
  file: Deno.FsFile,
  from: number,
  size: number,
  tally: Tally | undefined,
): Promise<Tally> {
  const { records, unread, partial, left } = tally ??
    { records: 0, unread: false, partial: false, left: PAST_BYTES };
  if (size <= from || unread) return { records, unread, partial, left };
  const length = Math.min(size - from, left);
  const bytes = await readFileAt(file, from, length);
  let lines = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
  const whole = bytes.length === size - from;
  return {
    records: records + lines,
    unread: !whole,
    // A segment's unfinished last line, when it was read to its end.
    partial: partial || (whole && bytes.length > 0 && bytes[bytes.length - 1] !== 10),
    left: left - bytes.length,
  };
}

/**
 * `tally` with the records of the segments after the one the state names
 * (every segment, when it names none): a writer that started a segment has
 * not counted it yet. Only regular files are opened.
 */
async function laterSegments(dir: string, state: LogState, tally: Tally): Promise<Tally> {
  const segments = await listSegments(dir);
  const at = state.segment === null ? -1 : segments.indexOf(state.segment);
  if (state.segment !== null && at < 0) return tally;
  for (const name of segments.slice(at + 1)) {
    if (tally.unread) break;
    const file = await openRegularFileIfThere(`${dir}/${name}`);
    if (file === undefined) continue;
    try {
      tally = await tallyPast(file, 0, (await file.stat()).size, tally);
    } finally {
      file.close();
    }
  }
  return tally;
}

/** The line (without its newline) that ends at byte `end` of `file`, when one does. */
async function lineEndingAt(file: Deno.FsFile, end: number): Promise<Uint8Array | undefined> {
  for (let window = TAIL_BYTES;; window *= 2) {
    const start = Math.max(0, end - window);
    const bytes = await readFileAt(file, start, end - start);
    if (bytes.length !== end - start || bytes[bytes.length - 1] !== 10) return undefined;
    const from = bytes.lastIndexOf(10, bytes.length - 2);
    if (from >= 0) return bytes.subarray(from + 1, bytes.length - 1);
    if (start === 0) return bytes.subarray(0, bytes.length - 1);
  }
}

/** The last whole record of a segment, read from its end. */
async function lastRecord(path: string): Promise<{ seq: number } | undefined> {
  // Gone since it was listed, or no longer a file: it holds no record.
  const file = await openRegularFileIfThere(path);
  if (file === undefined) return undefined;
  try {
    const size = (await file.stat()).size;
    for (let window = TAIL_BYTES;; window *= 2) {
      const start = Math.max(0, size - window);
      const bytes = await readFileAt(file, start, size - start);
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
