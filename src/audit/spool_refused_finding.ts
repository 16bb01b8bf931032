/**
 * The warning `verify` gives for a `spool_refused` record: a session found a
 * spool file it would not take into the log (see `SpoolRefusedEvent`), set
 * it aside and said so. Its records are not in the log: whoever reviews the
 * log looks at the file. Pure.
 *
 * @example
 * ```ts
 * // In the verifier's pass over the records:
 * if (record["type"] === "spool_refused") warnings.push(spoolRefusedFinding(record, seq, segment));
 * ```
 */
import type { Finding } from "./finding.ts";

/** The finding for the `spool_refused` record `record` at `seq` (in segment `source`). */
export function spoolRefusedFinding(
  record: Record<string, unknown>,
  seq: number,
  source?: string,
): Finding {
  const text = (key: string): string | undefined =>
    typeof record[key] === "string" ? shown(record[key] as string) : undefined;
  const lines = record["lines"];
  const file = text("file") ?? "(unnamed)";
  const movedTo = text("movedTo");
  const sha256 = text("sha256");
  const count = typeof lines === "number" && Number.isSafeInteger(lines) ? `${lines} ` : "";
  if (file.startsWith("lost/")) {
    // A lost tally a session refused (see `refuse_lost_tally.ts`).
    return {
      kind: "spool_refused",
      severity: "warning",
      seq,
      ...(source === undefined ? {} : { source }),
      message: `the lost tally ${JSON.stringify(file)} was refused at seq ${seq}` +
        ` (${text("reason") ?? "no reason given"}): no decisions_lost record was written ` +
        "from it, and nothing it counts accounts for a missing record; " +
        (movedTo === undefined
          ? "it could not be set aside"
          : `it is kept in the audit folder as ${JSON.stringify(movedTo)}`) +
        (sha256 === undefined ? "" : ` (SHA-256 ${sha256})`) +
        "; a tally whose MAC does not verify with this profile's audit key was not written " +
        "by this profile's thoth (another profile's thoth, or someone else, wrote it): look " +
        "at it before trusting what it says, then remove it",
    };
  }
  return {
    kind: "spool_refused",
    severity: "warning",
    seq,
    ...(source === undefined ? {} : { source }),
    message: `the spool file ${JSON.stringify(file)} was refused at seq ${seq}` +
      ` (${text("reason") ?? "no reason given"}): its ${count}line(s) are not in the log; ` +
      (movedTo === undefined
        ? "it could not be set aside"
        : `it is kept in the spool folder as ${JSON.stringify(movedTo)}`) +
      (sha256 === undefined ? "" : ` (SHA-256 ${sha256})`) +
      "; a spool file whose lines carry no valid MAC was not written by this device's thoth " +
      "(or by an earlier release): look at it before trusting what it says",
  };
}

/** A value from the log, cut short for a message. */
function shown(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}
