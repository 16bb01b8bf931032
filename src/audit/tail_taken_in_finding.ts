/**
 * The warning a `tail_taken_in` record calls for: records a writer took
 * into the log that no thoth had vouched for (see `unvouched_tail.ts`),
 * named by their seqs, with the seq from which a thoth vouches for them
 * (the record's own: the checkpoints after it sign them). A thoth killed
 * before it counted its last records leaves such records; so does someone
 * who can write the audit folder and appends lines to the log. Nothing in
 * the log tells which. Pure.
 *
 * @example
 * ```ts
 * tailTakenInFinding({ firstSeq: 12, lastSeq: 13, count: 2, reason: "past the state file's count" }, 14, "seg-000000000000-2026-03-01.jsonl");
 * // { kind: "tail_taken_in", severity: "warning", seq: 12, toSeq: 13, message: "records 12..13 were found past the writer's count and taken in: …" }
 * ```
 */
import type { Finding } from "./finding.ts";
import { NO_MAC, NO_MAC_BEFORE, PAST_THE_COUNT } from "./unvouched_tail.ts";

/** The finding for the `tail_taken_in` record at `seq` of segment `source`. */
export function tailTakenInFinding(
  record: Record<string, unknown>,
  seq: number,
  source: string,
): Finding {
  const first = wholeNumber(record["firstSeq"]);
  const last = wholeNumber(record["lastSeq"]);
  const reason = typeof record["reason"] === "string" ? record["reason"] : undefined;
  const range = first === undefined || last === undefined || last < first
    ? "records before it (the range it names is not readable)"
    : first === last
    ? `record ${first}`
    : `records ${first}..${last}`;
  const were = first !== undefined && first === last ? "was" : "were";
  const where = reason === PAST_THE_COUNT || reason === undefined
    ? "past the writer's count"
    : reason === NO_MAC || reason === NO_MAC_BEFORE
    ? "past the last signed checkpoint beside a state file without a MAC (written by an earlier release, or replaced)"
    : `past the last signed checkpoint when ${reason}`;
  const who = reason === PAST_THE_COUNT || reason === undefined
    ? "written by a thoth that was killed before counting them, or added by someone else"
    : "written by a thoth, or added by someone else";
  return {
    kind: "tail_taken_in",
    severity: "warning",
    seq: first ?? seq,
    ...(last !== undefined && first !== undefined && last >= first ? { toSeq: last } : {}),
    source,
    message: `${range} ${were} found ${where} and taken in: ${who}; ` +
      `no thoth vouched for them before seq ${seq}`,
  };
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
