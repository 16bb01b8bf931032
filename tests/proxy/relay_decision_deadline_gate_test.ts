/**
 * The decision deadline also bounds the decisions on the tools a model chose
 * in the client's answer to the server's sampling request: a decision that
 * never comes refuses the answer (fail closed) once the deadline passed, so
 * the server is not left waiting for it forever.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { line, rawRelay, toolUse } from "./_raw_relay.ts";
import { within } from "./_proxied_session.ts";

Deno.test("RelaySession refuses a sampling answer once the decision on a tool it chose is past its deadline", async () => {
  const stuck: Enforcer = { decide: () => new Promise<Verdict>(() => {}) };
  const ended: Verdict[] = [];
  const h = rawRelay({
    enforcer: stuck,
    decisionDeadlineMs: 100,
    events: { toolUseEnded: (_call, verdict) => ended.push(verdict) },
  });
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 100,
    method: "sampling/createMessage",
    params: { messages: [], maxTokens: 10, tools: [{ name: "delete_everything" }] },
  }));
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 100,
    result: {
      role: "assistant",
      model: "m",
      stopReason: "toolUse",
      content: [toolUse("delete_everything")],
    },
  }));
  assert.deepEqual(h.toServer, [], "held while the tool is decided");
  await within(
    (async () => {
      while (h.toServer.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    10_000,
    "the server's answer",
  );
  const [error] = h.json(h.toServer);
  assert.equal(error.id, 100);
  assert.equal(error.error.code, -32000);
  assert.match(error.error.message, /thoth\.decision_timeout/);
  assert.deepEqual(ended.map((v) => v.ruleIds), [["thoth.decision_timeout"]]);
  const notes = h.notes.filter((n) => n.includes("thoth.decision_timeout"));
  assert.equal(notes.length, 1, h.notes.join("\n"));
  assert.match(
    notes[0]!,
    /^blocked tool "delete_everything" chosen in an answer to the server's sampling request: its decision did not come within 0\.1 s/,
  );
});
