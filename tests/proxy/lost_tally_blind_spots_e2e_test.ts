/**
 * The lost tally's blind spots, on real `thoth run` sessions in front of
 * server-everything in temp profiles: a file where `audit/lost` must be
 * (no session can keep a tally) is said once on stderr when a session
 * starts, warned of by doctor's audit check with its fix, reported by
 * `thoth health` (`audit.lost_tallies.folder_problem`) and warned of by
 * `thoth audit verify` (`lost_tally_unusable`, exit 2); a tally a session
 * refused (`audit/lost/refused/`) is counted by doctor and health as the
 * refused spool files are; and a tally whose MAC cannot be checked (no audit
 * key in the profile) is told of by doctor and verify, with what to do,
 * until a session with the key takes it in.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { emptyTally, encodeLostTally, LostTallyMac } from "../../src/audit/lost_tally.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";
import { fakeIo, testContext } from "../doctor/_helpers.ts";
import { until } from "./_spooled_session.ts";

const NO_TALLY = /keeps no lost tally: cannot make it in "[^"\n]*\/audit\/lost"/;

/** Starts a block-mode session in front of server-everything and waits until it is initialized. */
async function startedSession(home: string): Promise<RawPeer> {
  const flags = ["--agent-id", "everything", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1, 60_000);
  } catch (error) {
    await peer.finish();
    throw error;
  }
  return peer;
}

/** Runs one session on the profile, to its end: what it said on stderr. */
async function session(home: string): Promise<string> {
  const peer = await startedSession(home);
  await peer.finish();
  return peer.stderr;
}

/** `thoth audit verify --json` on the profile: its exit code and findings. */
async function verify(home: string) {
  const [command, ...args] = thothArgv(["audit", "verify", "--json"]);
  const run = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(run.stdout);
  const report = JSON.parse(text) as {
    findings: { kind: string; severity: string; message: string }[];
  };
  return { code: run.code, findings: report.findings, text };
}

/** What doctor's audit check and `thoth health`'s audit part say of the profile. */
async function doctorAndHealth(home: string) {
  const plugins = thothDoctorPlugins(fakeIo(home));
  const health = await plugins.auditHealth!({ env: {}, thothHome: home, os: "linux" });
  const report = HealthReportSchema.parse(
    await buildHealthReport(
      testContext(home, { plugins: { auditHealth: plugins.auditHealth! } }),
      { probe: false },
    ),
  );
  return { check: checkAudit(health), audit: report.audit };
}

Deno.test("a file where audit/lost must be: run says so once on stderr, doctor and health report it, verify warns", async () => {
  await using dir = await tempDir("thoth-lost-folder-");
  const home = await profileWithRules(dir.path, []);
  await session(home); // The log and the device's key, as a first session makes them.
  const lost = LostTallyFile.dir(home);
  Deno.removeSync(lost, { recursive: true });
  Deno.writeTextFileSync(lost, "not a folder\n");

  const peer = await startedSession(home);
  try {
    await until(() => NO_TALLY.test(peer.stderr), "the session says it keeps no tally");
  } finally {
    await peer.finish();
  }
  assert.equal(peer.stderr.split("keeps no lost tally").length, 2, "said once: " + peer.stderr);
  assert.match(peer.stderr, /is a regular file, not a folder/);
  assert.ok(peer.stderr.includes(`mv '${lost}' '${lost}.moved-aside'`), peer.stderr);

  const { check, audit } = await doctorAndHealth(home);
  assert.equal(check.status, "warn", check.message);
  assert.match(check.message, /audit\/lost" is a regular file, not a folder: no session can keep/);
  assert.ok((check.hint ?? "").includes(`mv '${lost}' '${lost}.moved-aside'`), check.hint ?? "");
  assert.equal(audit.status, "ok", "the log itself is as it was");
  assert.match(audit.lost_tallies?.folder_problem ?? "", /is a regular file, not a folder/);
  assert.equal(audit.lost_tallies?.folder_fix, `mv '${lost}' '${lost}.moved-aside'`);

  const verified = await verify(home);
  assert.equal(verified.code, 2, verified.text);
  const finding = verified.findings.find((f) => f.kind === "lost_tally_unusable");
  assert.ok(finding !== undefined, verified.text);
  assert.equal(finding.severity, "warning");
  assert.match(finding.message, /is a regular file, not a folder[^]*moved-aside/);

  // Moved aside as told: the next session makes the folder, and says nothing of it.
  Deno.renameSync(lost, `${lost}.moved-aside`);
  assert.doesNotMatch(await session(home), NO_TALLY);
  assert.ok(Deno.statSync(lost).isDirectory);
  assert.equal((await doctorAndHealth(home)).audit.lost_tallies?.folder_problem, null);
});

Deno.test("doctor and health count the lost tallies a session refused, as they count refused spool files", async () => {
  await using dir = await tempDir("thoth-lost-refused-");
  const home = await profileWithRules(dir.path, []);
  await session(home);
  const before = await doctorAndHealth(home);
  assert.equal(before.check.status, "pass", before.check.message);
  assert.deepEqual(before.audit.lost_tallies, {
    folder_problem: null,
    folder_fix: null,
    refused: null,
    unchecked: 0,
    waiting: 0,
    unvouched: 0,
    refused_folder_problem: null,
    refused_folder_fix: null,
    unreadable: 0,
    waiting_records: 0,
    waiting_reasons: [],
    disk_full: false,
  });
  const lost = LostTallyFile.dir(home);
  const forged = { v: 1, session: "s-forged", count: 5, types: { approval: 5 }, decisionIds: [] };
  Deno.writeTextFileSync(`${lost}/s-forged.tally`, `${JSON.stringify(forged)}\n`);
  await session(home); // Refuses it: lost/refused/s-forged.tally, a spool_refused record.
  assert.deepEqual([...Deno.readDirSync(`${lost}/refused`)].map((e) => e.name), [
    "s-forged.tally",
  ]);

  const { check, audit } = await doctorAndHealth(home);
  assert.equal(check.status, "warn", check.message);
  assert.match(
    check.message,
    /1 lost tally file\(s\) refused and set aside, never taken into the log \(oldest "s-forged\.tally", \d+s old\)/,
  );
  assert.match(check.hint ?? "", /THOTH_HOME\/audit\/lost\/refused/);
  assert.equal(audit.lost_tallies?.refused?.files, 1);
  assert.equal(audit.lost_tallies?.refused?.oldest, "s-forged.tally");
  assert.equal(audit.spool_refused, null, "a refused tally is not a refused spool file");

  // Moved out of that folder once looked at: the warning goes.
  Deno.renameSync(`${lost}/refused/s-forged.tally`, `${dir.path}/s-forged.tally`);
  const after = await doctorAndHealth(home);
  assert.equal(after.check.status, "pass", after.check.message);
  assert.equal(after.audit.lost_tallies?.refused, null);
});

Deno.test("a lost tally whose MAC cannot be checked (no audit key) is told of by doctor and verify until a session with the key takes it in", async () => {
  await using dir = await tempDir("thoth-lost-unchecked-");
  const home = await profileWithRules(dir.path, []);
  await session(home);
  const paths = auditPaths(home);
  const key = (await loadDeviceKeys(home, new Date())).hmacRaw;
  const lost = LostTallyFile.dir(home);
  const tally = {
    ...emptyTally("s-gone"),
    count: 2,
    types: { decision: 2 },
    decisionIds: ["d-00000000000000aa", "d-00000000000000bb"],
    reason: "cannot write the audit spool: No space left on device",
  };
  const bytes = encodeLostTally(tally, "s-gone.tally", new LostTallyMac(key));
  Deno.writeFileSync(`${lost}/s-gone.tally`, bytes);
  Deno.renameSync(paths.hmacKey, `${dir.path}/audit-hmac.key`);

  const untold = await verify(home);
  const warned = untold.findings.find((f) => f.kind === "decisions_untold");
  assert.ok(warned !== undefined, untold.text);
  assert.match(warned.message, /MAC was not checked[^]*restore the key from a backup/);
  const { check, audit } = await doctorAndHealth(home);
  assert.notEqual(check.status, "pass", check.message);
  assert.match(check.message, /1 lost tally file\(s\) of sessions that ended count lost/);
  assert.match(check.message, /cannot be read, so no session takes them into the log/);
  assert.equal(audit.lost_tallies?.unchecked, 1);

  // A session with the key takes it in: doctor no longer tells of it.
  Deno.renameSync(`${dir.path}/audit-hmac.key`, paths.hmacKey);
  await session(home);
  assert.deepEqual([...Deno.readDirSync(lost)].map((e) => e.name), []);
  const taken = (await auditRecords(home)).filter((r) => r["type"] === "decisions_lost");
  assert.equal(taken.length, 1, JSON.stringify(taken));
  assert.equal((await doctorAndHealth(home)).audit.lost_tallies?.unchecked, 0);

  // The same tally again, its losses told of by the log: verify still says why it stays.
  Deno.writeFileSync(`${lost}/s-gone.tally`, bytes);
  Deno.renameSync(paths.hmacKey, `${dir.path}/audit-hmac.key`);
  const told = await verify(home);
  assert.ok(!told.findings.some((f) => f.kind === "decisions_untold"), told.text);
  const stays = told.findings.find((f) => f.kind === "lost_tally_unchecked");
  assert.ok(stays !== undefined, told.text);
  assert.equal(stays.severity, "info");
  assert.match(stays.message, /lost\/s-gone\.tally[^]*already tell of[^]*restore the key/);
  Deno.renameSync(`${dir.path}/audit-hmac.key`, paths.hmacKey);
});
