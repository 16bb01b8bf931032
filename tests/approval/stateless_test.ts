import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import {
  APPROVAL_INPUT_KEY,
  declaresStatelessElicitation,
  stripApprovalRetry,
} from "../../src/approval/input_required.ts";
import { RequestStateSealer } from "../../src/approval/request_state.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { stepUpRequest } from "./_relay_harness.ts";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

function request(args: Record<string, unknown>, decisionId = "d-1"): ApprovalRequest {
  return stepUpRequest(
    { server: "fs", tool: "write_file", era: "stateless", protocolVersion: "2026-07-28" },
    args,
    decisionId,
    "w",
  );
}

Deno.test("RequestStateSealer seals, and refuses tampered, expired, reused or re-aimed states", async () => {
  const sealer = await RequestStateSealer.create(new Uint8Array(32).fill(7));
  const state = await sealer.seal({ digest: "d1", decisionId: "x", expiresAt: 1000 });
  assert.ok(RequestStateSealer.isThoth(state));
  const [head, payload, mac] = state.split(".");
  const flipped = `${head}.${payload}.${mac!.startsWith("A") ? "B" : "A"}${mac!.slice(1)}`;
  assert.deepEqual(await sealer.open(flipped, "d1", 10), { ok: false, problem: "bad_mac" });
  assert.deepEqual(await sealer.open("thoth1.x", "d1", 10), { ok: false, problem: "malformed" });
  const other = await RequestStateSealer.create(new Uint8Array(32).fill(8));
  assert.deepEqual(await other.open(state, "d1", 10), { ok: false, problem: "bad_mac" });
  assert.deepEqual(await sealer.open(state, "d1", 2000), { ok: false, problem: "expired" });
  assert.equal((await sealer.open(state, "d1", 10)).ok, true);
  assert.deepEqual(await sealer.open(state, "d1", 10), { ok: false, problem: "used" });
  const aimed = await sealer.seal({ digest: "d1", decisionId: "x", expiresAt: 1000 });
  assert.deepEqual(await sealer.open(aimed, "d2", 10), { ok: false, problem: "other_arguments" });
  assert.deepEqual(await sealer.open(aimed, "d1", 10), { ok: false, problem: "used" });
});

Deno.test("stateless approval: input_required, then the retry with the answer is admitted once", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const args = { path: "/srv/x", content: "secret" };
  const first = await approver.stateless(request(args), {
    name: "write_file",
    arguments: args,
    _meta: META,
  });
  assert.equal(first.kind, "input_required");
  if (first.kind !== "input_required") return;
  const result = first.result as {
    resultType: string;
    requestState: string;
    inputRequests: Record<string, { method: string; params: { message: string } }>;
  };
  assert.equal(result.resultType, "input_required");
  assert.equal(result.inputRequests[APPROVAL_INPUT_KEY]?.method, "elicitation/create");
  assert.ok(!JSON.stringify(result).includes("secret"));
  const retryParams = {
    name: "write_file",
    arguments: args,
    _meta: META,
    requestState: result.requestState,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } },
    },
  };
  const second = await approver.stateless(request(args), retryParams);
  assert.equal(second.kind, "decided");
  if (second.kind !== "decided") return;
  assert.equal(second.outcome.approved, true);
  assert.equal(second.outcome.approver, "ana via the MCP client");
  assert.deepEqual(second.forwardParams, { name: "write_file", arguments: args, _meta: META });
  const replay = await approver.stateless(request(args), retryParams);
  assert.equal(replay.kind === "decided" && replay.outcome.approved, false, "single use");
});

Deno.test("stateless approval: a retry with other arguments or a declined answer is refused", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const args = { path: "/srv/x" };
  const ask = async () => {
    const step = await approver.stateless(request(args), { arguments: args, _meta: META });
    assert.equal(step.kind, "input_required");
    return (step as unknown as { result: { requestState: string } }).result.requestState;
  };
  const swapped = await approver.stateless(request({ path: "/etc/passwd" }), {
    arguments: { path: "/etc/passwd" },
    requestState: await ask(),
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } },
    },
  });
  assert.equal(swapped.kind, "decided");
  assert.equal(swapped.kind === "decided" && swapped.outcome.approved, false);
  assert.match(swapped.kind === "decided" ? swapped.outcome.why : "", /different arguments/);
  const declined = await approver.stateless(request(args), {
    arguments: args,
    requestState: await ask(),
    inputResponses: { [APPROVAL_INPUT_KEY]: { action: "decline" } },
  });
  assert.match(
    declined.kind === "decided" ? declined.outcome.why : "",
    /^a person denied it$/,
  );
  assert.equal(
    declined.kind === "decided" ? declined.outcome.approver : "",
    "ana via the MCP client",
  );
});

Deno.test("stateless approval: session answers cover the same digest; no elicitation means hold", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const args = { path: "/srv/x" };
  const step = await approver.stateless(request(args), { arguments: args, _meta: META });
  const state = (step as unknown as { result: { requestState: string } }).result.requestState;
  const ok = await approver.stateless(request(args), {
    arguments: args,
    requestState: state,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "session" } },
    },
  });
  assert.equal(ok.kind === "decided" && ok.outcome.approved, true);
  const later = await approver.stateless(request(args), { arguments: args, _meta: META });
  assert.equal(later.kind === "decided" && later.outcome.channel, "grant");
  assert.deepEqual(later.kind === "decided" ? later.outcome : undefined, {
    approved: true,
    kind: "approved",
    scope: "grant",
    why: "ana via the MCP client allowed this tool with these arguments for the session",
    channel: "grant",
    approver: "ana via the MCP client",
    latencyMs: 0,
  });
  const noCaps = await approver.stateless(request({ path: "/other" }), { arguments: {} });
  assert.equal(noCaps.kind, "hold");
  assert.equal(
    declaresStatelessElicitation({ _meta: { "io.modelcontextprotocol/clientCapabilities": {} } }),
    false,
  );
  assert.equal(
    declaresStatelessElicitation({
      _meta: { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } },
    }),
    true,
  );
  assert.deepEqual(
    stripApprovalRetry({
      a: 1,
      requestState: "s",
      inputResponses: { [APPROVAL_INPUT_KEY]: {}, other: 2 },
    }),
    { a: 1, inputResponses: { other: 2 } },
  );
});

const APPROVE = { [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "approve" } } };

Deno.test("stateless approval: the answer names the call that asked, its scope and latency", async () => {
  let clock = 1_000;
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    now: () => clock,
  });
  const args = { path: "/srv/x" };
  const step = await approver.stateless(request(args, "d-ask"), { arguments: args, _meta: META });
  const state = (step as unknown as { result: { requestState: string } }).result.requestState;
  clock += 1_250;
  const retry = await approver.stateless(request(args, "d-retry"), {
    arguments: args,
    requestState: state,
    inputResponses: APPROVE,
  });
  assert.equal(retry.kind, "decided");
  if (retry.kind !== "decided") return;
  assert.equal(retry.outcome.askedDecisionId, "d-ask");
  assert.deepEqual(
    [retry.outcome.kind, retry.outcome.scope, retry.outcome.latencyMs],
    ["approved", "once", 1_250],
  );
  const replay = await approver.stateless(request(args, "d-3"), {
    arguments: args,
    requestState: state,
    inputResponses: APPROVE,
  });
  // A reused state is thoth's refusal, not a person's denial.
  assert.equal(replay.kind === "decided" && replay.outcome.kind, "error");
  assert.equal(replay.kind === "decided" && replay.outcome.askedDecisionId, undefined);
});

Deno.test("stateless approval: arguments with a number beyond 2^53 are refused, not asked about", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const args = JSON.parse('{"message_id":9007199254740993}');
  const step = await approver.stateless(request(args), { arguments: args, _meta: META });
  assert.equal(step.kind, "decided");
  if (step.kind !== "decided") return;
  assert.equal(step.outcome.approved, false);
  assert.equal(step.outcome.kind, "denied");
  assert.match(step.outcome.why, /a number \(at message_id\) beyond ±9007199254740991/);
  assert.match(step.outcome.why, /send large numbers such as IDs as strings/);
  // Without elicitation the call is held and asked about as sent, as before.
  assert.equal((await approver.stateless(request(args), { arguments: args })).kind, "hold");
  // The same number as a string is exact and asked about as usual.
  const asString = { message_id: "9007199254740993" };
  const ok = await approver.stateless(request(asString), { arguments: asString, _meta: META });
  assert.equal(ok.kind, "input_required");
});

Deno.test("stateless approval: a retry cannot carry an approval for null over to 1e400 (Infinity)", async () => {
  const approver = createApprover({ thothHome: "/nonexistent", env: { USER: "ana" }, os: "linux" });
  const asked = { n: null };
  const step = await approver.stateless(request(asked, "d-ask"), {
    arguments: asked,
    _meta: META,
  });
  const state = (step as unknown as { result: { requestState: string } }).result.requestState;
  const infinite = JSON.parse('{"n":1e400}');
  const retry = await approver.stateless(request(infinite, "d-retry"), {
    arguments: infinite,
    requestState: state,
    inputResponses: {
      [APPROVAL_INPUT_KEY]: { action: "accept", content: { decision: "session" } },
    },
  });
  assert.equal(retry.kind, "decided");
  if (retry.kind !== "decided") return;
  assert.equal(retry.outcome.approved, false, "the digests match, the arguments do not");
  assert.match(retry.outcome.why, /send large numbers such as IDs as strings/);
  assert.equal(retry.outcome.askedDecisionId, "d-ask");
  assert.equal(retry.forwardParams, undefined);
  // And no session grant was made from it.
  const again = await approver.stateless(request(asked, "d-4"), { arguments: asked, _meta: META });
  assert.equal(again.kind, "input_required");
});
