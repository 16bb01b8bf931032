/**
 * Turns a verification report into the lines a person reads: the verdict,
 * how many stored checkpoints check against the records (signature and
 * root) and how many do not, what the signatures were checked against, each
 * finding with its sequence numbers (up to 20 of a kind, then how many
 * more: see `finding_lines.ts`), the unanchored tail, and the plain notice
 * about truncation. Pure.
 *
 * The verdict follows the report's status (see `verify_status.ts`) and never
 * overstates: `RECORDS LOST: …` when the log holds fewer records than its
 * state file counted, none at all included (a signed checkpoint past the cut
 * says the same, and is not counted as another change), with "the records
 * left were changed too" when something else was; `NO LOG` when there are no
 * records; `TAMPERED` for any other change (naming the state file when a
 * forged state file is all there is: every tamper finding is `state_forged`,
 * which an intact signed checkpoint proves, never the state's own frontier;
 * a record past the last checkpoint that the state file disagrees with, or
 * a state_rebuilt record no checkpoint covers, is a change of the log as far
 * as anyone can tell; naming files added to a bundle when they are all
 * there is, see `bundle_added_files.ts`); `UNVOUCHED RECORDS` when, with
 * only warnings, a writer took in records no thoth had vouched for (see
 * `tail_taken_in_finding.ts`); `BEING WRITTEN` when, with only warnings,
 * records past the count were being written while verify read without the
 * writers' lock (see `being_written.ts`); `STATE FILE EDITED` when, with only
 * warnings, the writer's state file's MAC does not verify, it is damaged,
 * or it has none though the newest intact checkpoint says its writer keeps
 * one (see `state_mac_check.ts`, whose line on the MAC every report of a
 * device's log with a state file carries): its count then shows nothing
 * about records cut from the log's end; `RECORDS NOT WRITTEN` when, with
 * only warnings, sessions counted records the log could not take (see
 * `records_dropped_finding.ts`); `NOT VERIFIED` when nothing
 * changed shows but the anchor given with a bundle is signed by a key the
 * bundle does not list; `PERIOD UNPROVEN` when an older bundle without a
 * signed export statement shows no change, since nothing shows whether
 * records were cut from either end. A finding's seq range is printed
 * only when it runs forward.
 *
 * An anchor whose key is not this log's leads the report: the verdict says
 * so and its finding is printed first (the forks, truncations and
 * untrusted checkpoints that follow from it come after). An anchor the log
 * ends before proved a cut, and the summary line says so. A bundle whose
 * manifest was removed or garbled is reported as that alone: nothing else
 * in it was read (see `bundle_manifest_file.ts`). An anchor that is one of
 * a bundle's own checkpoint notes is named on the summary line (see
 * `anchor_copy_finding.ts`).
 *
 * @example
 * ```ts
 * io.out(formatVerifyReport(report));
 * ```
 */
import type { VerifyReport } from "./verify_report.ts";
import type { Finding } from "./finding.ts";
import { lostHeadline } from "./lost_records.ts";
import { findingLines } from "./finding_lines.ts";
import { onlyAddedFiles } from "./bundle_added_files.ts";
import { stateMacLine } from "./state_mac_check.ts";
import { countUnproven } from "./verify_status.ts";
import { isNotTheAnchorsLog } from "./anchor_key.ts";
import { isManifestLost } from "./bundle_manifest_file.ts";

const ANCHOR: Record<NonNullable<VerifyReport["anchor"]>["outcome"], string> = {
  matched: "verified",
  mismatch: "NOT verified: the log does not extend it",
  truncated:
    "signed by a trusted key, and the log ends before it: records were removed (see below)",
  not_checkable: "NOT checked: this bundle holds no records at its size",
  unverified: "NOT verified: its signature does not verify under a trusted key",
  unknown_key: "NOT verified: it is signed by a key this bundle does not list",
};

/** The warnings that say the writer's state file is not as thoth wrote it. */
const STATE_EDITED: ReadonlySet<string> = new Set([
  "state_mac_failed",
  "state_mac_removed",
  "state_damaged",
]);

/** Formats a report for a terminal. */
export function formatVerifyReport(report: VerifyReport): string {
  if (isManifestLost(report)) return manifestLostText(report);
  const lines: string[] = [];
  lines.push(verdictOf(report));
  const { verified, unverified } = report.checkpoints;
  const foreign = report.findings.filter(isNotTheAnchorsLog);
  lines.push(
    `${report.records} records in ${report.segments.length} segment(s); ${verified} signed checkpoint(s) verified` +
      (unverified > 0
        ? `, ${unverified} not (signature or root does not check against these records)`
        : "") +
      (report.anchor ? `; anchor at size ${report.anchor.size} ${anchorText(report)}` : ""),
  );
  lines.push(
    report.trust === null
      ? "trusted keys: none (the keys file lists no key)"
      : report.trust.by === "anchor"
      ? `trusted keys: ${report.trust.key}, which signed the anchor, and the keys that key rotations endorse from it`
      : `trusted keys: ${report.trust.key}, the first key in the keys file, and the keys that key rotations endorse from it (without --anchor, compare this key with a copy kept off the device)`,
  );
  if (report.stateMac !== undefined) lines.push(stateMacLine(report.stateMac));
  if (report.bundle !== undefined) lines.push(bundleLine(report.bundle));
  const spool = report.spoolWaiting;
  if (spool !== undefined && spool !== null) {
    lines.push(
      `spool: ${spool.files} file(s) holding ${spool.records} record(s) not in the log yet (oldest ${
        Math.floor(spool.oldestMs / 1000)
      }s): decisions and approvals of sessions that ended without writing them; the next thoth session to start, or a running one within a minute, takes them in`,
    );
  }
  // Up to 20 of each kind, then how many more: --json lists every finding.
  // An anchor that is not this log's explains the rest: it comes first.
  const ordered = foreign.length === 0
    ? report.findings
    : [...foreign, ...report.findings.filter((f) => !isNotTheAnchorsLog(f))];
  for (const line of findingLines(ordered)) lines.push(line);
  lines.push(
    `unanchored tail: ${report.unanchoredTail.records} record(s) after size ${report.unanchoredTail.anchoredSize} (${report.unanchoredTail.by})`,
  );
  lines.push(report.notice);
  return lines.join("\n") + "\n";
}

/** What became of the anchor, for the summary line. */
function anchorText(report: VerifyReport): string {
  if (report.findings.some(isNotTheAnchorsLog)) {
    return "NOT verified: it is not this log's (its key is not this log's, see the first finding)";
  }
  const copy = report.findings.find((f) => f.kind === "anchor_in_bundle");
  const text = ANCHOR[report.anchor!.outcome];
  return copy === undefined
    ? text
    : `${text}, but it is this bundle's own ${copy.source}: it proves nothing beyond the bundle (see below)`;
}

/** The report of a bundle whose manifest was removed or garbled: that finding, and nothing else read. */
function manifestLostText(report: VerifyReport): string {
  const finding = report.findings[0]!;
  const what = finding.kind === "deleted" ? "removed" : "garbled";
  return [
    `TAMPERED: the bundle's manifest.json was ${what} after the export, so nothing else in the bundle was checked`,
    `records: not read (${report.segments.length} records file(s) in the bundle); without the manifest no record, checkpoint or key can be checked`,
    ...findingLines(report.findings),
    report.notice,
  ].join("\n") + "\n";
}

/**
 * What the bundle's records cover, and what the export signed (the period
 * and range) or, without a signed statement, what its manifest lists.
 */
function bundleLine(bundle: NonNullable<VerifyReport["bundle"]>): string {
  const held = bundle.lastSeq < bundle.firstSeq
    ? `no records (its tree starts at size ${bundle.firstSeq})`
    : `seq ${bundle.firstSeq}..${bundle.lastSeq}` +
      (bundle.from !== null && bundle.to !== null ? ` (${bundle.from} to ${bundle.to})` : "");
  const signed = bundle.statement;
  if (signed) {
    const period = `${signed.since ?? "the log's start"} to ${signed.until ?? "the export"}`;
    return `bundle records: ${held}; exported for ${period} as seq ${signed.included.firstSeq}..${signed.included.lastSeq} on ${signed.created} (export statement signed by ${signed.key})`;
  }
  const claimed = bundle.claimed === undefined
    ? "its manifest lists no range"
    : `its manifest lists seq ${bundle.claimed.firstSeq}..${bundle.claimed.lastSeq} (unsigned)`;
  return `bundle records: ${held}; ${claimed}`;
}

/** The first line: what a person must take away, in words that never overstate. */
function verdictOf(report: VerifyReport): string {
  const findings = report.findings;
  switch (report.status) {
    case "log_lost":
      return "NO LOG: there are no audit records, and what is left shows there were";
    case "records_lost":
      return recordsLost(findings.filter((f) => f.severity === "tamper"));
    case "tampered": {
      const tampered = findings.filter((f) => f.severity === "tamper");
      // A forged state file alone: a signed checkpoint proves every record it
      // disagrees with (state_forged is never made from the state's frontier).
      if (tampered.every((f) => f.kind === "state_forged")) {
        return "TAMPERED: the writer's state file was forged; the records verify as unmodified";
      }
      if (tampered.some(isNotTheAnchorsLog)) {
        return "TAMPERED: this log and its keys are not the anchor's (see the first finding): the log or its keys were replaced after the anchor was exported, or the anchor is another log's; nothing this log's own keys signed counts";
      }
      return stateEdited(tampered, findings) ?? pastTheCount(tampered) ??
        onlyAddedFiles(findings) ?? "TAMPERED: the audit log was changed";
    }
    case "anchor_key_unknown":
      return "NOT VERIFIED: the anchor is signed by a key this bundle does not list, so nothing was checked against it; nothing shows a change, and nothing rules one out";
    case "clean":
      // verify --bundle checked the bundle's copy of a log, not this device's log.
      return report.bundle === undefined
        ? "OK: the audit log is intact"
        : "OK: the bundle's log is intact";
    case "warnings":
      break;
  }
  if (findings.some((f) => f.kind === "no_log")) {
    return "NO LOG: there are no audit records, so nothing was verified";
  }
  if (findings.some((f) => f.kind === "unanchored")) {
    return "UNANCHORED: no signed checkpoint vouches for the records; nothing shows a change, and nothing rules one out";
  }
  const takenIn = findings.filter((f) => f.kind === "tail_taken_in" || f.kind === "past_the_count");
  const written = findings.find((f) => f.kind === "being_written");
  if (written !== undefined && takenIn.length === 0) {
    const range = written.toSeq !== undefined && written.toSeq > written.seq!
      ? `records ${written.seq}..${written.toSeq} were`
      : `record ${written.seq} was`;
    return `BEING WRITTEN: ${range} being written past the writer's count while verify read the log without the writers' lock, so nothing judged them (see below); verify again once no session writes`;
  }
  if (takenIn.length > 0) {
    const first = takenIn[0]!;
    const span = first.toSeq !== undefined && first.toSeq > first.seq!;
    const range = span ? `records ${first.seq}..${first.toSeq}` : `record ${first.seq}`;
    const more = takenIn.length > 1 ? ` (and ${takenIn.length - 1} more range(s))` : "";
    const [were, them] = span || more !== "" ? ["were", "them"] : ["was", "it"];
    // Decision or approval records among them are named in the finding (see below).
    const gating = takenIn.some((f) => /decision or approval records? \(seqs? \d/.test(f.message))
      ? "; decision or approval records among them (see below): look at them with thoth audit show before relying on them"
      : "";
    if (first.kind === "past_the_count") {
      return `UNVOUCHED RECORDS: ${range}${more} ${were} found past the writer's count with nothing vouching for ${them}: someone else, or a thoth killed before counting ${them}, wrote ${them}${gating}`;
    }
    return `UNVOUCHED RECORDS: ${range}${more} ${were} taken in though no thoth had vouched for ${them}: a thoth killed before counting ${them}, or someone else, wrote ${them}${
      gating === "" ? "; nothing shows a change since" : gating
    }`;
  }
  if (findings.some((f) => f.kind === "state_lost")) {
    return "STATE LOST: nothing shows how many records the log held; nothing shows a change, and nothing rules out a cut";
  }
  const stale = findings.find((f) => f.kind === "state_mac_stale");
  if (stale !== undefined && !findings.some((f) => STATE_EDITED.has(f.kind))) {
    return "EARLIER RELEASE WROTE THE LOG: a thoth of an earlier release, which keeps no MAC on its state, wrote the log after this one (see below), so the state's count does not show whether records were cut from the end of the log; update or restart the clients that still run it; nothing shows a change of the records";
  }
  if (findings.some((f) => STATE_EDITED.has(f.kind))) {
    return "STATE FILE EDITED: the writer's state file is not as thoth wrote it (see below), so its count does not show whether records were cut from the end of the log; nothing shows a change of the records left";
  }
  const refusedAll = findings.filter((f) => f.kind === "spool_refused");
  // A lost tally a session refused (see `spool_refused_finding.ts`) is no spool file.
  const tallies = refusedAll.filter((f) => f.message.startsWith("the lost tally ")).length;
  const refused = refusedAll.length - tallies;
  if (refused > 0) {
    const andTallies = tallies === 0
      ? ""
      : ` (and ${tallies} lost tally file(s) whose counts were not taken in either)`;
    return `SPOOL REFUSED: ${refused} spool file(s) failed their checks and were set aside, their records never taken into the log${andTallies} (see below): an edited spool file, or one damaged on disk; nothing shows a change of the log's records`;
  }
  if (tallies > 0) {
    return `LOST TALLY REFUSED: ${tallies} lost tally file(s) failed their checks and were set aside, nothing they count taken into the log (see below): a tally whose MAC does not verify with this profile's audit key (forged, or another profile's), or one damaged on disk; nothing shows a change of the log's records`;
  }
  if (findings.some((f) => f.kind === "records_dropped")) {
    return "RECORDS NOT WRITTEN: sessions could not write some of their records while the audit log could not be written, and the log counts them (see below): they are missing from it, not removed; nothing shows a change of the log's records";
  }
  if (findings.some((f) => f.kind === "decision_missing")) {
    return "DECISIONS MISSING: outcome or approval records name decisions the log does not hold (see below); nothing shows a change of the records";
  }
  if (findings.some((f) => f.kind === "period_unproven")) {
    return "PERIOD UNPROVEN: the records this bundle holds verify, but it carries no signed export statement (an older thoth's bundle), so nothing shows whether records were cut from its start or its end";
  }
  return "OK with warnings: nothing was changed, but some records need a look";
}

/**
 * The verdict when every tamper finding is about the writer's state file
 * (its MAC does not verify, or a writer found one that did not) or a count
 * it gives that no writer wrote (see `countUnproven`); undefined otherwise.
 */
function stateEdited(
  tampered: readonly Finding[],
  findings: readonly Finding[],
): string | undefined {
  const counts = tampered.filter((f) => countUnproven(f, findings));
  const state = tampered.filter((f) => f.kind === "state_mac_failed");
  if (counts.length + state.length !== tampered.length) return undefined;
  const count = counts.map(lostHeadline).find((h) => h !== undefined)
    ?.replace(/^the state file counts/, "it counts");
  if (count !== undefined) {
    return `TAMPERED: the writer's state file was edited (see below): ${count}: records were removed, or only its count was changed, and nothing shows which`;
  }
  return "TAMPERED: someone other than thoth wrote the writer's state file (its MAC does not verify, see below): its count vouches for nothing, so records cut from the end of the log since the last signed checkpoint would not show; nothing shows a change of the records left";
}

/**
 * The verdict when every tamper finding names records past the writer's
 * count that nothing vouched for, decision or approval records among them
 * (found there, or taken in by a later session); undefined otherwise.
 */
function pastTheCount(tampered: readonly Finding[]): string | undefined {
  if (!tampered.every((f) => f.kind === "past_the_count" || f.kind === "tail_taken_in")) {
    return undefined;
  }
  const first = tampered[0]!;
  const more = tampered.length > 1 ? ` (and ${tampered.length - 1} more range(s))` : "";
  if ((first.toSeq === undefined || first.toSeq <= first.seq!) && more === "") {
    return `TAMPERED: record ${first.seq}, a decision or approval record past the writer's count, was added without anything vouching for a thoth writing it (see below)`;
  }
  const range = first.toSeq !== undefined && first.toSeq > first.seq!
    ? `records ${first.seq}..${first.toSeq}`
    : `record ${first.seq}`;
  return `TAMPERED: ${range}${more} past the writer's count, decision or approval records among them, were added without anything vouching for a thoth writing them (see below)`;
}

/** `RECORDS LOST: …`, with whether the records left were changed too. */
function recordsLost(tampered: readonly Finding[]): string {
  const lost = tampered.flatMap((f) => {
    const headline = lostHeadline(f);
    return headline === undefined ? [] : [{ finding: f, headline }];
  });
  // A cut log shows twice: fewer records than the state file counts, and a signed
  // checkpoint past the end. Both say the same records are gone.
  // A segment name on a link or FIFO stands where lost records were: not a change of those left.
  const changed = tampered.filter((f) =>
    f.kind !== "records_lost" && f.kind !== "not_regular_file" &&
    !(f.kind === "truncated" && lost.some(({ finding }) => within(f, finding)))
  );
  return `RECORDS LOST: ${lost[0]?.headline ?? "the log holds fewer records than were counted"}` +
    (changed.length > 0 ? "; the records left were changed too" : "");
}

/** Whether the seq range `inner` names lies inside the one `outer` names. */
function within(inner: Finding, outer: Finding): boolean {
  if (inner.seq === undefined || outer.seq === undefined) return false;
  return inner.seq >= outer.seq && (inner.toSeq ?? inner.seq) <= (outer.toSeq ?? outer.seq);
}
