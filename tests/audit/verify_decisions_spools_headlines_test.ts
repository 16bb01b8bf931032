// verify warns of outcome and approval records whose decision the log does
// not hold, names the spool files whose records wait to be taken in (text
// and --json), and its headlines say what the findings say: a refused spool
// file is not "nothing was changed", a state file with an edited count is
// not "RECORDS LOST", and one record missing from a bundle "is" missing.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { verifyStatus } from "../../src/audit/verify_status.ts";
import { exitCodeFor, type Finding } from "../../src/audit/finding.ts";
import { bundleRangeFindings } from "../../src/audit/bundle_range.ts";
import { sampleLog, steppingClock } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

Deno.test("verify warns of an outcome and an approval whose decision the log does not hold", async () => {
  const home = await sampleLog(1, 2);
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  try {
    await log.append({
      type: "session_start",
      session: "s-9",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({
      type: "outcome",
      session: "s-9",
      decisionId: "d-never",
      isError: false,
      durationMs: 3,
    });
    await log.append({
      type: "approval",
      session: "s-9",
      decisionId: "d-nowhere",
      channel: "queue",
      outcome: "approved",
    });
    await log.append({ type: "session_end", session: "s-9", exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  const missing = report.findings.filter((f) => f.kind === "decision_missing");
  assert.equal(missing.length, 1, JSON.stringify(report.findings));
  assert.equal(missing[0]!.severity, "warning");
  assert.match(
    missing[0]!.message,
    /^2 outcome or approval record\(s\) name a decision the log does not hold: outcome at seq \d+ \(decision d-never\), approval at seq \d+ \(decision d-nowhere\); /,
  );
  assert.match(formatVerifyReport(report), /^DECISIONS MISSING: /);
});

Deno.test("verify names the spool files whose records wait to be taken in, in text and --json", async () => {
  const home = await sampleLog(1, 2);
  const spool = `${home}/audit/spool`;
  await Deno.mkdir(spool, { recursive: true });
  const file = `${spool}/s-killed-1.jsonl`;
  await Deno.writeTextFile(file, '#spool_opened 1\tab\n{"type":"decision"}\n{"type":"approval"}\n');
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(file, old, old);
  const report = await verifyLocalLog(home);
  assert.equal(report.spoolWaiting?.files, 1, JSON.stringify(report.spoolWaiting));
  assert.equal(report.spoolWaiting?.records, 2);
  assert.equal(report.exitCode, 0, "waiting evidence is a fact, not a finding");
  const text = await thothAudit(home, "verify");
  assert.match(
    text.out,
    /^spool: 1 file\(s\) holding 2 record\(s\) not in the log yet \(oldest \d+s\)/m,
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.equal(json.spoolWaiting.files, 1);
  assert.equal(json.spoolWaiting.records, 2);
});

/** A clean report of a small log with `findings` added, its status and exit code recomputed. */
async function reportWith(findings: Finding[]) {
  const report = await verifyLocalLog(await sampleLog(1, 2));
  const all = [...report.findings, ...findings];
  return {
    ...report,
    findings: all,
    exitCode: exitCodeFor(all),
    status: verifyStatus(all, { records: report.records, segments: report.segments.length }),
  };
}

Deno.test("verify headlines: a refused spool file is never 'nothing was changed'; an edited state count is not 'RECORDS LOST'", async () => {
  const refused = await reportWith([{
    kind: "spool_refused",
    severity: "warning",
    seq: 3,
    message: "a spool file was refused",
  }]);
  const headline = formatVerifyReport(refused).split("\n")[0]!;
  assert.match(
    headline,
    /^SPOOL REFUSED: 1 spool file\(s\) failed their checks and were set aside/,
  );
  assert.doesNotMatch(headline, /nothing was changed/);

  const edited = await reportWith([
    {
      kind: "state_damaged",
      severity: "warning",
      source: ".state.json",
      message: "the writer's state file .state.json is damaged",
    },
    {
      kind: "records_lost",
      severity: "tamper",
      seq: 21,
      toSeq: 29,
      source: ".state.json",
      message:
        "records were lost: the state file counts 30 records, the log holds 21 (9 lost: seq 21..29 are missing); …",
    },
  ]);
  assert.equal(edited.status, "tampered");
  assert.equal(edited.exitCode, 1);
  assert.match(
    formatVerifyReport(edited).split("\n")[0]!,
    /^TAMPERED: the writer's state file was edited \(see below\): it counts 30 records, the log holds 21: records were removed, or only its count was changed/,
  );
});

Deno.test("a bundle range names one missing record in the singular", () => {
  const [cut] = bundleRangeFindings({ firstSeq: 0, lastSeq: 30 }, { firstSeq: 0, lastSeq: 29 });
  assert.match(cut!.message, /: record 30 is missing \(cut from its end/);
  const [added] = bundleRangeFindings({ firstSeq: 0, lastSeq: 29 }, { firstSeq: 0, lastSeq: 30 });
  assert.match(added!.message, /: record 30 follows the range/);
  const [many] = bundleRangeFindings({ firstSeq: 0, lastSeq: 31 }, { firstSeq: 0, lastSeq: 29 });
  assert.match(many!.message, /: records 30\.\.31 are missing/);
});
