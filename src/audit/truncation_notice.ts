/**
 * The plain statement every verification report carries about what could be
 * cut unseen. For a device's log: the newest records, unless an anchor kept
 * off the device covers them. For a bundle, also what its signed export
 * statement proves (the period, and both ends of the bundle as exported,
 * signed on the device) and what only an anchor proves (the records up to
 * it were not rewritten since; no anchor proves where a bundle starts). Pure.
 *
 * @example
 * ```ts
 * truncationNotice({ records: 3, anchoredSize: 40, by: "checkpoint" }, undefined, undefined);
 * // "Truncation of the newest records is only detectable against … No anchor was given: …"
 * ```
 */
import type { AnchorOutcome } from "./compare_roots.ts";
import type { ProvenStatement } from "./export_statement.ts";

/** Records newer than the newest checkpoint that vouches for them. */
export interface UnanchoredTail {
  records: number;
  anchoredSize: number;
  by: "anchor" | "checkpoint" | "none";
}

/**
 * The notice for a report: `statement` is undefined for a device's log, and
 * for a bundle the export statement a trusted key signed, or null;
 * `foreign` when the anchor's key is not this log's (see `anchor_key.ts`).
 * An anchor the log ends before proved that records were cut: the notice
 * says so instead of what could be cut unseen.
 */
export function truncationNotice(
  tail: UnanchoredTail,
  anchor: AnchorOutcome | undefined,
  statement: ProvenStatement | null | undefined,
  foreign = false,
): string {
  const checked = anchor === "matched" && tail.by === "anchor"
    ? ` Checked against the anchor at size ${tail.anchoredSize}; ${
      tail.records === 0
        ? "it covers every record."
        : `${tail.records} newer record(s) are not covered by it.`
    }`
    : undefined;
  // Nothing newer than the newest checkpoint: no count of records to name.
  const newest = tail.records === 0
    ? undefined
    : `the newest ${tail.records} record(s) (from seq ${tail.anchoredSize}) could be removed undetected`;
  const anchorNote = anchor === undefined
    ? "No anchor was given"
    : `The anchor given was not verified against these records (${ANCHOR_OUTCOME[anchor]})`;
  if (statement === undefined) {
    const base =
      "Truncation of the newest records is only detectable against a checkpoint exported off this device (thoth audit checkpoint --export FILE, then thoth audit verify --anchor FILE).";
    if (foreign) {
      return `${base} The anchor given is not this log's: it is signed by a key this log's keys file does not list and no key rotation in its records endorses (see the first finding), so nothing this log's own keys signed counts, and the records here were not verified against it.`;
    }
    if (anchor === "truncated") {
      return `${base} The anchor given proves that records were cut from the end of this log: it covers more records than the log holds (see the truncated finding). Its root is that of records no longer here, so the records left were not checked against it: only the checkpoints on this device vouch for them.`;
    }
    return checked !== undefined
      ? `${base}${checked}`
      : newest === undefined
      ? `${base} ${anchorNote}: a checkpoint on this device covers every record, but an attacker who removes the newest records can also remove the checkpoints that cover them.`
      : `${base} ${anchorNote}: ${newest}, and an attacker who removes more can also remove the checkpoints that cover them.`;
  }
  const offDevice =
    "Only a checkpoint kept off the device proves the records up to its size were not rewritten since it was taken (thoth audit checkpoint --export FILE on the device, then thoth audit verify --bundle DIR --anchor FILE); no anchor proves where a bundle starts.";
  if (statement !== null) {
    const { included, startSize } = statement;
    return `The export statement signed by ${statement.key} proves the period this bundle was exported for and the records it held (seq ${included.firstSeq}..${included.lastSeq}, its tree starting at seq ${startSize}): records cut from its start or its end, or a rewritten manifest, show. It is signed on the device, like the checkpoints, so whoever holds the device's signing key could sign another bundle or history. ${offDevice}${
      checked ?? ` ${anchorNote}.`
    }`;
  }
  return `This bundle has no export statement that verified, and its manifest is not signed: nothing proves the period it was exported for or where its records start, and whoever cuts records from either end can rewrite the manifest too. ${offDevice}${
    checked ?? (newest === undefined ? ` ${anchorNote}.` : ` ${anchorNote}: ${newest}.`)
  }`;
}

const ANCHOR_OUTCOME: Record<AnchorOutcome, string> = {
  matched: "it matched",
  mismatch: "the records do not extend it",
  truncated: "the records end before it",
  not_checkable: "the records hold nothing at its size",
  unverified: "its signature does not verify under a trusted key",
  unknown_key: "it is signed by a key this bundle does not list",
};
