/**
 * A decision the spool could not take leaves a trace a kill does not wipe:
 * a real `thoth run` session in front of server-everything decides a call
 * while its spool folder cannot be written (a file stands where the folder
 * was), and is killed with SIGKILL before the log hears of it; `thoth audit
 * verify` then warns (decisions_untold, exit 2) naming the session and the
 * lost decision, from the session's lost tally. When the log was told (a
 * `decisions_lost` record) before the kill, verify does not warn of it
 * again. The next session takes a killed session's tally into the log (one
 * `decisions_lost` record naming it, which verify and a bundle show) and
 * removes it, with no second record when the log was told already; it
 * removes the empty tally of a session killed having lost nothing, and
 * leaves the tally of a session still running. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
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
import { auditVerify, echoCall, oneDecisionLogged, until } from "./_spooled_session.ts";

const LOST = /decision (d-[0-9a-f]{16}) \(tool "echo"[^\n]*is LOST/;

/**
 * Runs a block-mode session that loses the decision of one call (its spool
 * folder replaced by a file), then, with `tellFirst`, makes the folder
 * writable again and one more call (so that the log is told), and kills
 * the session with SIGKILL. Returns the profile and the lost decision's id.
 */
async function lostThenKilled(
  dir: string,
  tellFirst: boolean,
): Promise<{ home: string; lostId: string }> {
  const home = await profileWithRules(dir, []);
  const flags = ["--agent-id", "everything", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
  const spool = DecisionSpool.dir(home);
  try {
    await oneDecisionLogged(peer, home);
    Deno.renameSync(spool, `${spool}.away`);
    Deno.writeTextFileSync(spool, "");
    await peer.send(echoCall(3));
    await peer.responseTo(3, 30_000); // Refused: its decision could not be recorded.
    await until(() => LOST.test(peer.stderr), "the decision is named lost on stderr");
    Deno.removeSync(spool);
    Deno.renameSync(`${spool}.away`, spool);
    if (tellFirst) {
      await peer.send(echoCall(4));
      assert.ok("result" in await peer.responseTo(4, 30_000), peer.stderr);
      const told = async () =>
        (await auditRecords(home)).some((r) => r["type"] === "decisions_lost");
      for (let i = 0; i < 1500 && !await told(); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(await told(), "the log is told of the lost decision");
    }
    peer.child.kill("SIGKILL");
  } finally {
    await peer.finish();
  }
  return { home, lostId: LOST.exec(peer.stderr)![1]! };
}

Deno.test("a session killed after its spool could not take a decision leaves a lost tally that verify warns of (decisions_untold)", async () => {
  await using dir = await tempDir("thoth-lost-tally-");
  const { home, lostId } = await lostThenKilled(dir.path, false);
  const records = await auditRecords(home);
  assert.ok(!records.some((r) => r["type"] === "decisions_lost"), "the log was never told");
  const tallies = [...Deno.readDirSync(LostTallyFile.dir(home))].map((e) => e.name);
  assert.equal(tallies.length, 1, JSON.stringify(tallies));
  assert.equal(Deno.statSync(`${LostTallyFile.dir(home)}/${tallies[0]}`).size, 4096);
  const { code, said } = await auditVerify(home);
  assert.equal(code, 2, said);
  assert.match(said, /lost 1 decision or approval record\(s\) \(decision 1\)/, said);
  assert.ok(said.includes(lostId), said);
  assert.match(said, /no decisions_lost record in the log tells of them/, said);
  assert.doesNotMatch(said, /MAC does not verify|carries no MAC|not checked/, said);
});

Deno.test("a lost decision the log was told of before the kill is not warned of again from the lost tally", async () => {
  await using dir = await tempDir("thoth-lost-tally-told-");
  const { home, lostId } = await lostThenKilled(dir.path, true);
  const tallies = [...Deno.readDirSync(LostTallyFile.dir(home))];
  assert.equal(tallies.length, 1, "the killed session's tally stays");
  const { said } = await auditVerify(home);
  assert.ok(!said.includes("no decisions_lost record"), said);
  assert.doesNotMatch(said, new RegExp(`lost 1 decision or approval[^\\n]*${lostId}`), said);
});

Deno.test("a session that ends with every record in the log removes its lost tally", async () => {
  await using dir = await tempDir("thoth-lost-tally-end-");
  const home = await profileWithRules(dir.path, []);
  const flags = ["--agent-id", "everything", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
  try {
    await oneDecisionLogged(peer, home);
    const tallies = [...Deno.readDirSync(LostTallyFile.dir(home))].map((e) => e.name);
    assert.equal(tallies.length, 1, "made at the session's start");
  } finally {
    await peer.finish();
  }
  assert.deepEqual([...Deno.readDirSync(LostTallyFile.dir(home))], []);
});

/** The names of the profile's lost tallies. */
function tallyNames(home: string): string[] {
  return [...Deno.readDirSync(LostTallyFile.dir(home))].map((e) => e.name).sort();
}

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

/** Runs one more session on the profile, to its end: its start takes in what dead sessions left. */
async function nextSession(home: string): Promise<void> {
  const peer = await startedSession(home);
  await peer.finish();
}

/** Runs `thoth` with `args` on the profile `home`: its exit code and what it said. */
async function thoth(home: string, ...args: string[]): Promise<{ code: number; said: string }> {
  const [command, ...rest] = thothArgv(args);
  const run = await new Deno.Command(command!, {
    args: rest,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: run.code, said: decoder.decode(run.stdout) + decoder.decode(run.stderr) };
}

Deno.test("the next session takes a killed session's lost tally into the log, which verify and a bundle then show", async () => {
  await using dir = await tempDir("thoth-lost-tally-taken-");
  const { home, lostId } = await lostThenKilled(dir.path, false);
  const [tally] = tallyNames(home);
  await nextSession(home);
  assert.deepEqual(tallyNames(home), [], "taken in, then removed");
  const lost = (await auditRecords(home)).filter((r) => r["type"] === "decisions_lost");
  assert.equal(lost.length, 1, JSON.stringify(lost));
  const record = lost[0]!;
  assert.equal(record["tally"], tally);
  assert.equal(`${record["session"]}.tally`, tally);
  assert.equal(record["count"], 1);
  assert.deepEqual(record["types"], { decision: 1 });
  assert.deepEqual(record["decisionIds"], [lostId]);
  assert.equal(record["tallyMac"], "verified");
  assert.match(String(record["reason"]), /cannot write the audit spool/);
  const { said } = await auditVerify(home);
  assert.doesNotMatch(said, /decisions_untold/, said);
  const shown = new RegExp(
    `session ${record["session"]} has no session end record[^\n]*decisions_lost at seq ${
      record["seq"]
    }`,
  );
  assert.match(said, shown, said);
  const bundle = `${dir.path}/bundle`;
  const exported = await thoth(home, "audit", "export", "--output", bundle);
  assert.equal(exported.code, 0, exported.said);
  const checked = await thoth(home, "audit", "verify", "--bundle", bundle);
  assert.match(checked.said, shown, checked.said);
});

Deno.test("a killed session's tally the log was told of is removed by the next session with no second record", async () => {
  await using dir = await tempDir("thoth-lost-tally-told-taken-");
  const { home } = await lostThenKilled(dir.path, true);
  assert.equal(tallyNames(home).length, 1);
  await nextSession(home);
  assert.deepEqual(tallyNames(home), []);
  const lost = (await auditRecords(home)).filter((r) => r["type"] === "decisions_lost");
  assert.equal(lost.length, 1, JSON.stringify(lost));
  assert.equal(lost[0]!["tally"], undefined, "the killed session's own record");
});

Deno.test("the next session removes the empty tally of a session killed having lost nothing, and leaves a running session's", async () => {
  await using dir = await tempDir("thoth-lost-tally-empty-");
  const home = await profileWithRules(dir.path, []);
  const running = await startedSession(home);
  try {
    const [mine, ...others] = tallyNames(home);
    assert.deepEqual(others, []);
    const killed = await startedSession(home);
    const [quiet] = tallyNames(home).filter((name) => name !== mine);
    assert.equal(Deno.statSync(`${LostTallyFile.dir(home)}/${quiet}`).size, 4096);
    killed.child.kill("SIGKILL");
    await killed.finish();
    assert.deepEqual(tallyNames(home), [mine, quiet].sort(), "the killed session left its tally");
    await nextSession(home);
    assert.deepEqual(tallyNames(home), [mine], "the running session's stays");
    assert.ok(!(await auditRecords(home)).some((r) => r["type"] === "decisions_lost"));
  } finally {
    await running.finish();
  }
  assert.deepEqual(tallyNames(home), [], "the running session removed its own at its end");
});

Deno.test("the next session refuses a lost tally with no MAC: set aside, a spool_refused record, no decisions_lost, and verify warns of it", async () => {
  await using dir = await tempDir("thoth-lost-tally-forged-");
  const home = await profileWithRules(dir.path, []);
  await nextSession(home); // The log and the device's key, as a first session makes them.
  const lost = LostTallyFile.dir(home);
  Deno.mkdirSync(lost, { recursive: true });
  const forged = { v: 1, session: "s-forged", count: 5, types: { approval: 5 }, decisionIds: [] };
  Deno.writeTextFileSync(`${lost}/s-forged.tally`, `${JSON.stringify(forged)}\n`);
  const before = await auditVerify(home);
  assert.match(before.said, /lost\/s-forged\.tally[^\n]*carries no MAC[^\n]*sets it aside/);
  await nextSession(home);
  assert.deepEqual(tallyNames(home), ["refused"]);
  assert.deepEqual([...Deno.readDirSync(`${lost}/refused`)].map((e) => e.name), [
    "s-forged.tally",
  ]);
  const records = await auditRecords(home);
  assert.ok(!records.some((r) => r["type"] === "decisions_lost"), JSON.stringify(records));
  const refused = records.filter((r) => r["type"] === "spool_refused");
  assert.equal(refused.length, 1, JSON.stringify(refused));
  assert.equal(refused[0]!["movedTo"], "lost/refused/s-forged.tally");
  const after = await auditVerify(home);
  assert.equal(after.code, 2, after.said);
  assert.match(after.said, /the lost tally "lost\/s-forged\.tally" was refused/, after.said);
  assert.doesNotMatch(after.said, /decisions_untold/, after.said);
});
