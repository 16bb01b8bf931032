/**
 * The one-word outcome of a verification, as `verify --json` reports it in
 * `status` beside `exitCode`, and as the first line of the report words it:
 *
 * - `"clean"` (exit 0): nothing found (`OK`).
 * - `"warnings"` (exit 2): warnings only, a log with no records and no
 *   trace of one among them (`NO LOG`, finding `no_log`).
 * - `"records_lost"` (exit 1): the log holds fewer records than a witness
 *   counted (`RECORDS LOST`), also when it holds none at all, emptied or
 *   deleted beside a state file that counted them. Not when the only count
 *   is that of a state file no writer wrote as it is (damaged, or its MAC
 *   does not verify): records were removed, or the count was edited, and
 *   nothing shows which (`"tampered"`, see {@linkcode countUnproven}).
 * - `"log_lost"` (exit 1): no records, and the keys or checkpoint notes a
 *   writer makes with a log show there was one (`NO LOG`); how many is
 *   unknown.
 * - `"tampered"` (exit 1): any other change (`TAMPERED`).
 * - `"anchor_key_unknown"` (exit 1): no change found, but the anchor given
 *   with a bundle is signed by a key the bundle does not list, so nothing was
 *   checked against it (`NOT VERIFIED`): no proof of tampering, and no
 *   verification either.
 *
 * Pure.
 *
 * @example
 * ```ts
 * verifyStatus(findings, { records: 0, segments: 1 }); // "records_lost"
 * ```
 */
import { exitCodeFor, type Finding } from "./finding.ts";
import { lostHeadline } from "./lost_records.ts";

/** What a verification found, in one word. */
export type VerifyStatus =
  | "clean"
  | "warnings"
  | "records_lost"
  | "log_lost"
  | "tampered"
  | "anchor_key_unknown";

/** The status for `findings` over a log of `records` records in `segments` segment files. */
export function verifyStatus(
  findings: readonly Finding[],
  log: { records: number; segments: number },
): VerifyStatus {
  const exitCode = exitCodeFor(findings);
  if (exitCode === 0) return "clean";
  if (exitCode === 2) return "warnings";
  const tampered = findings.filter((f) => f.severity === "tamper");
  if (tampered.length === 0) return "anchor_key_unknown";
  if (tampered.some((f) => lostHeadline(f) !== undefined && !countUnproven(f, findings))) {
    return "records_lost";
  }
  if (log.records === 0 && log.segments === 0) return "log_lost";
  return "tampered";
}

/** The findings that say a state file is not as a writer wrote it. */
const EDITED_STATE: ReadonlySet<string> = new Set(["state_damaged", "state_mac_failed"]);

/**
 * Whether `lost`, a records_lost finding, comes from the count of a state
 * file that `findings` say no writer wrote as it is (damaged, or its MAC
 * does not verify): that count proves no loss, since whoever edited the
 * file may have edited the count alone.
 */
export function countUnproven(lost: Finding, findings: readonly Finding[]): boolean {
  return lost.kind === "records_lost" && lost.source !== undefined &&
    findings.some((f) =>
      EDITED_STATE.has(f.kind) && f.seq === undefined && f.source === lost.source
    );
}
