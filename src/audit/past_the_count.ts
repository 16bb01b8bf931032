/**
 * What `verify` makes of records past the count of a state file whose MAC
 * verifies. A writer writes its intent (`audit/.pending`, see
 * `pending_batch.ts`) before a batch's lines, and counts them in the state
 * file after: a writer killed in between leaves records past the count that
 * the intent, built on that very state, vouches for, and a live writer
 * leaves the same for a moment (`verify_log.ts` reads the state, the intent
 * and the segments' sizes as one snapshot under the writers' lock, see
 * `log_snapshot.ts`; without the lock, records still changing are
 * `being_written`, see `being_written.ts`). Records past the count that no
 * intent vouches for were written by someone who can write the audit
 * folder, or, rarely, by a writer that could not leave its intent (it
 * leaves none for the batch in which it takes in records nothing vouched
 * for, nor when `.pending` cannot be written). A warning; tampering when
 * they hold decision or approval records, the records an audit is read for,
 * which a writer never writes without an intent in a log nothing was wrong
 * with before. A writer writes a batch in parts of at most 64 records, each
 * named leaf by leaf in the intent written before it, so wherever a kill
 * lands the intent vouches for where the log ends. One case stays a
 * warning: an earlier release's intent, built on this very state, names a
 * batch of more than 64 records without their leaf hashes and the log ends
 * inside it (a kill in the middle of that release's large write leaves
 * that). A later writer that takes such records in says which case it met:
 * {@linkcode NO_INTENT} in its `tail_taken_in` record, tampering when they
 * hold decision or approval records, as here; `PAST_THE_COUNT` inside such
 * an earlier release's batch, a warning (see `tail_taken_in_finding.ts`).
 * Pure.
 *
 * @example
 * ```ts
 * pastTheCountFinding({ counted: 21, logSize: 22, gating: [21], source: ".state.json" });
 * // { kind: "past_the_count", severity: "tamper", seq: 21, … }
 * ```
 */
import type { Finding, Severity } from "./finding.ts";

/**
 * The reason a `tail_taken_in` record gives for records past the count of a
 * state file whose MAC verified that no intent vouched for, not even an
 * earlier release's that leaves a point of a large batch unnamed. It reads
 * in an earlier release's report as "past the last signed checkpoint when
 * …".
 */
export const NO_INTENT =
  "no intent vouched for them past the count of a state file whose MAC verified";

/** The record types an audit is read for: what gates a call. */
export const GATING_TYPES: ReadonlySet<string> = new Set(["decision", "approval"]);

/** Seqs named in a message; the rest are counted. */
const NAMED = 5;

/** The seqs `gating` lists, in words ("seq 21, 23 and 2 more"). */
export function gatingSeqs(gating: readonly number[]): string {
  const named = gating.slice(0, NAMED).join(", ");
  const more = gating.length - NAMED;
  return `${gating.length === 1 ? "seq" : "seqs"} ${named}${more > 0 ? ` and ${more} more` : ""}`;
}

/**
 * The finding for the records `counted..logSize - 1`, past the count of a
 * state file whose MAC verifies, that no intent vouches for; `gating`: the
 * seqs of the decision and approval records among them.
 */
export function pastTheCountFinding(input: {
  counted: number;
  logSize: number;
  gating: readonly number[];
  source: string;
  /**
   * The log ends inside a batch of more than 64 records that an earlier
   * release's intent, built on this state, names without their leaf hashes
   * (see `insideUnnamedBatch`).
   */
  insideLargeBatch?: boolean;
}): Finding {
  const { counted, logSize, gating } = input;
  const count = logSize - counted;
  const range = count === 1 ? `record ${counted}` : `records ${counted}..${logSize - 1}`;
  const follow = count === 1 ? "follows" : "follow";
  const base = `${range} ${follow} the ${counted} record(s) the writer's state file ` +
    `${input.source} counts (its MAC verifies), and no intent a writer left in .pending ` +
    `vouches for ${count === 1 ? "it" : "them"}: a thoth killed between writing records and ` +
    "counting them leaves one that does";
  const [severity, message] = pastTheCountSaying(base, count, gating, input.insideLargeBatch);
  return {
    kind: "past_the_count",
    severity,
    seq: counted,
    ...(count > 1 ? { toSeq: logSize - 1 } : {}),
    source: input.source,
    message,
  };
}

/** How serious `count` records past the count are, and what the finding says after `base`. */
function pastTheCountSaying(
  base: string,
  count: number,
  gating: readonly number[],
  insideLargeBatch: boolean | undefined,
): [Severity, string] {
  const it = count === 1 ? "it" : "them";
  if (gating.length > 0 && insideLargeBatch === true) {
    return [
      "warning",
      `${base}, but the log ends inside the batch of more than 64 records an earlier ` +
      `release's intent names (without their leaf hashes); ${
        count === 1 ? "it is a" : "they hold"
      } decision or approval record${count === 1 ? "" : "s"} (${gatingSeqs(gating)}): a ` +
      "thoth of that release killed in the middle of writing that batch, or someone who can " +
      `write the audit folder, wrote ${it}; look at ${it} with thoth audit show before ` +
      `relying on what ${count === 1 ? "it says" : "they say"}`,
    ];
  }
  if (gating.length > 0) {
    return [
      "tamper",
      `${base}; ${count === 1 ? "it is" : "they hold"} decision or approval records (${
        gatingSeqs(gating)
      }): someone who can write the audit folder added them (thoth audit show names what ` +
      "they say), unless a thoth that could not write .pending was killed before counting " +
      "them; keep the audit folder writable only by the account that runs thoth",
    ];
  }
  return [
    "warning",
    `${base}; someone who can write the audit folder added ${it}, or a thoth that could not ` +
    `write .pending was killed before counting ${it} (none is a decision or approval ` +
    `record); the next thoth session takes ${it} in under a tail_taken_in record`,
  ];
}
