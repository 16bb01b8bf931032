/**
 * `thoth audit verify`'s summary counts as verified only the checkpoints
 * whose signature and root both check against the records present, says how
 * many did not, and a log shorter than its state file gets the headline
 * README promises: `RECORDS LOST: …`.
 */
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { exportSample } from "./_bundle_helpers.ts";
import { readLines, sampleLog, segmentPath, writeLines } from "./_log_helpers.ts";
import { runThoth } from "../cli/_thoth_process.ts";

async function verify(home: string) {
  return await runThoth(["audit", "verify"], { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

/** The summary line: records, segments, checkpoints. */
function summary(out: string): string {
  return out.split("\n")[1] ?? "";
}

function edit(line: string): string {
  return line.replace(/"session":"s-(\d)"/, '"session":"s-$1x"');
}

Deno.test("audit verify: an intact log verifies every stored checkpoint and none fails", async () => {
  const home = await sampleLog();
  const report = await verifyLocalLog(home);
  assert.ok(report.checkpoints.verified >= 3);
  assert.equal(report.checkpoints.unverified, 0);
  assert.equal(report.checkpoints.latestSize, 40);
  const run = await verify(home);
  assert.equal(run.code, 0, run.err);
  assert.equal(
    summary(run.out),
    `41 records in 1 segment(s); ${report.checkpoints.verified} signed checkpoint(s) verified`,
  );
});

Deno.test("audit verify --bundle: an intact bundle, from the start or mid-log, fails no checkpoint", async () => {
  const home = await sampleLog(3, 6);
  for (const since of [undefined, "2026-03-01T10:00:30Z"]) {
    const report = await verifyBundle(await exportSample(home, since ? { since } : {}));
    assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
    assert.ok(report.checkpoints.verified >= 1);
    assert.equal(report.checkpoints.unverified, 0);
  }
});

Deno.test("audit verify: a cut log says RECORDS LOST and counts only the checkpoints its records reproduce", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const before = await verifyLocalLog(home);
  const stored = before.checkpoints.verified;
  await writeLines(path, lines.slice(0, 5));
  const report = await verifyLocalLog(home);
  // Only the checkpoints at sizes up to 5 can be reproduced by 5 records.
  assert.ok(report.checkpoints.verified < stored, JSON.stringify(report.checkpoints));
  assert.equal(report.checkpoints.verified + report.checkpoints.unverified, stored);
  assert.ok((report.checkpoints.latestSize ?? 0) <= 5);
  const run = await verify(home);
  assert.equal(run.code, 1, run.err);
  const [headline] = run.out.split("\n");
  assert.equal(headline, "RECORDS LOST: the state file counts 41 records, the log holds 5");
  assert.equal(
    summary(run.out),
    `5 records in 1 segment(s); ${report.checkpoints.verified} signed checkpoint(s) verified, ` +
      `${report.checkpoints.unverified} not (signature or root does not check against these records)`,
  );
  assert.match(run.out, /^ {2}tamper {2}truncated seq 5\.\.39/m, "the finding is still listed");
});

Deno.test("audit verify: a single edited record leaves the checkpoints after it unverified", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  lines[7] = edit(lines[7]!);
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.ok(report.checkpoints.unverified >= 3, JSON.stringify(report.checkpoints));
  assert.ok((report.checkpoints.latestSize ?? 0) <= 7);
  const run = await verify(home);
  assert.equal(run.code, 1);
  assert.equal(run.out.split("\n")[0], "TAMPERED: the audit log was changed");
  assert.match(
    summary(run.out),
    new RegExp(
      `; ${report.checkpoints.verified} signed checkpoint\\(s\\) verified, ${report.checkpoints.unverified} not \\(`,
    ),
  );
});

Deno.test("audit verify: a cut log whose remaining records were also changed says both", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  lines[3] = edit(lines[3]!);
  await writeLines(path, lines.slice(0, 5));
  const run = await verify(home);
  assert.equal(run.code, 1);
  assert.equal(
    run.out.split("\n")[0],
    "RECORDS LOST: the state file counts 41 records, the log holds 5; the records left were changed too",
  );
});
