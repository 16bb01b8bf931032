/**
 * Findings for entries named like a log's segments or checkpoint notes that
 * are not regular files (a link, a FIFO, a folder): the writer makes none,
 * and verify never opens one, so each is named instead of passed over.
 * A segment's name gives the seq of its first record: where the log's
 * regular segments hold no record at that seq, the entry stands where
 * records were and are gone (a segment replaced by a link or a FIFO), which
 * is tampering; beside records that are all there it is a warning. A
 * checkpoint note's entry is a warning: the checkpoint record in the log
 * carries the same signed note. Pure.
 *
 * @example
 * ```ts
 * notRegularFindings({
 *   segments: [{ name: "seg-000000000000-2026-03-01.jsonl", what: "a FIFO" }],
 *   notes: [],
 *   held: () => false,
 *   prefix: { segments: "", notes: "" },
 * }); // one not_regular_file finding, tamper, seq 0
 * ```
 */
import type { Finding } from "./finding.ts";
import type { NotRegularEntry } from "./log_files.ts";
import { CHECKPOINT_PATTERN, SEGMENT_PATTERN } from "./log_paths.ts";

/** What to judge. */
export interface NotRegularInput {
  /** Entries named like segments (in the records folder). */
  segments: readonly NotRegularEntry[];
  /** Entries named like checkpoint notes (in the checkpoints folder). */
  notes: readonly NotRegularEntry[];
  /** Whether the regular segments hold the record at `seq`. */
  held: (seq: number) => boolean;
  /** Put before each name in `source` ("records/" in a bundle). */
  prefix: { segments: string; notes: string };
}

/** One finding per entry. */
export function notRegularFindings(input: NotRegularInput): Finding[] {
  const findings: Finding[] = [];
  for (const { name, what } of input.segments) {
    const source = `${input.prefix.segments}${name}`;
    const seq = Number(SEGMENT_PATTERN.exec(name)?.[1]);
    const gone = Number.isSafeInteger(seq) && !input.held(seq);
    findings.push({
      kind: "not_regular_file",
      severity: gone ? "tamper" : "warning",
      ...(Number.isSafeInteger(seq) ? { seq } : {}),
      source,
      message: `${source} is named as a segment of the log but is ${what}, not a regular file: ` +
        "the writer makes none, and verify does not open it" +
        (gone
          ? `; its name says the log's records from seq ${seq} were in it, and no regular segment holds a record at seq ${seq}: the segment that held them was replaced by it`
          : `; the records from seq ${seq} are in another segment, so none is missing for it, but it does not belong among the log's files`),
    });
  }
  for (const { name, what } of input.notes) {
    const source = `${input.prefix.notes}${name}`;
    const size = Number(CHECKPOINT_PATTERN.exec(name)?.[1]);
    findings.push({
      kind: "not_regular_file",
      severity: "warning",
      ...(Number.isSafeInteger(size) ? { seq: size } : {}),
      source,
      message: `${source} is named as a checkpoint note but is ${what}, not a regular file: ` +
        "the writer makes none, and verify does not open it, so the checkpoint it names was checked only from the log's own checkpoint record, if any",
    });
  }
  return findings;
}

/** The records in a segment's bytes: its lines, a partial last one included. */
export function lineCount(bytes: Uint8Array): number {
  let count = 0;
  let start = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
    count++;
    start = i + 1;
  }
  return start < bytes.length ? count + 1 : count;
}
