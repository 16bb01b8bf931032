import assert from "node:assert/strict";
import { DecisionTracker } from "../../src/proxy/decision_tracker.ts";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";

const call = { server: "s", tool: "t", arguments: {} } as unknown as ToolCall;
const verdict: Verdict = { decision: "allow", decisionId: "d-1", ruleIds: [], reasons: [] };
const later = <T>(value: T, ms: number) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

Deno.test("DecisionTracker counts decisions given later, and none given at once", async () => {
  const tracker = new DecisionTracker();
  const now = tracker.enforcer({ name: "now", decide: () => verdict });
  assert.equal(now.decide(call, () => "d"), verdict, "a verdict decided at once is passed as is");
  assert.equal(now.name, "now");
  assert.equal(tracker.waiting, 0);
  const slow = tracker.enforcer({ decide: () => later(verdict, 50) } satisfies Enforcer);
  const pending = slow.decide(call, () => "d");
  assert.equal(tracker.waiting, 1);
  const stop = new AbortController();
  assert.equal(await tracker.settled(2000, stop.signal), true);
  assert.equal(await pending, verdict);
  assert.equal(tracker.waiting, 0);
});

Deno.test("DecisionTracker counts an approver's questions and every member that answers later", async () => {
  const tracker = new DecisionTracker();
  const calls: string[] = [];
  const inner = Object.assign(
    () => later({ approved: true, why: "yes" }, 30),
    {
      stateless: () => later({ kind: "hold" as const }, 30),
      recogniseRetry(this: unknown) {
        calls.push(this === inner ? "called on the approver" : "called on something else");
        return undefined;
      },
    },
  ) as Approver;
  const approver = tracker.approver(inner);
  void approver({} as Parameters<Approver>[0]);
  void approver.stateless!({} as Parameters<Approver>[0], {});
  assert.equal(approver.recogniseRetry!(call, {}), undefined);
  assert.deepEqual(calls, ["called on the approver"]);
  assert.equal(tracker.waiting, 2);
  assert.equal(await tracker.settled(2000, new AbortController().signal), true);
});

Deno.test("DecisionTracker.settled() gives up at its bound, and at once when aborted", async () => {
  const tracker = new DecisionTracker();
  void tracker.enforcer({ decide: () => new Promise<Verdict>(() => {}) }).decide(call, () => "d");
  const started = performance.now();
  assert.equal(await tracker.settled(100, new AbortController().signal), false);
  assert.ok(performance.now() - started >= 90);
  const stop = new AbortController();
  const waiting = tracker.settled(60_000, stop.signal);
  stop.abort();
  assert.equal(await waiting, false);
});
