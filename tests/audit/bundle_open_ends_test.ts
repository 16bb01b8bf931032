// A bundle is a slice of a log: a session or a step-up still open at its last
// record may close after it, so in a bundle that is a fact, not a warning.
import assert from "node:assert/strict";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { kinds, readLines, sampleLog, segmentPath } from "./_log_helpers.ts";
import { bundleRecords, exportSample } from "./_bundle_helpers.ts";

Deno.test("verify --bundle: a session and a step-up open at the bundle's end do not warn (exit 0)", async () => {
  const home = await sampleLog();
  const records = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  // A step-up whose approval follows the next checkpoint record: a bundle that
  // ends at that checkpoint holds the question and not the answer.
  const at = records.findIndex((r, i) =>
    r.verdict === "step_up" && records[i + 1]?.type === "checkpoint" &&
    records[i + 2]?.type === "approval"
  );
  assert.ok(at > 0, "the sample log has a step-up just before a checkpoint");
  const dir = await exportSample(home, { until: records[at].ts });
  const held = (await readLines(bundleRecords(dir))).map((l) => JSON.parse(l));
  assert.equal(held[held.length - 1].seq, at + 1, "the bundle ends at that checkpoint");

  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), []);
  const open = report.findings.filter((f) =>
    f.kind === "session_without_end" || f.kind === "step_up_without_approval"
  );
  assert.deepEqual(open.map((f) => [f.kind, f.severity]).sort(), [
    ["session_without_end", "info"],
    ["step_up_without_approval", "info"],
  ]);
  assert.match(open[0]!.message, /bundle/);
});

Deno.test("verify --bundle: a bundle that starts inside a session and a step-up does not warn (exit 0)", async () => {
  const home = await sampleLog();
  const records = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  const approval = records.findIndex((r, i) => i > 12 && r.type === "approval");
  const dir = await exportSample(home, { since: records[approval].ts });
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
});
