// Records past the count of a state file whose MAC verifies, with no intent
// (audit/.pending) vouching for them, are never "intact": a forged approval
// appended with the right seq and prev is tampering before the next session
// and after it (its tail_taken_in record); a line that is no decision or
// approval is a warning. A writer killed between writing its batch and
// counting it (its intent left behind) still verifies clean.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { appendAsNextWriter, appendUncovered, readLines, sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { killedMidBatch, stateSize } from "./_killed_mid_batch.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** An approval of an existing decision, as someone who can write audit/ but holds no key adds it. */
async function forgeApproval(home: string): Promise<number> {
  const lines = await appendUncovered(home, {
    type: "approval",
    session: "s-0",
    decisionId: "d-0-2",
    channel: "queue",
    approver: "boss@example.com",
    outcome: "approved",
  });
  return lines.length;
}

Deno.test("verify: an approval appended past a state file whose MAC verifies is tampering, never intact", async () => {
  const home = await sampleLog(1, 4);
  assert.equal((await verifyLocalLog(home)).exitCode, 0, "clean before");
  const counted = await stateSize(home);
  const seq = await forgeApproval(home);
  assert.equal(seq, counted, "appended right after the count");
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  assert.equal(report.status, "tampered");
  const found = report.findings.find((f) => f.kind === "past_the_count");
  assert.equal(found?.severity, "tamper", JSON.stringify(report.findings));
  assert.equal(found.seq, seq);
  assert.match(found.message, /decision or approval records \(seq \d+\)/);
  const text = formatVerifyReport(report);
  assert.match(
    text,
    new RegExp(`^TAMPERED: record ${seq}, a decision or approval record past the writer's count`),
  );
  const cli = await thothAudit(home, "verify");
  assert.equal(cli.code, 1, cli.out);
  assert.doesNotMatch(cli.out, /^OK/);
});

Deno.test("verify: after the next session takes a forged approval in, its tail_taken_in record says no intent vouched for it, and verify reports tampering naming it", async () => {
  const home = await sampleLog(1, 4);
  const seq = await forgeApproval(home);
  await appendAsNextWriter(home);
  const report = await verifyLocalLog(home);
  // Tampering: the intent a thoth leaves names every point of a batch a kill can leave.
  assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
  const taken = report.findings.find((f) => f.kind === "tail_taken_in");
  assert.equal(taken?.severity, "tamper", JSON.stringify(report.findings));
  assert.equal(taken.seq, seq);
  assert.match(taken.message, new RegExp(`it is a decision or approval record \\(seq ${seq}\\)`));
  assert.match(
    formatVerifyReport(report),
    new RegExp(`^TAMPERED: record ${seq}, a decision or approval record past the writer's count`),
  );
  assert.deepEqual(report.findings.filter((f) => f.kind === "past_the_count"), []);
});

Deno.test("verify: a line past the count that is no decision or approval is a warning that names it", async () => {
  const home = await sampleLog(1, 4);
  const seq = (await appendUncovered(home, { type: "cancellation", session: "x", requestId: 1 }))
    .length;
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  const found = report.findings.find((f) => f.kind === "past_the_count");
  assert.equal(found?.severity, "warning");
  assert.equal(found.seq, seq);
  assert.match(formatVerifyReport(report), /^UNVOUCHED RECORDS: record \d+ was found past/);
});

Deno.test("verify: a writer killed between writing a batch and counting it verifies clean (its intent vouches), while an approval added after it is tampering", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 4);
  const counted = await stateSize(home);
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  assert.equal((await readLines(`${home}/audit/${name}`)).length, counted + 4, "uncounted batch");
  const killed = await verifyLocalLog(home);
  assert.deepEqual(
    killed.findings.filter((f) => f.severity === "tamper" || f.kind === "past_the_count"),
    [],
  );
  await appendUncovered(home, {
    type: "approval",
    session: "killed",
    decisionId: "d-x",
    channel: "queue",
    outcome: "approved",
  });
  const forged = await verifyLocalLog(home);
  assert.equal(forged.exitCode, 1, JSON.stringify(forged.findings));
  const found = forged.findings.find((f) => f.kind === "past_the_count");
  assert.deepEqual([found?.seq, found?.toSeq], [counted, counted + 4]);
});
