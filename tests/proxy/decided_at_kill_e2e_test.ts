/**
 * A decision a killed thoth left in its spool keeps the time it was made:
 * a real `thoth run` session in front of server-everything decides a call
 * while the test holds the audit log's lock (so its batch cannot reach the
 * log), and is killed with SIGKILL; a later session takes the spool in, and
 * the decision's record carries `decidedAt` (its time, before the kill) as
 * well as its own `ts` (the later write), and `spool_recovered` carries the
 * spool file's `openedAt`. A decision written on time carries no
 * `decidedAt`. A spool line of an earlier release (no time) beside it is
 * taken in as before, with no `decidedAt`. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import type { DecisionEvent } from "../../src/audit/record.ts";
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
import { spoolMacOf } from "../audit/_spool_mac.ts";
import { auditVerify, echoCall, oneDecisionLogged, spoolFiles, until } from "./_spooled_session.ts";

const FLAGS = ["--agent-id", "everything", "--enforcement-mode", "block"];

/** A decision of an earlier release's session, as its spool held it (no time). */
function oldDecision(session: string): DecisionEvent {
  return {
    type: "decision",
    session,
    server: "everything",
    tool: "echo",
    decisionId: "d-00000000000000aa",
    verdict: "allow",
    ruleIds: [],
    reasons: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    effect: "forwarded",
    args: { digest: "", shape: { t: "null" } },
  };
}

Deno.test("a decision a killed thoth left in its spool is recorded with the time it was made (decidedAt), and spool_recovered with the file's openedAt", async () => {
  await using dir = await tempDir("thoth-decided-at-");
  const home = await profileWithRules(dir.path, []);
  const peer = new RawPeer(throughThoth(everythingArgv(), FLAGS), testEnv({ THOTH_HOME: home }));
  let lock: Deno.FsFile | undefined;
  let before = 0;
  let after = 0;
  try {
    // Its decision is in the log once its spool file is gone.
    await oneDecisionLogged(peer, home, "on time");
    // The test holds the writers' lock: the session's next batch cannot be written.
    lock = await Deno.open(`${home}/audit/.lock`, { read: true, write: true });
    await lock.lock(true);
    before = Date.now();
    await peer.send(echoCall(3, "left in the spool"));
    const holds = () =>
      spoolFiles(home).some((name) =>
        Deno.readTextFileSync(`${DecisionSpool.dir(home)}/${name}`).includes('"type":"decision"')
      );
    await until(holds, "the second decision is in the spool");
    after = Date.now();
    peer.child.kill("SIGKILL");
  } finally {
    await peer.finish();
    lock?.close();
  }
  const [left] = spoolFiles(home);
  assert.ok(left !== undefined);
  const session = /^(.+)-\d+\.jsonl$/.exec(left)![1]!;
  // A spool file of an earlier release's session beside it: MAC'd lines without a time.
  const mac = await spoolMacOf(home);
  writeSpoolFile(
    `${DecisionSpool.dir(home)}/s-00000000000000ee-1.jsonl`,
    {
      mac: mac.forSession("s-00000000000000ee"),
      bodies: [JSON.stringify(oldDecision("s-00000000000000ee"))],
    },
    before,
  );
  // Both look a few minutes old, as if the next session started later.
  const old = new Date(Date.now() - 300_000);
  for (const name of spoolFiles(home)) {
    Deno.utimeSync(`${DecisionSpool.dir(home)}/${name}`, old, old);
  }
  // Recorded well over a second after the decision.
  await new Promise((r) => setTimeout(r, 1500));
  const next = new RawPeer(throughThoth(everythingArgv(), FLAGS), testEnv({ THOTH_HOME: home }));
  try {
    await next.send(initializeRequest(1));
    await next.responseTo(1, 60_000);
  } finally {
    await next.finish();
  }
  assert.deepEqual(spoolFiles(home), [], next.stderr);
  const records = await auditRecords(home);
  const decisions = records.filter((r) => r["type"] === "decision");
  assert.equal(decisions.length, 3, JSON.stringify(decisions));
  const [onTime, recovered] = decisions.filter((r) => r["session"] === session);
  assert.ok(onTime !== undefined && recovered !== undefined, JSON.stringify(decisions));
  assert.equal(onTime["decidedAt"], undefined, "a decision written on time carries ts only");
  const decidedAt = Date.parse(String(recovered["decidedAt"]));
  assert.ok(
    decidedAt >= before && decidedAt <= after,
    `decidedAt ${recovered["decidedAt"]} is when it was decided (between ${
      new Date(before).toISOString()
    } and ${new Date(after).toISOString()})`,
  );
  assert.ok(Date.parse(String(recovered["ts"])) > after + 1000, "ts is when it was written");
  const earlier = decisions.find((r) => r["session"] === "s-00000000000000ee");
  assert.ok(earlier !== undefined, "a spool line of an earlier release is taken in");
  assert.equal(earlier["decidedAt"], undefined, "it has no time of its own to carry");
  const recoveries = new Map(
    records.filter((r) => r["type"] === "spool_recovered").map((r) => [String(r["file"]), r]),
  );
  const opened = Date.parse(String(recoveries.get(left)?.["openedAt"]));
  assert.ok(opened >= before && opened <= decidedAt, JSON.stringify(recoveries.get(left)));
  // The field is no news to verify: the log is intact.
  const verified = await auditVerify(home);
  assert.notEqual(verified.code, 1, verified.said);
  // `audit show` puts it in the period it was decided in, though it was written later.
  const [showCommand, ...showArgs] = thothArgv([
    "audit",
    "show",
    "--json",
    "--since",
    new Date(before).toISOString(),
    "--until",
    new Date(after).toISOString(),
  ]);
  const shown = await new Deno.Command(showCommand!, {
    args: showArgs,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const shownText = new TextDecoder().decode(shown.stdout);
  assert.equal(shown.code, 0, shownText + new TextDecoder().decode(shown.stderr));
  const shownIds = shownText.split("\n").filter((line) => line !== "")
    .map((line) => JSON.parse(line))
    .filter((r) => r["type"] === "decision").map((r) => r["decisionId"]);
  assert.ok(
    shownIds.includes(recovered["decisionId"]),
    `the decision written late is shown in the period it was decided in: ${shownText}`,
  );
});
