/**
 * After an earlier release's writer left this release's MAC over its own
 * count (see `state_mac_stale_test.ts`), the next session of this release
 * rebuilds the state and says in its `state_rebuilt` record that the MAC was
 * the one of the log's earlier state. Before, the record said "its MAC did
 * not verify", which `verify` reported as tampering on every run after
 * (`state_mac_failed`, exit 1); now it is the warning `state_mac_stale`
 * (exit 2), and a MAC that is no earlier state's is recorded as before.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { kinds, readLines, segmentPath, steppingClock } from "./_log_helpers.ts";
import { earlierReleaseSession } from "./_earlier_release_writer.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function session(home: string, name: string, clock: string): Promise<void> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock(clock) });
  try {
    await log.append({
      type: "session_start",
      session: name,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({ type: "session_end", session: name, exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
}

async function rebuiltReasons(home: string): Promise<string[]> {
  return (await readLines(await segmentPath(home)))
    .map((line) => JSON.parse(line))
    .filter((record) => record.type === "state_rebuilt")
    .map((record) => String(record.reason));
}

Deno.test("the next session records an earlier release's stale MAC as such, and verify warns of it", async () => {
  const home = await tempFolder("thoth-audit-");
  await session(home, "s-new", "2026-03-01T10:00:00Z");
  const stale = (await readLines(await segmentPath(home))).length;
  await earlierReleaseSession(home, "s-old", 2, "2026-03-01T11:00:00Z");
  await session(home, "s-new-again", "2026-03-01T12:00:00Z");
  const reasons = await rebuiltReasons(home);
  assert.deepEqual(reasons, [
    `the state file did not match the log: its MAC was the one of the log's earlier state at ${stale} records: a thoth of an earlier release, which keeps no MAC on its state, wrote the log after it, or someone put back the MAC of an earlier state file`,
  ]);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.deepEqual(kinds(report.findings), ["state_mac_stale"]);
  assert.equal(report.stateMac?.outcome, "verified");
  const finding = report.findings.find((f) => f.kind === "state_mac_stale")!;
  assert.match(
    finding.message,
    /^a writer found, and rebuilt its state from the log at seq \d+, a state file that carried the MAC of the log's earlier state at/,
  );
});

Deno.test("a MAC that is no earlier state's is still recorded as one that did not verify", async () => {
  const home = await tempFolder("thoth-audit-");
  await session(home, "s-new", "2026-03-01T10:00:00Z");
  await earlierReleaseSession(home, "s-old", 2, "2026-03-01T11:00:00Z");
  const path = `${home}/audit/.state.json`;
  const state = JSON.parse(await Deno.readTextFile(path));
  await Deno.writeTextFile(path, JSON.stringify({ ...state, mac: "ab".repeat(32) }));
  await session(home, "s-new-again", "2026-03-01T12:00:00Z");
  assert.match((await rebuiltReasons(home))[0]!, /its MAC did not verify/);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.ok(report.findings.some((f) => f.kind === "state_mac_failed"));
});
