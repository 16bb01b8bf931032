/**
 * Decisions a session could write nowhere are not dropped without a trace:
 * a real `thoth run` session in front of server-everything decides two
 * calls while its spool folder cannot be written (a file stands where the
 * folder was), then the folder is back and a third call is recorded; the
 * log then holds one `decisions_lost` record, before the third decision,
 * naming the two lost decision ids (as stderr named them) and the time
 * window they were made in. In block mode their calls were refused; in
 * observe mode they were forwarded, and their outcome records name
 * decisions the `decisions_lost` record lists. `thoth audit verify` reads
 * the record without calling the log damaged. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { everythingArgv, RawPeer, tempDir, testEnv, throughThoth } from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";
import { auditVerify, echoCall, oneDecisionLogged } from "./_spooled_session.ts";

async function lostWhileSpoolUnwritable(mode: "block" | "observe"): Promise<void> {
  await using dir = await tempDir("thoth-decisions-lost-");
  const home = await profileWithRules(dir.path, []);
  const flags = ["--agent-id", "everything", "--enforcement-mode", mode];
  const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
  const spool = DecisionSpool.dir(home);
  let before = 0;
  let after = 0;
  try {
    await oneDecisionLogged(peer, home);
    // The spool cannot be written: a file stands where its folder was.
    Deno.renameSync(spool, `${spool}.away`);
    Deno.writeTextFileSync(spool, "");
    before = Date.now();
    for (const id of [3, 4]) {
      await peer.send(echoCall(id));
      const answer = await peer.responseTo(id, 30_000);
      if (mode === "observe") assert.ok("result" in answer, JSON.stringify(answer));
    }
    after = Date.now();
    Deno.removeSync(spool);
    Deno.renameSync(`${spool}.away`, spool);
    await peer.send(echoCall(5));
    assert.ok("result" in await peer.responseTo(5, 30_000), peer.stderr);
  } finally {
    await peer.finish();
  }
  const lostIds = [...peer.stderr.matchAll(/decision (d-[0-9a-f]{16}) \(tool "echo"[^\n]*is LOST/g)]
    .map((m) => m[1]!);
  assert.equal(lostIds.length, 2, peer.stderr);
  const records = await auditRecords(home);
  const lost = records.filter((r) => r["type"] === "decisions_lost");
  assert.equal(lost.length, 1, JSON.stringify(records.map((r) => r["type"])));
  const [told] = lost;
  assert.equal(told!["count"], 2);
  assert.deepEqual(told!["decisionIds"], lostIds);
  const from = Date.parse(String(told!["from"]));
  const untilMs = Date.parse(String(told!["until"]));
  assert.ok(before <= from && from <= untilMs && untilMs <= after, JSON.stringify(told));
  assert.match(String(told!["reason"]), /audit spool/);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.equal(decisions.length, 2, "the lost decisions are recorded nowhere else");
  assert.ok(
    Number(told!["seq"]) < Number(decisions[1]!["seq"]),
    "the log hears of them before the next decision",
  );
  if (mode === "observe") {
    // Forwarded anyway: their outcomes name decisions the record lists.
    const outcomes = records.filter((r) => r["type"] === "outcome")
      .map((r) => String(r["decisionId"]));
    for (const id of lostIds) assert.ok(outcomes.includes(id), JSON.stringify(outcomes));
  }
  const { code, said } = await auditVerify(home);
  assert.notEqual(code, 1, said);
  assert.doesNotMatch(said, /unknown/i, said);
}

Deno.test("decisions the spool could not take are named in one decisions_lost record once it can be written again (block mode)", async () => {
  await lostWhileSpoolUnwritable("block");
});

Deno.test("in observe mode the outcomes of calls forwarded without a decision name the decisions a decisions_lost record lists", async () => {
  await lostWhileSpoolUnwritable("observe");
});
