/**
 * The warning a `tail_taken_in` record calls for: records a writer took
 * into the log that no thoth had vouched for (see `unvouched_tail.ts`),
 * named by their seqs, with the seq from which a thoth vouches for them
 * (the record's own: the checkpoints after it sign them). A thoth killed
 * before it counted its last records leaves such records; so does someone
 * who can write the audit folder and appends lines to the log. Past the
 * count of a state file whose MAC verified, the writer tells the two apart
 * by the intent a thoth leaves before each part of a batch (see
 * `past_the_count.ts`): records no intent vouched for are taken in with the
 * reason {@linkcode NO_INTENT}, and are tampering when they hold decision or
 * approval records. Pure.
 *
 * @example
 * ```ts
 * tailTakenInFinding({ firstSeq: 12, lastSeq: 13, count: 2, reason: "past the state file's count" }, 14, "seg-000000000000-2026-03-01.jsonl");
 * // { kind: "tail_taken_in", severity: "warning", seq: 12, toSeq: 13, message: "records 12..13 were found past the writer's count and taken in: …" }
 * ```
 */
import type { Finding } from "./finding.ts";
import { NO_MAC, NO_MAC_BEFORE, PAST_THE_COUNT } from "./unvouched_tail.ts";
import { gatingSeqs, NO_INTENT } from "./past_the_count.ts";

/**
 * The finding for the `tail_taken_in` record at `seq` of segment `source`;
 * `gatingIn` gives the seqs of the decision and approval records of a range.
 * Records taken in past the count of a state file whose MAC verified with
 * no intent that vouched for them ({@linkcode NO_INTENT}) that hold
 * decision or approval records are tampering, as `past_the_count` is
 * before a session takes them in. Taken in "past the state file's count"
 * (what earlier builds wrote for the same, and what a writer writes when
 * the log ends inside an earlier release's batch of more than 64 records
 * whose intent names none of them), they are named as such, a warning: a
 * thoth of that release killed in the middle of writing the batch leaves
 * the same.
 */
export function tailTakenInFinding(
  record: Record<string, unknown>,
  seq: number,
  source: string,
  gatingIn?: (from: number, to: number) => number[],
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
  const them = were === "was" ? "it" : "them";
  const pastCount = reason === PAST_THE_COUNT || reason === NO_INTENT || reason === undefined;
  const where = pastCount
    ? "past the writer's count"
    : reason === NO_MAC || reason === NO_MAC_BEFORE
    ? "past the last signed checkpoint beside a state file without a MAC (written by an earlier release, or replaced)"
    : `past the last signed checkpoint when ${reason}`;
  const who = pastCount
    ? "written by a thoth that was killed before counting them, or added by someone else"
    : "written by a thoth, or added by someone else";
  const gating = (reason === PAST_THE_COUNT || reason === NO_INTENT) && first !== undefined &&
      last !== undefined && last >= first
    ? gatingIn?.(first, last + 1) ?? []
    : [];
  if (gating.length > 0) {
    const says = were === "was" ? "it says" : "they say";
    // Records no intent vouched for are tampering. Taken in past the state file's count they
    // stay a warning: a thoth of an earlier release killed in the middle of writing a batch of
    // more than 64 records leaves records past its count that its intent names no leaf of (the
    // writer says so with this reason), and so did earlier builds' writers for any records no
    // intent vouched for; nothing here tells which.
    const tamper = reason === NO_INTENT;
    return {
      kind: "tail_taken_in",
      severity: tamper ? "tamper" : "warning",
      seq: first!,
      ...(last! > first! ? { toSeq: last! } : {}),
      source,
      message: `${range} ${were} found past the count of a state file whose MAC verified, ` +
        `with no intent a writer left in .pending vouching for ${them}, and taken in at seq ` +
        `${seq}; ${were === "was" ? "it is a" : "they hold"} decision or approval record${
          were === "was" ? "" : "s"
        } (${gatingSeqs(gating)}): someone who can write the audit folder added ${them}` +
        (tamper
          ? ` (thoth audit show names what ${says}), unless a thoth that could not write ` +
            `.pending was killed before counting ${them}; keep the audit folder writable only ` +
            "by the account that runs thoth"
          : `, or a thoth of an earlier release was killed in the middle of writing a batch of ` +
            `more than 64 records (its intent names none of them); look at ${them} with thoth ` +
            `audit show before relying on what ${says}`),
    };
  }
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
