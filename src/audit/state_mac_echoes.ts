/**
 * Drops a `state_mac_failed` finding that another tamper finding about the
 * same state already explains: a state file (or one a `state_rebuilt`
 * record kept) whose MAC did not verify and whose last record or Merkle
 * frontier is not the log's is reported once, as `state_forged` or
 * `modified`, which says more. A count a state file gives beside a log
 * shorter than it (`records_lost`) keeps the MAC finding: it is what shows
 * that count is no writer's (see `verify_status.ts`). Pure.
 *
 * @example
 * ```ts
 * withoutMacEchoes([macFailed, stateForgedOfTheSameFile]); // [stateForgedOfTheSameFile]
 * ```
 */
import type { Finding } from "./finding.ts";

/** The kinds that explain a forged state better than its MAC does. */
const EXPLAINS: ReadonlySet<string> = new Set(["state_forged", "modified"]);

/** `findings` without the `state_mac_failed` findings another finding explains. */
export function withoutMacEchoes(findings: readonly Finding[]): Finding[] {
  const explained = new Set(
    findings.filter((f) => f.severity === "tamper" && EXPLAINS.has(f.kind)).map((f) => f.source),
  );
  return findings.filter((f) => {
    if (f.kind !== "state_mac_failed") return true;
    // The state file itself (no seq), or the one kept by the state_rebuilt record at `seq`.
    const about = f.seq === undefined ? f.source : `log seq ${f.seq}`;
    return !explained.has(about);
  });
}
