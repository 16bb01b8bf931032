/**
 * The name of a tool no `tools/list` named is the client's or the model's
 * choice, and may carry anything: a token pasted where a tool name goes
 * would otherwise reach the server in clear. evaluate() reads such a name
 * with the detectors that read the arguments, and decides a finding in it as
 * it decides one in the arguments (the default policy blocks a secret, asks
 * about PHI); the reason names the place, never the name. A listed name is
 * the server's own and is not read.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { evaluate, TOOL_NAME_PATH } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { applyMode } from "../../src/policy/apply_mode.ts";
import { toolCall } from "./_call.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
const TOKEN = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";

function evaluated(tool: string, listed: boolean, args: Record<string, unknown> = {}) {
  const call = { ...toolCall("svc", tool, args, {}), listed };
  return evaluate(policy, call, { intent: undefined });
}

Deno.test("a secret in an unlisted tool's name is decided as one in the arguments", () => {
  const named = evaluated(TOKEN, false);
  const inArgs = evaluated("echo", false, { x: TOKEN });
  assert.equal(named.decision, "block");
  assert.equal(named.decision, inArgs.decision);
  assert.ok(named.ruleIds.includes("detector.secret"), JSON.stringify(named.ruleIds));
  assert.deepEqual(named.findings.map((f) => [f.kind, f.path]), [["secret", TOOL_NAME_PATH]]);
  const reasons = named.reasons.join("\n");
  assert.match(reasons, /^secret detected: .* in the tool name$/m, reasons);
  assert.ok(!JSON.stringify(named.matches).includes(TOKEN));
  // Each mode does with it what it does with a secret in the arguments.
  for (const mode of ["block", "step_up", "observe"] as const) {
    assert.equal(applyMode(named, mode).action, applyMode(inArgs, mode).action, mode);
  }
});

Deno.test("PHI in an unlisted tool's name is asked about, as in the arguments", () => {
  const named = evaluated("123-45-6789", false);
  assert.equal(named.decision, "step_up");
  assert.equal(named.decision, evaluated("lookup", false, { x: "123-45-6789" }).decision);
  assert.ok(named.ruleIds.includes("detector.phi"), JSON.stringify(named.ruleIds));
});

Deno.test("a listed tool's name, and an unlisted plain one, are not flagged", () => {
  assert.deepEqual(evaluated(TOKEN, true).findings, []);
  assert.deepEqual(evaluated("get_weather", false).findings, []);
  assert.equal(evaluated("get_weather", false).decision, "allow");
});

Deno.test("thoth run in step_up mode asks a person before a call whose unlisted name is a token", async () => {
  const { GovernedPeer, toolCall: call } = await import("../approval/_governed_peer.ts");
  const peer = await GovernedPeer.start(
    { version: 1, default: "allow", rules: [], detectors: { secrets: "block" } },
    { flags: ["--enforcement-mode", "step_up", "--approval-timeout", "2"] },
  );
  try {
    await peer.send(call(1, TOKEN, {}));
    // No one answers: the call is denied, as one with the token in its arguments would be.
    const answer = await peer.wait((m) => m.id === 1, 30_000);
    assert.equal(answer.result?.isError, true, JSON.stringify(answer));
    assert.match(JSON.stringify(answer), /secret detected: GitHub token in the tool name/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
  assert.ok(!peer.stderr.includes(TOKEN), peer.stderr);
});
