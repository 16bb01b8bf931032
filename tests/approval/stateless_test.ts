import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import {
  APPROVAL_INPUT_KEY,
  declaresStatelessElicitation,
  stripApprovalRetry,
} from "../../src/approval/input_required.ts";
import { RequestStateSealer } from "../../src/approval/request_state.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

function request(args: Record<string, unknown>): ApprovalRequest {
  return {
    call: {
      server: "fs",
      tool: "write_file",
      arguments: args,
      annotations: undefined,
      listed: true,
      era: "stateless",
      protocolVersion: "2026-07-28",
    },
    verdict: { decision: "step_up", decisionId: "d-1", ruleIds: ["w"], reasons: [] },
    requestId: 1,
    progressToken: undefined,
    signal: new AbortController().signal,
    client: {
      elicitation: false,
      request: () => Promise.reject(new Error("no")),
      notify: () => {},
    },
  };
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
    /a person \(ana via the MCP client\) denied it/,
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
