/**
 * What `verify` says of records past the writer's count when it could not
 * take the writers' lock (see `log_snapshot.ts`) and writers kept writing
 * while it read: the state file, the intent or the segments changed every
 * time it read them, so the count and the intent it read may be older than
 * the records, and nothing judged whether a thoth wrote those records. They
 * are `being_written`, a warning that names them and what to do, never
 * tampering: a live writer leaves exactly that. A verification made while
 * the log stands still still judges them (see `past_the_count.ts`). Pure.
 *
 * @example
 * ```ts
 * beingWritten(report.findings, "another process held it for 2 s");
 * // past_the_count findings become being_written warnings naming the same seqs
 * ```
 */
import type { Finding } from "./finding.ts";

/**
 * `findings` with each `past_the_count` finding made a `being_written`
 * warning over the same records; `unlocked` says why the writers' lock was
 * not taken ("another process held it for 2 s", "permission denied").
 */
export function beingWritten(findings: readonly Finding[], unlocked: string): Finding[] {
  return findings.map((f) => {
    if (f.kind !== "past_the_count" || f.seq === undefined) return f;
    const to = f.toSeq ?? f.seq;
    const [range, them] = to > f.seq ? [`records ${f.seq}..${to}`, "them"] : [
      `record ${f.seq}`,
      "it",
    ];
    return {
      kind: "being_written",
      severity: "warning",
      seq: f.seq,
      ...(to > f.seq ? { toSeq: to } : {}),
      ...(f.source === undefined ? {} : { source: f.source }),
      message:
        `${range} past the ${f.seq} record(s) the writer's state file counts ${
          to > f.seq ? "were" : "was"
        } being written while verify read the log: it could not take the writers' lock ` +
        `audit/.lock (${unlocked}), and the state file, the writer's intent or the segments ` +
        `changed each time it read them, so nothing judged whether a thoth wrote ${them}; ` +
        "run thoth audit verify again as the account that runs thoth, or once no session writes",
    };
  });
}
