/**
 * A decision that comes after its deadline, when thoth had already blocked
 * the call (`thoth.decision_timeout`), keeps its own audit record (which
 * says "forwarded"), and that record is followed by a cancellation naming
 * it by its decision id: also when the client has used the call's id for
 * another request by then (whose records stay its own), and for a tool a
 * model chose in a sampling answer thoth refused at the deadline. Real
 * SessionAudit under a temp THOTH_HOME, hearing the relay's events as
 * `thoth run` does (`build_session_enforcer.ts`); the log verifies.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { withTimeoutRecords } from "../../src/proxy/decision_timeout_records.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession, within } from "./_proxied_session.ts";
import { logRecords, newSessionAudit } from "./_session_audit_harness.ts";
import { call, line, rawRelay } from "./_raw_relay.ts";
import { RESULT, sampling, sent } from "./_sampling_answer.ts";

/** Resolves once `ready()` holds (checked every 10 ms), or fails after 10 s. */
function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  return within(
    (async () => {
      while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    10_000,
    what,
  );
}

Deno.test("a late ALLOW is cancelled by its decision id when the client reused the call's id", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const log = `${home}/server.log`;
  const { audit, notes } = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
    session: "s-reused",
  });
  await audit.start("fault", [], []);
  let decideLate!: (verdict: Verdict) => void;
  let first = true;
  const stuckOnce: Enforcer = {
    name: "stuck-once",
    decide: (call, ids) => {
      if (call.tool === "slow" && first) {
        first = false;
        return new Promise<Verdict>((resolve) => decideLate = resolve);
      }
      return { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
    },
  };
  const s = proxiedSession(faultArgv(["--log", log]), {
    enforcer: audit.wrapEnforcer(stuckOnce),
    events: withTimeoutRecords(audit.events(), audit, (m) => notes.push(m)),
    decisionDeadlineMs: 300,
  });
  const answerTo = async (id: number) => {
    for (;;) {
      const message = await s.next(10_000);
      if (message["id"] === id) return message;
    }
  };
  await s.send(initializeRequest(1));
  await answerTo(1);
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await answerTo(2);
  await s.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "slow" } });
  const blocked = JSON.stringify(await answerTo(5));
  assert.match(blocked, /thoth\.decision_timeout/);
  // The client uses id 5 again, for a call the server is running when the late ALLOW comes.
  await s.send({
    jsonrpc: "2.0",
    id: 5,
    method: "tools/call",
    params: { name: "slow", arguments: { ms: 2000 } },
  });
  const received = () =>
    Deno.readTextFile(log).then((text) => text.includes('"tools/call"'), () => false);
  await until(received, "the server's receipt of the second call");
  decideLate({ decision: "allow", decisionId: "d-late", ruleIds: [], reasons: [] });
  const ran = JSON.stringify(await answerTo(5));
  assert.match(ran, /slow done/);
  await s.end();
  await audit.end(0, null);

  const records = await logRecords(home);
  const of = (type: string) => records.filter((r) => r["type"] === type);
  const decisions = of("decision").filter((r) => r["tool"] === "slow");
  assert.deepEqual(
    decisions.map((r) => [r["verdict"], r["effect"]]),
    [["block", "blocked"], ["allow", "forwarded"], ["allow", "forwarded"]],
    JSON.stringify(decisions),
  );
  const second = decisions.find((r) => r["decisionId"] !== "d-late" && r["verdict"] === "allow");
  assert.ok(second, JSON.stringify(decisions));
  // The late decision is cancelled by its own id; the call that ran keeps its outcome.
  assert.deepEqual(
    of("cancellation").map((r) => [r["requestId"], r["decisionId"]]),
    [[5, "d-late"]],
    JSON.stringify(of("cancellation")),
  );
  assert.match(
    String(of("cancellation")[0]!["reason"]),
    /came after the 0\.3 s deadline.*not used, and the call was not sent/,
  );
  assert.deepEqual(of("outcome").map((r) => r["decisionId"]), [second["decisionId"]]);
  assert.deepEqual(notes, []);
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("a late ALLOW on a tool chosen in a sampling answer thoth refused is cancelled", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const { audit, notes } = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
    session: "s-sampling",
  });
  await audit.start("srv", [], []);
  let allowLate!: () => void;
  const pending: Enforcer = {
    decide: (_call, ids) => {
      const decisionId = ids();
      return new Promise<Verdict>((resolve) =>
        allowLate = () => resolve({ decision: "allow", decisionId, ruleIds: [], reasons: [] })
      );
    },
  };
  const h = rawRelay({
    enforcer: audit.wrapEnforcer(pending),
    decisionDeadlineMs: 100,
    events: withTimeoutRecords(audit.events(), audit, (m) => notes.push(m)),
  });
  h.session.fromServer(line(sampling(0)));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 0, result: RESULT }));
  await until(() => h.toServer.length > 0, "the server's answer");
  assert.match(sent(h.toServer), /thoth\.decision_timeout/, "the answer was refused");
  allowLate();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await audit.end(0, null);

  const records = await logRecords(home);
  const decisions = records.filter((r) => r["type"] === "decision");
  const late = decisions.find((r) => r["verdict"] === "allow");
  assert.ok(late, JSON.stringify(decisions));
  assert.equal(late["effect"], "forwarded");
  const cancellations = records.filter((r) => r["type"] === "cancellation");
  assert.deepEqual(
    cancellations.map((r) => [r["requestId"], r["decisionId"]]),
    [[0, late["decisionId"]]],
    JSON.stringify(cancellations),
  );
  assert.match(
    String(cancellations[0]!["reason"]),
    /came after the 0\.1 s deadline, when thoth had already refused the sampling answer.*the tool did not run/,
  );
  assert.deepEqual(notes, []);
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("a decision that comes once the client cancelled its call is cancelled by its decision id", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  const { audit, notes } = newSessionAudit(home, await openAuditLog({ thothHome: home }), {
    session: "s-cancelled",
  });
  await audit.start("srv", [], []);
  let allow: (() => void) | undefined;
  const pending: Enforcer = {
    decide: (_call, ids) => {
      const decisionId = ids();
      return new Promise<Verdict>((resolve) =>
        allow = () => resolve({ decision: "allow", decisionId, ruleIds: [], reasons: [] })
      );
    },
  };
  const h = rawRelay({
    enforcer: audit.wrapEnforcer(pending),
    events: withTimeoutRecords(audit.events(), audit, (m) => notes.push(m)),
  });
  h.session.fromClient(call(5, "write_file"));
  await until(() => allow !== undefined, "the decision to be asked for");
  h.session.fromClient(line({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId: 5 },
  }));
  allow!();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await audit.end(0, null);
  assert.deepEqual(h.toServer, [], "the cancelled call never reached the server");

  const records = await logRecords(home);
  const decision = records.find((r) => r["type"] === "decision");
  assert.equal(decision?.["effect"], "forwarded", JSON.stringify(records));
  const cancellations = records.filter((r) => r["type"] === "cancellation");
  assert.deepEqual(
    cancellations.map((r) => [r["requestId"], r["decisionId"]]),
    [[5, undefined], [5, decision["decisionId"]]],
    JSON.stringify(cancellations),
  );
  assert.match(String(cancellations[0]!["reason"]), /the client cancelled the call/);
  assert.match(
    String(cancellations[1]!["reason"]),
    /came after the call had ended without reaching the server.*not used/,
  );
  assert.deepEqual(notes, []);
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});
