/**
 * The answer a model gets when the decision on its call did not come in
 * time does not quote back a tool name no `tools/list` named that the
 * detectors flag (a token the model put where a tool name goes): it shows
 * the hidden form, its length alone (`#k:(40)`), as the stderr lines and
 * approval questions do; a listed name is shown as it is.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { decisionTimeoutText } from "../../src/proxy/decision_timeout_texts.ts";
import { call as callLine, rawRelay } from "./_raw_relay.ts";
import { within } from "./_proxied_session.ts";

const TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

Deno.test("decisionTimeoutText() shows an unlisted flagged tool name by its length", () => {
  const hidden = decisionTimeoutText({ server: "s", tool: TOKEN, decisionId: "d-1" }, 15_000);
  assert.ok(!hidden.includes(TOKEN), hidden);
  assert.match(hidden, /^thoth did not run tool "#k:\(40\)" on server "s": /);
  const listed = decisionTimeoutText(
    { server: "s", tool: TOKEN, listed: true, decisionId: "d-1" },
    15_000,
  );
  assert.match(listed, new RegExp(`^thoth did not run tool "${TOKEN}" on server "s": `));
  const plain = decisionTimeoutText({ server: "s", tool: "write_file", decisionId: "d-1" }, 15_000);
  assert.match(plain, /^thoth did not run tool "write_file" on server "s": /);
});

Deno.test("the relay's decision-timeout answer hides an unlisted flagged tool name", async () => {
  const stuck: Enforcer = { decide: () => new Promise<Verdict>(() => {}) };
  const h = rawRelay({ enforcer: stuck, decisionDeadlineMs: 100 });
  h.session.fromClient(callLine(7, TOKEN));
  await within(
    (async () => {
      while (h.toClient.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    10_000,
    "the client's answer",
  );
  const [answer] = h.json(h.toClient);
  assert.equal(answer.id, 7);
  const text: string = answer.result.content[0].text;
  assert.match(text, /its decision did not come within 0\.1 s/);
  assert.match(text, /tool "#k:\(40\)"/);
  assert.ok(!JSON.stringify(answer).includes(TOKEN), JSON.stringify(answer));
});
