/**
 * The answer a model gets when its call is blocked, or needs a person's
 * approval that does not come, does not quote back a tool name no
 * `tools/list` named that the detectors flag (a token the model put where a
 * tool name goes), neither as the tool nor in the reasons that quote it: it
 * shows the hidden form, its length alone (`#k:(40)`), as the answer to a
 * call whose decision timed out does. A plain unlisted name is shown as it is.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Decision } from "../../src/policy/verdict.ts";
import { approverOf, call as callLine, rawRelay, settle } from "./_raw_relay.ts";

const TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

/** An enforcer that decides every call `decision`, with a reason that quotes the tool. */
function quoting(decision: Decision): Enforcer {
  return {
    decide: (call) => ({
      decision,
      decisionId: "d-1",
      ruleIds: ["unlisted"],
      reasons: [`tool ${JSON.stringify(call.tool)} is in no tools/list thoth has seen`],
    }),
  };
}

async function answerText(
  decision: Decision,
  tool: string,
  withApprover: boolean,
): Promise<string> {
  const h = rawRelay({
    enforcer: quoting(decision),
    ...(withApprover
      ? { approver: approverOf(() => ({ approved: false, why: "the person denied it" })) }
      : {}),
  });
  h.session.fromClient(callLine(7, tool));
  for (let i = 0; i < 50 && h.toClient.length === 0; i++) await settle();
  const [answer] = h.json(h.toClient);
  assert.equal(answer.id, 7);
  return answer.result.content[0].text;
}

for (
  const [name, decision, withApprover] of [
    ["blocked", "block", false],
    ["not approved: no channel", "step_up", false],
    ["not approved: denied", "step_up", true],
  ] as const
) {
  Deno.test(`a call ${name} shows an unlisted flagged tool name by its length`, async () => {
    const text = await answerText(decision, TOKEN, withApprover);
    assert.ok(!text.includes(TOKEN), text);
    assert.match(text, /tool "#k:\(40\)" on server "srv"/);
    assert.match(text, /\(tool "#k:\(40\)" is in no tools\/list thoth has seen\)/);
    const plain = await answerText(decision, "write_file", withApprover);
    assert.match(plain, /tool "write_file" on server "srv"/);
    assert.match(plain, /\(tool "write_file" is in no tools\/list/);
  });
}
