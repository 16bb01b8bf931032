/**
 * The audit evidence of calls blocked at their decision deadline, with a
 * real SessionAudit (its log under a temp THOTH_HOME) wrapping the enforcer
 * and hearing the relay's events as `thoth run` does
 * (`build_session_enforcer.ts`): each such call has a decision record like
 * any block's (verdict block, effect blocked, rule `thoth.decision_timeout`,
 * the decision id the client was told); a call whose decision comes too late
 * keeps that decision's own record too (which says "forwarded"), followed by
 * a cancellation that links it and says it was not used. The log verifies.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession } from "./_proxied_session.ts";
import { logRecords, newSessionAudit } from "./_session_audit_harness.ts";
import { withTimeoutRecords } from "../../src/proxy/decision_timeout_records.ts";

Deno.test("runProxy() records calls blocked at their decision deadline in the audit log", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const log = `${home}/server.log`;
  const { audit, notes } = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
    session: "s-deadline",
  });
  await audit.start("fault", [], []);
  let decideLate!: (verdict: Verdict) => void;
  const stuck: Enforcer = {
    name: "stuck",
    decide: (call, ids) => {
      if (call.tool === "echo") return new Promise<Verdict>(() => {});
      if (call.tool === "slow") return new Promise<Verdict>((resolve) => decideLate = resolve);
      return { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
    },
  };
  const s = proxiedSession(faultArgv(["--log", log]), {
    enforcer: audit.wrapEnforcer(stuck),
    events: withTimeoutRecords(audit.events(), audit, (m) => notes.push(m)),
    decisionDeadlineMs: 300,
  });
  const answerTo = async (id: number) => {
    for (;;) {
      const message = await s.next(10_000);
      if (message["id"] === id) return message;
    }
  };
  const blockedDecision = (answer: Record<string, unknown>) => {
    const text = String(
      (answer["result"] as { content?: { text?: string }[] }).content?.[0]?.text,
    );
    assert.match(text, /thoth\.decision_timeout/, text);
    return /Decision (\S+)\./.exec(text)![1]!;
  };
  await s.send(initializeRequest(1));
  await answerTo(1);
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await answerTo(2);
  await s.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo" } });
  const neverDecided = blockedDecision(await answerTo(3));
  await s.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow" } });
  const decidedLate = blockedDecision(await answerTo(5));
  decideLate({ decision: "allow", decisionId: "d-late", ruleIds: [], reasons: [] });
  await s.send({ jsonrpc: "2.0", id: 6, method: "ping" });
  await answerTo(6);
  await s.end();
  await audit.end(0, null);

  const records = await logRecords(home);
  const decision = (id: string) =>
    records.find((r) => r["type"] === "decision" && r["decisionId"] === id);
  for (const id of [neverDecided, decidedLate]) {
    const record = decision(id);
    assert.ok(record, `a decision record for ${id}: ${JSON.stringify(records)}`);
    assert.equal(record["verdict"], "block");
    assert.equal(record["effect"], "blocked");
    assert.deepEqual(record["ruleIds"], ["thoth.decision_timeout"]);
    assert.equal(record["tool"], id === neverDecided ? "echo" : "slow");
  }
  // The late decision's own record says what its enforcer said; a cancellation corrects it.
  assert.equal(decision("d-late")?.["effect"], "forwarded");
  const cancellations = records.filter((r) => r["type"] === "cancellation");
  assert.deepEqual(
    cancellations.map((r) => [r["requestId"], r["decisionId"]]),
    [[5, "d-late"]],
    JSON.stringify(cancellations),
  );
  assert.match(String(cancellations[0]!["reason"]), /came after the 0\.3 s deadline.*not used/);
  assert.deepEqual(notes, []);
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
  const received = await Deno.readTextFile(log);
  assert.doesNotMatch(received, /tools\/call/, "the server never got either call");
});
