/**
 * Progressive mode meets the stateless (2026-07-28) approval round trip and
 * the session choice. The client's retry that carries a person's answer in
 * thoth's sealed state is the call that asked, not a new violation: it is
 * decided at the rung that asked and not counted again, and the answer is
 * recorded whatever happens to the call. "Allow for this session" is not
 * offered in progressive mode, where every repeat climbs the ladder, and
 * the person is told why.
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import { APPROVAL_INPUT_KEY } from "../../src/approval/input_required.ts";
import { LocalEnforcer } from "../../src/enforcer/local_enforcer.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import {
  type ApprovalOutcome,
  type Approver,
  RelaySession,
  type StatelessApprovalStep,
} from "../../src/proxy/relay_session.ts";
import {
  auditRecords,
  GovernedPeer,
  type Json,
  queuedId,
  STATELESS_META,
  thothCli,
  toolCall,
} from "./_governed_peer.ts";

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

Deno.test("progressive mode: a stateless client's approved retry runs at the rung that asked, uncounted, its yes recorded", async () => {
  const peer = await GovernedPeer.start(PROGRESSIVE, {
    flags: ["--enforcement-mode", "progressive"],
  });
  try {
    await peer.send(echo(1));
    const asked = (await peer.wait((m) => m.id === 1)).result;
    assert.equal(asked.resultType, "input_required", JSON.stringify(asked));
    await peer.send(echo(2, { requestState: asked.requestState, inputResponses: YES }));
    const ran = await peer.wait((m) => m.id === 2);
    assert.equal(ran.result?.isError, undefined, JSON.stringify(ran));
    assert.match(JSON.stringify(ran), /echo: \{\\"note\\":\\"hello\\"\}/);
    // A new call is the second violation, not the third: the retry was not counted.
    await peer.send(echo(3));
    const blocked = await peer.wait((m) => m.id === 3);
    assert.match(JSON.stringify(blocked), /progressive mode: violation 2 of rule \\"ask-echo\\"/);
  } finally {
    await peer.finish();
  }
  const calls = await peer.serverCalls();
  assert.deepEqual(calls.map((c) => c.id), [2], "only the approved retry reached the server");
  assert.equal(calls[0].params.requestState, undefined);
  const decisions = await auditRecords(peer.home, "decision");
  const approvals = await auditRecords(peer.home, "approval");
  assert.deepEqual(
    approvals.map((r) => [r.decisionId, r.retryDecisionId, r.outcome, r.channel]),
    [[decisions[0].decisionId, decisions[1].decisionId, "approved", "elicitation"]],
  );
  assert.match(decisions[1].reasons[0], /not counted again: needs approval/);
});

Deno.test("progressive mode: a retry blocked before its answer could count still leaves an approval record", async () => {
  const peer = await GovernedPeer.start(PROGRESSIVE, {
    flags: ["--enforcement-mode", "progressive"],
  });
  try {
    await peer.send(echo(1));
    const asked = (await peer.wait((m) => m.id === 1)).result;
    // A state altered on the way is no retry thoth recognises: a new violation, blocked.
    const state = String(asked.requestState);
    const altered = state.slice(0, -2) + (state.endsWith("AA") ? "BB" : "AA");
    await peer.send(echo(2, { requestState: altered, inputResponses: YES }));
    const blocked = await peer.wait((m) => m.id === 2);
    assert.match(JSON.stringify(blocked), /blocked/);
    assert.match(JSON.stringify(blocked), /violation 2/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
  const decisions = await auditRecords(peer.home, "decision");
  const approvals = await auditRecords(peer.home, "approval");
  assert.equal(approvals.length, 2, "the answer the blocked retry carried is on record");
  assert.equal(approvals[0].decisionId, decisions[1].decisionId);
  // An altered state is thoth's refusal, not a person's denial.
  assert.equal(approvals[0].outcome, "error");
  // The question no retry answered is closed at the session's end.
  assert.deepEqual([approvals[1].decisionId, approvals[1].outcome], [
    decisions[0].decisionId,
    "cancelled",
  ]);
});

Deno.test("a retry the enforcer blocks has the person's answer recorded as not used, against the call that asked", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const stateless = approver.stateless.bind(approver);
  const recorded: { decisionId: string; outcome: ApprovalOutcome }[] = [];
  // What the audit's wrapper sees: every decided step of the stateless flow.
  const watched: Approver = Object.assign((r: Parameters<Approver>[0]) => approver(r), {
    stateless: async (r: Parameters<Approver>[0], params: unknown) => {
      const step: StatelessApprovalStep = await stateless(r, params);
      if (step.kind === "decided") {
        recorded.push({ decisionId: r.verdict.decisionId, outcome: step.outcome });
      }
      return step;
    },
    recogniseRetry: approver.recogniseRetry,
  });
  let n = 0;
  const toClient: Json[] = [];
  const toServer: Json[] = [];
  const session = new RelaySession(
    {
      toServer: (b) => {
        const m = JSON.parse(new TextDecoder().decode(b));
        if (m.method === "tools/list") {
          // thoth lists the tools before the first call: there are none to annotate.
          const list = { jsonrpc: "2.0", id: m.id, result: { tools: [] } };
          queueMicrotask(() => session.fromServer(line(list)));
          return;
        }
        toServer.push(m);
      },
      toClient: (b) => toClient.push(JSON.parse(new TextDecoder().decode(b))),
      note: () => {},
    },
    {
      server: "fs",
      // The first call asks; anything after it is blocked (say the audit failed).
      enforcer: {
        decide: (_call, ids): Verdict =>
          n++ === 0
            ? { decision: "step_up", decisionId: ids(), ruleIds: ["ask"], reasons: [] }
            : { decision: "block", decisionId: ids(), ruleIds: ["audit.unwritable"], reasons: [] },
      },
      newDecisionId: () => `d-${n}`,
      nonce: "t",
      approver: watched,
    },
  );
  const line = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) + "\n");
  const reply = async (id: number) => {
    for (let i = 0; i < 100; i++) {
      const found = toClient.find((m) => m.id === id);
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no reply to ${id}`);
  };
  session.fromClient(line(toolCall(1, "write", { p: 1 }, { _meta: STATELESS_META })));
  const state = (await reply(1)).result.requestState;
  session.fromClient(
    line(
      toolCall(2, "write", { p: 1 }, {
        _meta: STATELESS_META,
        requestState: state,
        inputResponses: YES,
      }),
    ),
  );
  assert.match(JSON.stringify(await reply(2)), /thoth cannot record this call in its audit log/);
  assert.deepEqual(toServer, []);
  assert.equal(recorded.length, 1);
  const { decisionId, outcome } = recorded[0]!;
  assert.equal(decisionId, "d-2", "recorded with the retry's decision");
  assert.equal(outcome.askedDecisionId, "d-1", "and the decision that asked");
  assert.equal(outcome.approved, false);
  assert.equal(outcome.kind, "denied");
  assert.equal(outcome.approver, "ana via the MCP client");
  assert.match(outcome.why, /gave a yes, which was not used: thoth blocked the call/);
  // The state was spent with it: the same answer cannot come back later.
  n = 0;
  session.fromClient(
    line(
      toolCall(3, "write", { p: 1 }, {
        _meta: STATELESS_META,
        requestState: state,
        inputResponses: YES,
      }),
    ),
  );
  assert.match(JSON.stringify(await reply(3)), /already used once/);
});

Deno.test("progressive mode: the server's own follow-up on a call a person allowed is not counted either", async () => {
  const policy = compilePolicy(parsePolicy(JSON.stringify(PROGRESSIVE), "p.jsonc"));
  const enforcer = new LocalEnforcer({ policy, mode: "progressive", userId: "ana" });
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const toClient: Json[] = [];
  const received: Json[] = [];
  let n = 0;
  // deno-lint-ignore prefer-const
  let session: RelaySession;
  const line = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) + "\n");
  session = new RelaySession(
    {
      // A server that asks a question of its own once, then runs the call.
      toServer: (b) => {
        const m = JSON.parse(new TextDecoder().decode(b));
        if (m.method === "tools/list") {
          // thoth lists the tools before the first call: there are none to annotate.
          const list = { jsonrpc: "2.0", id: m.id, result: { tools: [] } };
          queueMicrotask(() => session.fromServer(line(list)));
          return;
        }
        received.push(m);
        const result = m.params.requestState === "srv-R"
          ? { content: [{ type: "text", text: "ran" }] }
          : { resultType: "input_required", requestState: "srv-R", inputRequests: {} };
        queueMicrotask(() => session.fromServer(line({ jsonrpc: "2.0", id: m.id, result })));
      },
      toClient: (b) => toClient.push(JSON.parse(new TextDecoder().decode(b))),
      note: () => {},
    },
    {
      server: "fault",
      enforcer,
      newDecisionId: () => `d-${++n}`,
      nonce: "t",
      approver,
      events: {
        outcome: (id, tool, _e, _d, result) => approver.serverAnswered(id, tool, result),
      },
    },
  );
  const reply = async (id: number) => {
    for (let i = 0; i < 100; i++) {
      const found = toClient.find((m) => m.id === id);
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no reply to ${id}: ${JSON.stringify(toClient)}`);
  };
  session.fromClient(line(echo(1)));
  const ours = (await reply(1)).result.requestState;
  session.fromClient(line(echo(2, { requestState: ours, inputResponses: YES })));
  assert.equal((await reply(2)).result.requestState, "srv-R", "the server asked its own question");
  session.fromClient(line(echo(3, { requestState: "srv-R", inputResponses: { q: {} } })));
  assert.deepEqual((await reply(3)).result.content, [{ type: "text", text: "ran" }]);
  assert.deepEqual(received.map((m) => m.id), [2, 3]);
});

Deno.test("progressive mode offers no 'allow for this session', says why, and the queue refuses --session", async () => {
  const peer = await GovernedPeer.start(PROGRESSIVE, {
    flags: ["--enforcement-mode", "progressive", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "echo", { note: "hi" }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    const choices = form.params.requestedSchema.properties.decision.oneOf.map((o: Json) => o.const);
    assert.deepEqual(choices, ["approve", "deny"]);
    assert.match(
      form.params.message,
      /"Allow for this session" is not offered: in progressive mode/,
    );
    await peer.send({ jsonrpc: "2.0", id: form.id, result: { action: "decline" } });
    await peer.wait((m) => m.id === 1);
  } finally {
    await peer.finish();
  }
  const queued = await GovernedPeer.start(
    { ...PROGRESSIVE, progressive: { window: "1h", stepUpAfter: 0, blockAfter: 5 } },
    { flags: ["--enforcement-mode", "progressive", "--approval-timeout", "30"], capabilities: {} },
  );
  try {
    await queued.send(toolCall(1, "echo", { note: "hi" }));
    const id = await queuedId(queued);
    const session = await thothCli(queued.home, ["approvals", "approve", id, "--session"]);
    assert.equal(session.code, 1, session.stdout);
    assert.match(session.stderr, /cannot be allowed for the session/);
    assert.match(session.stderr, /not offered in progressive mode/);
    const once = await thothCli(queued.home, ["approvals", "approve", id]);
    assert.equal(once.code, 0, once.stderr);
    const ran = await queued.wait((m) => m.id === 1);
    assert.equal(ran.result?.isError, undefined, JSON.stringify(ran));
  } finally {
    await queued.finish();
  }
});
