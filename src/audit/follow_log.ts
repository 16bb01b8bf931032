/**
 * Follows a growing audit log for `thoth audit tail -f`: the newest lines
 * first, then only what was appended since, across segment rotations. Reads
 * from where it stopped instead of re-reading the log, so following a log of
 * millions of records costs what is new, not what is old.
 *
 * @example
 * ```ts
 * const follower = new LogFollower("/home/ana/.thoth/audit");
 * for (const line of await follower.tail(20)) console.log(line.record?.seq);
 * const fresh = await follower.poll();
 * ```
 */
import { listSegments } from "./log_files.ts";
import { type LogLine, splitLogLines } from "./read_records.ts";

/** A read position in a log directory. */
export class LogFollower {
  readonly #dir: string;
  #segment: string | undefined;
  #offset = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The newest `count` complete lines; later polls start after them. */
  async tail(count: number): Promise<LogLine[]> {
    const segments = await listSegments(this.#dir);
    const newestFirst: LogLine[][] = [];
    let have = 0;
    for (let i = segments.length - 1; i >= 0 && (have < count || i === segments.length - 1); i--) {
      const segment = segments[i]!;
      const bytes = await Deno.readFile(`${this.#dir}/${segment}`);
      const lines: LogLine[] = [];
      const used = splitLogLines(segment, bytes, lines);
      if (i === segments.length - 1) {
        this.#segment = segment;
        this.#offset = used;
      }
      newestFirst.push(lines);
      have += lines.length;
    }
    const all = newestFirst.reverse().flat();
    return count === 0 ? [] : all.slice(Math.max(0, all.length - count));
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

async function readFrom(path: string, offset: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  if (size <= offset) return new Uint8Array(0);
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(size - offset);
  let read = 0;
  while (read < buffer.length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
