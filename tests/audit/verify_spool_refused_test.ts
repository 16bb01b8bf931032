/**
 * `thoth audit verify` warns of every spool file a session refused (see
 * `spool_refused`): its records are not in the log, and someone who can
 * write the audit folder planted or damaged it. A warning (exit 2) when
 * nothing else is wrong, naming the seq of the record. Real log, real
 * session, a forged spool file under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { tempDir } from "../e2e/_harness.ts";
import { age, deadDecision, logRecords, openSession } from "../proxy/_session_audit_harness.ts";

Deno.test("verify warns of a refused spool file, naming its record's seq", async () => {
  await using dir = await tempDir();
  const s = await openSession(dir.path, { session: "s-next", clock: "real" });
  const forged = `${DecisionSpool.dir(dir.path)}/s-00000000deadbeef-1.jsonl`;
  Deno.mkdirSync(DecisionSpool.dir(dir.path), { recursive: true });
  Deno.writeTextFileSync(
    forged,
    `#spool_opened 1\n${JSON.stringify(deadDecision("d-forged", "s-00000000deadbeef"))}\n`,
  );
  age(forged);
  await s.audit.start("fs", [], []);
  await s.audit.end(0, null);
  const record = (await logRecords(dir.path)).find((r) => r["type"] === "spool_refused");
  assert.ok(record !== undefined, s.notes.join("\n"));
  const report = await verifyLocalLog(dir.path);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  const warnings = report.findings.filter((f) => f.severity !== "info");
  assert.deepEqual(warnings.map((f) => [f.kind, f.seq]), [["spool_refused", record["seq"]]]);
  assert.match(
    warnings[0]!.message,
    new RegExp(`s-00000000deadbeef-1\\.jsonl.*seq ${record["seq"]}`),
  );
});
