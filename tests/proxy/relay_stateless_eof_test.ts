/**
 * A stateless call whose approval step is still being decided when the
 * client closes its input is left to that step: a person's answer the step
 * holds decides the call and is recorded, and a step that would ask a person
 * ends in the approver without asking anyone (recorded as cancelled).
 */
import assert from "node:assert/strict";
import type { ApprovalRequest, StatelessApprovalStep } from "../../src/proxy/relay_session.ts";
import { enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";

const STATELESS = { "io.modelcontextprotocol/protocolVersion": "2026-07-28" };
const statelessCall = (id: number) =>
  line({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "delete_everything", arguments: { x: 1 }, _meta: STATELESS },
  });

/** A relay whose stateless step waits for the test, and whose approver records what it hears. */
function steppingRelay(step: StatelessApprovalStep) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const heard: ApprovalRequest[] = [];
  const approver = Object.assign(
    (request: ApprovalRequest) => {
      heard.push(request);
      return Promise.resolve({
        approved: false,
        why: request.signal.aborted ? "cancelled: nobody can be asked" : "asked",
        kind: "cancelled" as const,
      });
    },
    { stateless: async () => (await gate, step) },
  );
  const h = rawRelay({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
  return { ...h, release, heard };
}

Deno.test("a person's answer a stateless step holds at the client's EOF still decides the call, recorded", async () => {
  const h = steppingRelay({
    kind: "decided",
    outcome: { approved: true, why: "approved once" },
    forwardParams: { name: "delete_everything", arguments: { x: 1 } },
  });
  h.session.fromClient(statelessCall(1));
  await settle();
  h.session.clientInputClosed();
  h.release();
  await settle();
  assert.ok(h.events.includes("approval delete_everything true"), h.events.join("\n"));
  assert.equal(h.toServer.length, 1, "the approved call runs");
  assert.ok(!h.events.some((e) => e.startsWith("cancelled")), h.events.join("\n"));
});

Deno.test("a stateless step that would ask the client at its EOF asks no one and is recorded", async () => {
  const h = steppingRelay({ kind: "input_required", result: { resultType: "input_required" } });
  h.session.fromClient(statelessCall(1));
  await settle();
  h.session.clientInputClosed();
  h.release();
  await settle();
  assert.equal(h.heard.length, 1, "the approver decides it");
  assert.equal(h.heard[0]!.signal.aborted, true, "with nobody to ask");
  assert.equal(h.toServer.length, 0);
  const answer = h.json(h.toClient).find((m) => m.id === 1);
  assert.equal(answer?.result?.resultType, undefined, JSON.stringify(answer));
  assert.ok(h.events.includes("approval delete_everything false"), h.events.join("\n"));
});
