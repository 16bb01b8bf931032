/**
 * Looks up, for `thoth audit tail`, the decisions that the newest records
 * name but do not hold (an outcome whose decision was
 * written before them): the log is read from its end backwards, a chunk at
 * a time, at most {@linkcode LOOKUP_BYTES} of it, and stops once every one
 * is found. Only lines that hold one of the ids (or a JSON escape, which
 * could hide one) are parsed.
 *
 * @example
 * ```ts
 * const found = await lookUpJoins(dir, { decisions: new Set(["d-9f2c41aa07e35b18"]) });
 * ```
 */
import { listSegments } from "./log_files.ts";
import { LinesFromEnd } from "./lines_from_end.ts";
import { parseLogLine } from "./read_records.ts";
import { cellText } from "./table_joins.ts";
import type { Unjoined } from "./tail_table.ts";

type Rec = Record<string, unknown>;

/** The most of the log a lookup reads, from its end (a segment's default size). */
export const LOOKUP_BYTES = 64 << 20;

/** How many bytes are read at a time. */
const CHUNK_BYTES = 256 << 10;

const decoder = new TextDecoder();

/**
 * The decision records of `wanted.decisions` that the newest
 * {@linkcode LOOKUP_BYTES} of the log in `dir` hold, newest first.
 */
export async function lookUpJoins(
  dir: string,
  wanted: Unjoined,
  limit = LOOKUP_BYTES,
): Promise<Rec[]> {
  const decisions = new Set(wanted.decisions);
  const found: Rec[] = [];
  if (decisions.size === 0) return found;
  const needles = [...decisions];
  const visit = (bytes: Uint8Array): void => {
    const text = decoder.decode(bytes);
    if (!text.includes("\\u") && !needles.some((needle) => text.includes(needle))) return;
    const record = parseLogLine("", bytes).record;
    if (record?.["type"] === "decision" && decisions.delete(cellText(record["decisionId"]))) {
      found.push(record);
    }
  };
  let read = 0;
  const segments = await listSegments(dir);
  for (let i = segments.length - 1; i >= 0; i--) {
    using file = await Deno.open(`${dir}/${segments[i]}`, { read: true });
    const split = new LinesFromEnd();
    let at = (await file.stat()).size;
    while (at > 0 && read < limit && decisions.size > 0) {
      const start = Math.max(0, at - CHUNK_BYTES);
      const chunk = new Uint8Array(at - start);
      await file.seek(start, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < chunk.length) {
        const n = await file.read(chunk.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      for (const bytes of split.push(chunk.subarray(0, filled), start)) visit(bytes);
      read += at - start;
      at = start;
    }
    if (at === 0) {
      const first = split.finish();
      if (first !== undefined) visit(first);
    }
    if (read >= limit || decisions.size === 0) break;
  }
  return found;
}
