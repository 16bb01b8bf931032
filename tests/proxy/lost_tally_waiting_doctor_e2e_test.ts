/**
 * `thoth doctor` on profiles real `thoth run` sessions (in front of
 * server-everything) made: a lost tally a killed session left, whose MAC
 * verifies, waits to be taken into the log as spool files wait, and the
 * audit check warns of it with what to do, until the next session takes it
 * in (before, doctor said nothing of it), with how many records it counts and
 * why they were lost (a full disk: freeing space is the first hint); and when several audit notices
 * hold at once (refused spool files, a waiting tally, a refused tally), the
 * real `thoth doctor` shows every one's hint on a line of its own and
 * `--json` lists them all under `hints` (before, only the first was shown).
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { emptyTally, encodeLostTally, LostTallyMac } from "../../src/audit/lost_tally.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { REFUSED_TALLIES } from "../../src/audit/refuse_lost_tally.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";
import { fakeIo } from "../doctor/_helpers.ts";
import { runThoth } from "../cli/_thoth_process.ts";

const WAITING =
  /1 lost tally file\(s\) of sessions that ended count 2 decision or approval record\(s\) they lost \(why: "cannot write the audit spool: No space left on device"; the disk was full\), which wait to be taken into the log \(a decisions_lost record each\): the next thoth session to start takes them in/;

/** Runs one block-mode session in front of server-everything on the profile, to its end. */
async function session(home: string): Promise<string> {
  const flags = ["--agent-id", "everything", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1, 60_000);
  } finally {
    await peer.finish();
  }
  return peer.stderr;
}

async function auditCheck(home: string) {
  const plugins = thothDoctorPlugins(fakeIo(home));
  return checkAudit(await plugins.auditHealth!({ env: {}, thothHome: home, os: "linux" }));
}

/** A tally of session `session` counting 2 lost decisions, signed with the profile's audit key. */
async function plantTally(home: string, session: string): Promise<void> {
  const key = (await loadDeviceKeys(home, new Date())).hmacRaw;
  const tally = {
    ...emptyTally(session),
    count: 2,
    types: { decision: 2 },
    decisionIds: ["d-00000000000000aa", "d-00000000000000bb"],
    reason: "cannot write the audit spool: No space left on device",
  };
  const name = `${session}.tally`;
  Deno.writeFileSync(
    `${LostTallyFile.dir(home)}/${name}`,
    encodeLostTally(tally, name, new LostTallyMac(key)),
  );
}

Deno.test("doctor warns of a verified lost tally of a dead session waiting to be taken in, until a session takes it in", async () => {
  await using dir = await tempDir("thoth-lost-waiting-");
  const home = await profileWithRules(dir.path, []);
  await session(home); // The log and the device's key, as a first session makes them.
  assert.equal((await auditCheck(home)).status, "pass");
  await plantTally(home, "s-gone");

  const check = await auditCheck(home);
  assert.equal(check.status, "warn", check.message);
  assert.match(check.message, WAITING);
  // The tally's reason says the disk was full: freeing space comes first.
  assert.match(check.hint ?? "", /^free space on the disk holding THOTH_HOME \('/);
  assert.match(
    check.moreHints?.[0] ?? "",
    /^start any governed server, then run "thoth audit verify"/,
  );

  // The next session takes it in: a decisions_lost record, the tally gone, doctor quiet.
  await session(home);
  assert.deepEqual([...Deno.readDirSync(LostTallyFile.dir(home))].map((e) => e.name), []);
  const told = (await auditRecords(home)).filter((r) => r["type"] === "decisions_lost");
  assert.equal(told.length, 1, JSON.stringify(told));
  const after = await auditCheck(home);
  assert.equal(after.status, "pass", after.message);
});

Deno.test("thoth doctor shows the hint of every audit notice that holds, one line each", async () => {
  await using dir = await tempDir("thoth-audit-hints-");
  const home = await profileWithRules(dir.path, []);
  await session(home);
  // A spool file a session refused and set aside.
  const spool = DecisionSpool.dir(home);
  Deno.mkdirSync(spool, { recursive: true, mode: 0o700 });
  Deno.writeTextFileSync(`${spool}/s-old.jsonl.refused`, '{"type":"decision"}\n');
  // A dead session's tally, waiting; and a tally a session refused.
  await plantTally(home, "s-gone");
  const refused = `${LostTallyFile.dir(home)}/${REFUSED_TALLIES}`;
  Deno.mkdirSync(refused, { mode: 0o700 });
  Deno.writeTextFileSync(`${refused}/s-forged.tally`, "{}\n");

  const env = { HOME: `${dir.path}/user`, THOTH_HOME: home };
  Deno.mkdirSync(env.HOME);
  const text = await runThoth(["doctor"], { env, cwd: dir.path });
  const lines = text.out.split("\n");
  const at = lines.findIndex((l) => /^! audit /.test(l));
  assert.ok(at >= 0, text.out);
  const hints = [];
  for (let i = at + 1; /^ +hint: /.test(lines[i] ?? ""); i++) hints.push(lines[i]!.trim());
  assert.equal(hints.length, 4, lines.slice(at, at + 7).join("\n"));
  assert.match(hints[0]!, /^hint: run "thoth audit verify" .* move them out of the spool folder/);
  assert.match(hints[1]!, /^hint: free space on the disk holding THOTH_HOME \('/);
  assert.match(hints[2]!, /^hint: start any governed server, then run "thoth audit verify"/);
  assert.match(hints[3]!, /^hint: run "thoth audit verify" .* THOTH_HOME\/audit\/lost\/refused/);
  assert.match(lines[at]!, /spool file\(s\) refused and set aside/);
  assert.match(lines[at]!, WAITING);
  assert.match(lines[at]!, /1 lost tally file\(s\) refused and set aside/);

  const json = JSON.parse((await runThoth(["doctor", "--json"], { env, cwd: dir.path })).out);
  const audit = json.checks.find((c: { id: string }) => c.id === "audit");
  assert.deepEqual(audit.hints, hints.map((hint) => hint.replace(/^hint: /, "")));
  assert.equal(audit.hint, audit.hints[0]);
});
