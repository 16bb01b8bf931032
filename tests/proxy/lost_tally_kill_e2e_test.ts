/**
 * A decision the spool could not take leaves a trace a kill does not wipe:
 * a real `thoth run` session in front of server-everything decides a call
 * while its spool folder cannot be written (a file stands where the folder
 * was), and is killed with SIGKILL before the log hears of it; `thoth audit
 * verify` then warns (decisions_untold, exit 2) naming the session and the
 * lost decision, from the session's lost tally. When the log was told (a
 * `decisions_lost` record) before the kill, verify does not warn of it
 * again. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { everythingArgv, RawPeer, tempDir, testEnv, throughThoth } from "../e2e/_harness.ts";
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
