/**
 * A stateless retry is the call that asked (not counted again in progressive
 * mode) only once per state: the state it carries, the server's own
 * follow-up state or thoth's sealed one, is reserved when the retry is
 * recognised, so a second retry carrying the same state back to back is a
 * new call and counted as one. A retry marked as the call that asked whose
 * state turns out spent is refused as already used, never asked about anew
 * from a decision that counted nothing.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { markApprovalRetry } from "../../src/enforcer/enforcer.ts";
import { LocalEnforcer } from "../../src/enforcer/local_enforcer.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { RelaySession } from "../../src/proxy/relay_session.ts";
import { type Json, STATELESS_META, toolCall } from "./_governed_peer.ts";

const PROGRESSIVE = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-echo", match: { tool: "echo" }, decision: "step_up" }],
  // The first violation asks; every later one is blocked.
  progressive: { window: "1h", stepUpAfter: 0, blockAfter: 1 },
};
const YES = { [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } } };
const echo = (id: number, extra: Record<string, unknown> = {}) =>
  toolCall(id, "echo", { note: "hello" }, { _meta: STATELESS_META, ...extra });
const line = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) + "\n");

/**
 * A relay in progressive mode before a server that answers every call with
 * an `input_required` of its own (`srv-1`, `srv-2`, …) and runs none.
 */
function progressiveRelay() {
  const policy = compilePolicy(parsePolicy(JSON.stringify(PROGRESSIVE), "p.jsonc"));
  const enforcer = new LocalEnforcer({ policy, mode: "progressive", userId: "ana" });
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    dialog: false,
  });
  const toClient: Json[] = [];
  const received: Json[] = [];
  const decisions: { id: unknown; decision: string; reason: string }[] = [];
  let n = 0;
  let issued = 0;
  // deno-lint-ignore prefer-const
  let session: RelaySession;
  session = new RelaySession(
    {
      toServer: (bytes) => {
        const message = JSON.parse(new TextDecoder().decode(bytes));
        if (message.method === "tools/list") {
          // thoth lists the tools before the first call: there are none to annotate.
          const list = { jsonrpc: "2.0", id: message.id, result: { tools: [] } };
          queueMicrotask(() => session.fromServer(line(list)));
          return;
        }
        received.push(message);
        const result = {
          resultType: "input_required",
          requestState: `srv-${++issued}`,
          inputRequests: {},
        };
        queueMicrotask(() => session.fromServer(line({ jsonrpc: "2.0", id: message.id, result })));
      },
      toClient: (bytes) => toClient.push(JSON.parse(new TextDecoder().decode(bytes))),
      note: () => {},
    },
    {
      server: "fault",
      enforcer,
      newDecisionId: () => `d-${++n}`,
      nonce: "t",
      approver,
      events: {
        decision: (_call, verdict, id) =>
          decisions.push({ id, decision: verdict.decision, reason: verdict.reasons[0] ?? "" }),
        outcome: (id, tool, _e, _d, result) => approver.serverAnswered(id, tool, result),
        answered: (id) => approver.callEnded(id),
      },
    },
  );
  const reply = async (id: number): Promise<Json> => {
    for (let i = 0; i < 300; i++) {
      const found = toClient.find((m) => m.id === id);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no reply to ${id}: ${JSON.stringify(toClient)}`);
  };
  return { session, received, decisions, reply, approver };
}

// The arguments' digest, which a follow-up state is bound to, is taken with Web Crypto, whose
// digests may finish in either order: which of two retries sent back to back takes the state is
// not fixed, but only one does.
Deno.test("progressive mode: of two retries carrying one server follow-up state, only one goes uncounted", async () => {
  const { session, received, decisions, reply, approver } = progressiveRelay();
  let ran: number;
  try {
    session.fromClient(line(echo(1)));
    const ours = (await reply(1)).result.requestState;
    session.fromClient(line(echo(2, { requestState: ours, inputResponses: YES })));
    const state = (await reply(2)).result.requestState;
    assert.equal(state, "srv-1", "the server asked its own question");
    // Two retries with the server's state, back to back.
    session.fromClient(line(echo(3, { requestState: state, inputResponses: { q: {} } })));
    session.fromClient(line(echo(4, { requestState: state, inputResponses: { q: {} } })));
    const replies = [await reply(3), await reply(4)];
    const forwarded = replies.filter((r) => r.result?.requestState === "srv-2");
    assert.equal(forwarded.length, 1, `one of them went to the server: ${JSON.stringify(replies)}`);
    ran = forwarded[0]!.id as number;
    const other = JSON.stringify(replies.find((r) => r.id !== ran));
    assert.doesNotMatch(other, /input_required/, "thoth asked no new question about it");
    assert.match(other, /violation 2 of rule \\"ask-echo\\"/, "it was counted: blocked");
    // The next call climbs on from there.
    session.fromClient(line(echo(5)));
    assert.match(JSON.stringify(await reply(5)), /violation 3 of rule \\"ask-echo\\"/);
  } finally {
    approver.endSession();
  }
  assert.deepEqual(received.map((m) => m.id), [2, ran]);
  const uncounted = decisions.filter((d) => /not counted again/.test(d.reason)).map((d) => d.id);
  assert.deepEqual(uncounted, [2, ran], JSON.stringify(decisions));
});

// Thoth's state is checked with Web Crypto, whose checks may finish in either order: which of
// two retries sent back to back takes it is not fixed, but only one does.
Deno.test("progressive mode: of two retries carrying one answer in thoth's state, only one goes uncounted", async () => {
  const { session, received, decisions, reply, approver } = progressiveRelay();
  let ran: number;
  try {
    session.fromClient(line(echo(1)));
    const ours = (await reply(1)).result.requestState;
    session.fromClient(line(echo(2, { requestState: ours, inputResponses: YES })));
    session.fromClient(line(echo(3, { requestState: ours, inputResponses: YES })));
    const replies = [await reply(2), await reply(3)];
    const forwarded = replies.filter((r) => r.result?.requestState === "srv-1");
    assert.equal(forwarded.length, 1, `one of them ran: ${JSON.stringify(replies)}`);
    ran = forwarded[0]!.id as number;
    const other = JSON.stringify(replies.find((r) => r.id !== ran));
    assert.doesNotMatch(other, /input_required/);
    assert.match(other, /violation 2 of rule \\"ask-echo\\"/, "the other was counted: blocked");
  } finally {
    approver.endSession();
  }
  assert.deepEqual(received.map((m) => m.id), [ran]);
  const uncounted = decisions.filter((d) => /not counted again/.test(d.reason)).map((d) => d.id);
  assert.deepEqual(uncounted, [ran]);
});

Deno.test("a retry marked as the call that asked whose reservation is gone is refused, not asked about anew", async () => {
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    dialog: false,
  });
  const call: ToolCall = {
    server: "fault",
    tool: "echo",
    arguments: { note: "hello" },
    annotations: undefined,
    listed: false,
    era: "stateless",
    protocolVersion: "2026-07-28",
  };
  const params = { ...echo(7, { requestState: "srv-9", inputResponses: { q: {} } }).params };
  for (const kind of ["follow_up", "answer"] as const) {
    // A mark recognition never reserved anything for (or whose reservation was used).
    const marked = markApprovalRetry(call, { kind, askedDecisionId: "d-1" });
    const step = await approver.stateless({
      call: marked,
      verdict: { decision: "step_up", decisionId: "d-2", ruleIds: ["ask-echo"], reasons: [] },
      requestId: 7,
      progressToken: undefined,
      signal: new AbortController().signal,
      client: {
        elicitation: false,
        request: () => Promise.reject(new Error("no forms here")),
        notify: () => {},
      },
    }, params);
    assert.equal(step.kind, "decided", kind);
    if (step.kind !== "decided") continue;
    assert.equal(step.outcome.approved, false);
    assert.match(step.outcome.why, /already used once/);
  }
  approver.endSession();
});
