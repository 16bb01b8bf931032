/**
 * A session `thoth run` refuses because its policy or intent map is a file
 * another user can change (`policy.untrusted`, `intent_map.untrusted`) tells
 * the MCP client so in plain words, not that the file "cannot be read": the
 * file reads fine, and the person at the client looks for the wrong fault.
 * The text is built from the error code alone, so it names no path and no
 * uid.
 */
import assert from "node:assert/strict";
import { cannotGovernText } from "../../src/protocol/responses.ts";

Deno.test("cannotGovernText() says a policy or intent map another user can change is not used", () => {
  const policy = cannotGovernText("policy.untrusted");
  assert.equal(
    policy,
    "thoth cannot govern this server: its policy is a file another user of this machine can " +
      "change, so thoth does not use it. See thoth's stderr in the client's MCP log, or run " +
      '"thoth doctor"',
  );
  const map = cannotGovernText("intent_map.untrusted");
  assert.match(map, /: its intent map is a file another user of this machine can change, so /);
  for (const text of [policy, map]) assert.doesNotMatch(text, /cannot be read|uid|\//);
});

Deno.test("cannotGovernText() words the other policy and intent map refusals as before", () => {
  assert.match(cannotGovernText("policy.unreadable"), /: its policy cannot be read\./);
  assert.match(cannotGovernText("policy.invalid"), /: its policy cannot be read\./);
  assert.match(cannotGovernText("intent_map.unreadable"), /: the intent map cannot be read\./);
  assert.match(cannotGovernText("policy.unknown_intent"), /session intent is not one/);
});
