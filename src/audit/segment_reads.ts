/**
 * The audit writer's reads of its own segments, under the lock: the line
 * that starts at a place, the leaf hashes of a span of whole lines (to check
 * a state's Merkle frontier), and whether the record a state counts as its
 * last is the one it names. The read handle on the open segment is kept
 * beside its append handle (`open`), and closed with it.
 *
 * @example
 * ```ts
 * const reads = new SegmentReads(paths.dir, () => openSegment);
 * const line = reads.lineAt("00000000000000000000-2024-05-01.jsonl", 0);
 * const mismatch = reads.lastRecordMismatch(state); // undefined when it agrees
 * reads.close();
 * ```
 */
import { toHex } from "./encoding.ts";
import { leafHashSync } from "./merkle_hash.ts";
import type { MerkleFrontier } from "./merkle_frontier.ts";
import { SEGMENT_PATTERN } from "./log_paths.ts";
import type { LogState } from "./log_state.ts";
import { LEAF_SCRATCH } from "./line_writer.ts";
import { openRegularFileSync } from "../platform/open_regular_file.ts";

/** Where a record starts: its segment and byte offset. */
export interface RecordPlace {
  segment: string;
  offset: number;
}

/** The segment a writer appends to, with its append handle. */
export interface OpenSegment {
  name: string;
  file: Deno.FsFile;
}

/** Reads of a log's segments, with a read handle kept on the open one. */
export class SegmentReads {
  readonly #dir: string;
  /** The segment the writer has open for appending now, if any. */
  readonly #open: () => OpenSegment | undefined;
  /**
   * A read handle on the open segment, for checking a state another writer
   * wrote (see `lastRecordMismatch`); kept while that segment's append
   * handle (`of`) is.
   */
  #reader: { name: string; file: Deno.FsFile; of: Deno.FsFile } | undefined;

  /** Reads of the segments in `dir`; `open` says which one the writer appends to. */
  constructor(dir: string, open: () => OpenSegment | undefined) {
    this.#dir = dir;
    this.#open = open;
  }

  /** Closes the read handle kept. */
  close(): void {
    this.#reader?.file.close();
    this.#reader = undefined;
  }

  /** The complete line that starts at `offset` of segment `name`, without its line break. */
  lineAt(name: string, offset: number): Uint8Array | undefined {
    let file: Deno.FsFile;
    try {
      file = this.#readerOf(name);
    } catch {
      return undefined;
    }
    for (let want = 4096; want <= 1 << 26; want *= 4) {
      const bytes = readAt(file, offset, want);
      const cut = bytes.indexOf(10);
      if (cut >= 0) return bytes.subarray(0, cut);
      if (bytes.length < want) return undefined;
    }
    return undefined;
  }

  /**
   * Appends to `tree` the leaf hash of every complete line from `from` (the
   * first segment's start when undefined) to `end`, across the segments in
   * between; the number of lines, or undefined when the span is not whole
   * lines of segments that are there.
   */
  appendSpan(
    tree: MerkleFrontier,
    from: { segment: string; offset: number } | undefined,
    end: { segment: string; offset: number },
  ): number | undefined {
    const names = listSegmentsSync(this.#dir).filter((name) =>
      (from === undefined || name >= from.segment) && name <= end.segment
    );
    if (names[names.length - 1] !== end.segment) return undefined;
    if (from !== undefined && names[0] !== from.segment) return undefined;
    let count = 0;
    for (const name of names) {
      const begin = from !== undefined && name === from.segment ? from.offset : 0;
      let file: Deno.FsFile;
      try {
        file = this.#readerOf(name);
      } catch {
        return undefined;
      }
      const stop = name === end.segment ? end.offset : file.statSync().size;
      if (stop < begin) return undefined;
      const bytes = readAt(file, begin, stop - begin);
      if (bytes.length !== stop - begin || (bytes.length > 0 && bytes[bytes.length - 1] !== 10)) {
        return undefined;
      }
      let start = 0;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
        tree.appendSync(leafHashSync(bytes.subarray(start, i), LEAF_SCRATCH));
        count++;
        start = i + 1;
      }
    }
    return count;
  }

  /**
   * What is wrong with the record the state counts as its last: the complete
   * line that ends at `segmentBytes` must carry seq `size - 1` and have the
   * leaf hash `last`. Reads only the segment's bytes before that point, from
   * the end back to the line's start. `undefined` when it agrees, or when
   * the segment holds no record of the state's (the name check covers that).
   */
  lastRecordMismatch(state: LogState): string | undefined {
    if (state.segmentBytes === 0) return undefined;
    const name = state.segment!;
    const file = this.#readerOf(name);
    const end = state.segmentBytes;
    let tail = new Uint8Array(0);
    let from = end;
    let cut = -1;
    while (cut < 0 && from > 0) {
      const start = Math.max(0, from - Math.max(2048, tail.length));
      const chunk = new Uint8Array(from - start);
      file.seekSync(start, Deno.SeekMode.Start);
      let read = 0;
      while (read < chunk.length) {
        const n = file.readSync(chunk.subarray(read));
        if (n === null || n === 0) break;
        read += n;
      }
      const got = chunk.subarray(0, read);
      if (tail.length === 0) tail = got;
      else {
        const joined = new Uint8Array(read + tail.length);
        joined.set(got, 0);
        joined.set(tail, read);
        tail = joined;
      }
      from = start;
      // The byte before `end` is the record's own line break.
      cut = tail.subarray(0, tail.length - 1).lastIndexOf(10);
    }
    if (tail[tail.length - 1] !== 10) {
      return `${name} holds no line break at byte ${end}, where it counts its last record to end`;
    }
    const line = tail.subarray(cut + 1, tail.length - 1);
    const seq = recordSeq(line);
    if (seq !== state.size - 1) {
      return `it counts ${state.size} records, but the record its ${name} ends with at byte ${state.segmentBytes} is ${
        typeof seq === "number" ? `seq ${seq}` : "not one"
      }`;
    }
    if (toHex(leafHashSync(line)) !== state.last) {
      return `the record at seq ${seq} is not the one it counts as its last (its leaf hash differs)`;
    }
    return undefined;
  }

  /** A read handle on segment `name`, kept beside its append handle while that is open. */
  #readerOf(name: string): Deno.FsFile {
    const open = this.#open();
    const of = open?.name === name ? open.file : undefined;
    const kept = this.#reader;
    if (kept !== undefined && kept.name === name && kept.of === of && of !== undefined) {
      return kept.file;
    }
    kept?.file.close();
    this.#reader = undefined;
    const file = openRegularFileSync(`${this.#dir}/${name}`);
    if (of !== undefined) this.#reader = { name, file, of };
    else queueMicrotask(() => file.close());
    return file;
  }
}

/** Up to `length` bytes of `file` from `offset` (fewer at its end). */
export function readAt(file: Deno.FsFile, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  file.seekSync(offset, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = file.readSync(bytes.subarray(read));
    if (n === null || n === 0) break;
    read += n;
  }
  return bytes.subarray(0, read);
}

/** The segment files of `dir`, sorted, read synchronously (under the writer's lock). */
export function listSegmentsSync(dir: string): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && SEGMENT_PATTERN.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

/** The seq a record line carries: read from its start (`{"v":1,"seq":N,`), else parsed whole. */
function recordSeq(line: Uint8Array): number | undefined {
  const start = /^\{"v":1,"seq":(\d{1,15}),/.exec(new TextDecoder().decode(line.subarray(0, 40)));
  if (start !== null) return Number(start[1]);
  try {
    const seq = (JSON.parse(new TextDecoder().decode(line)) as { seq?: unknown })?.seq;
    return typeof seq === "number" ? seq : undefined;
  } catch {
    return undefined;
  }
}
