/**
 * Rebuilds the appender's state (`log_state.ts`) by reading every segment of
 * the audit log: its count, last leaf hash, open segment and Merkle
 * frontier, with the torn tail a crash left and the first break in its seqs.
 *
 * @example
 * ```ts
 * const { state, torn } = await scanLogState(dir, segments);
 * if (torn !== undefined) {
 *   // cut the partial record at torn.offset of torn.segment
 * }
 * ```
 */
import { toHex } from "./encoding.ts";
import { leafHash } from "./merkle_hash.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import { GENESIS_PREV } from "./record.ts";
import { emptyLogState, type LogState } from "./log_state.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { type SeqBreak, seqBreak, seqOf } from "./seq_break.ts";

/** A line {@linkcode scanLogState} read, as it shows it to its `visit`. */
export interface ScannedLine {
  /** Its place in the log, every line counted from 0: the index of its leaf hash. */
  place: number;
  segment: string;
  /** Where the line starts in its segment. */
  offset: number;
  /** The offset just past its newline; `undefined` for a segment's last line without one. */
  end: number | undefined;
  /** The line's record (`undefined` for a line that is no JSON object). */
  record: Record<string, unknown> | undefined;
}

/** A partial record cut from the end of the log. */
export interface TornTail {
  segment: string;
  offset: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Rebuilds the state by reading every segment. A partial last line in the
 * last segment is reported as a torn tail (the caller cuts it). `broken`
 * names the first record whose seq is not its place (see `seqBreak`): a
 * log with a gap or a repeated seq, which a writer must not extend.
 * `lastCheckpoint` is where the last line that claims to be a checkpoint
 * record starts (unchecked: the caller verifies its note). `tree` holds the
 * leaf hash of every line read. `visit`, when given, is shown each line in
 * log order (a torn tail aside), so that a caller needing more of the log
 * reads it in this same pass (see `earlier_state_read.ts`).
 */
export async function scanLogState(
  dir: string,
  segments: readonly string[],
  visit?: (line: ScannedLine) => void,
): Promise<{
  state: LogState;
  tree: MerkleLevels;
  torn?: TornTail;
  broken?: SeqBreak;
  lastCheckpoint?: { segment: string; offset: number };
}> {
  const state = emptyLogState();
  const leaves: Uint8Array[] = [];
  const seqs: (number | undefined)[] = [];
  const decoder = new TextDecoder();
  let torn: TornTail | undefined;
  let lastCheckpoint: { segment: string; offset: number } | undefined;
  for (const [index, name] of segments.entries()) {
    const bytes = await readRegularFile(`${dir}/${name}`);
    let start = 0;
    const lines: Uint8Array[] = [];
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
    if (start < bytes.length) {
      if (index === segments.length - 1) {
        torn = { segment: name, offset: start, bytes: bytes.slice(start) };
      } else {
        lines.push(bytes.subarray(start));
        start = bytes.length;
      }
    }
    for (let i = 0; i < lines.length; i += 256) {
      leaves.push(...await Promise.all(lines.slice(i, i + 256).map((line) => leafHash(line))));
    }
    for (const line of lines) {
      const record = lineRecord(decoder, line);
      const offset = line.byteOffset - bytes.byteOffset;
      visit?.({
        place: seqs.length,
        segment: name,
        offset,
        end: offset + line.length < bytes.length ? offset + line.length + 1 : undefined,
        record,
      });
      seqs.push(record === undefined ? undefined : seqOf(record));
      if (record?.["type"] === "checkpoint") lastCheckpoint = { segment: name, offset };
    }
    state.segment = name;
    state.segmentBytes = start;
    state.segmentDay = name.slice(17, 27);
  }
  const tree = await MerkleLevels.build(leaves);
  state.size = leaves.length;
  state.frontier = tree.frontier(leaves.length).map(toHex);
  const lastLeaf = leaves[leaves.length - 1];
  state.last = lastLeaf ? toHex(lastLeaf) : GENESIS_PREV;
  const broken = seqBreak(seqs);
  return {
    state,
    tree,
    ...(torn ? { torn } : {}),
    ...(broken ? { broken } : {}),
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
  };
}

/** A stored line's record as a JSON object (`undefined` for a line that is no record). */
export function lineRecord(
  decoder: TextDecoder,
  line: Uint8Array,
): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(line));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
