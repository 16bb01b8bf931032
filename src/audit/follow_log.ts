/**
 * Follows a growing audit log for `thoth audit tail -f`: the newest lines
 * first, then only what was appended since, across segment rotations. The
 * newest lines are read from the end of the newest segment backwards, a
 * chunk at a time (see `lines_from_end.ts`), reaching earlier segments only
 * when it holds too few: `tail -n 20` of a 64 MiB segment reads a few
 * chunks. Polls read from where the last read stopped instead of re-reading
 * the log, so following a log of millions of records costs what is new, not
 * what is old.
 *
 * @example
 * ```ts
 * const follower = new LogFollower("/home/ana/.thoth/audit");
 * for (const line of await follower.tail(20)) console.log(line.record?.seq);
 * const fresh = await follower.poll();
 * ```
 */
import { listSegments } from "./log_files.ts";
import { LinesFromEnd } from "./lines_from_end.ts";
import { type LogLine, parseLogLine, splitLogLines } from "./read_records.ts";

/** How many bytes {@linkcode LogFollower.tail} reads at a time, from a segment's end backwards. */
const TAIL_CHUNK_BYTES = 64 << 10;

/** How a {@linkcode LogFollower} reads. */
export interface LogFollowerOptions {
  /** Bytes per read when `tail` reads backwards (default 64 KiB). */
  chunkBytes?: number;
}

/** A read position in a log directory. */
export class LogFollower {
  readonly #dir: string;
  #segment: string | undefined;
  #offset = 0;

  readonly #chunkBytes: number;

  constructor(dir: string, options: LogFollowerOptions = {}) {
    this.#dir = dir;
    this.#chunkBytes = Math.max(1, options.chunkBytes ?? TAIL_CHUNK_BYTES);
  }

  /**
   * The newest `count` complete lines, in log order (all of them when the
   * log holds fewer); later polls start after them. Reads each segment from
   * its end backwards, and an earlier segment only while fewer than `count`
   * lines were found.
   */
  async tail(count: number): Promise<LogLine[]> {
    const segments = await listSegments(this.#dir);
    const newestFirst: LogLine[] = [];
    for (
      let i = segments.length - 1;
      i >= 0 && (newestFirst.length < count || i === segments.length - 1);
      i--
    ) {
      const segment = segments[i]!;
      const newest = i === segments.length - 1;
      const end = await this.#linesFromEnd(segment, count - newestFirst.length, newestFirst);
      if (newest) {
        this.#segment = segment;
        this.#offset = end;
      }
    }
    return count === 0 ? [] : newestFirst.slice(0, count).reverse();
  }

  /**
   * Appends to `out`, newest first, up to `want` of the last complete lines
   * of `segment` (all it holds when fewer), reading it backwards a chunk at
   * a time; returns where its last complete line ends (0 when it holds
   * none), where a poll goes on from.
   */
  async #linesFromEnd(segment: string, want: number, out: LogLine[]): Promise<number> {
    using file = await Deno.open(`${this.#dir}/${segment}`, { read: true });
    const split = new LinesFromEnd();
    let found = 0;
    let at = (await file.stat()).size;
    // Reads on past `want` lines until the last newline is found: a poll goes on from there.
    while (at > 0 && (found < want || split.end === undefined)) {
      const start = Math.max(0, at - this.#chunkBytes);
      // A new buffer each time: the lines handed over are views into it.
      const chunk = await readAt(file, start, at - start);
      for (const bytes of split.push(chunk, start)) {
        out.push(parseLogLine(segment, bytes));
        found++;
      }
      at = start;
    }
    if (at === 0 && found < want) {
      const first = split.finish();
      if (first !== undefined) out.push(parseLogLine(segment, first));
    }
    return split.end ?? 0;
  }

  /** Complete lines appended since the last call. */
  async poll(): Promise<LogLine[]> {
    const segments = await listSegments(this.#dir);
    const start = this.#segment === undefined ? 0 : segments.indexOf(this.#segment);
    const out: LogLine[] = [];
    for (let i = Math.max(0, start); i < segments.length; i++) {
      const segment = segments[i]!;
      const from = segment === this.#segment ? this.#offset : 0;
      const fresh = await readFrom(`${this.#dir}/${segment}`, from);
      const used = splitLogLines(segment, fresh, out);
      this.#segment = segment;
      this.#offset = from + used;
    }
    return out;
  }
}

/** `length` bytes of `file` from `offset` (fewer only if the file ends sooner). */
async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(length);
  let read = 0;
  while (read < buffer.length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

async function readFrom(path: string, offset: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  if (size <= offset) return new Uint8Array(0);
  return await readAt(file, offset, size - offset);
}
