import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const policy = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    intents: { calendar: { tools: ["list_events", "create_*"] } },
    rules: [
      {
        id: "fs-outside-data",
        match: {
          server: "filesystem",
          tool: "write_file",
          args: { path: { notGlob: "/data/**" } },
        },
        decision: "block",
        reason: "write outside /data",
      },
      { id: "off", match: {}, decision: "block", enabled: false },
      {
        id: "unlisted",
        match: { listed: false },
        decision: "step_up",
        reason: "tool was never announced",
      },
    ],
  }),
  "t.jsonc",
));

Deno.test("evaluate() blocks a write outside /data", () => {
  const e = evaluate(policy, toolCall("filesystem", "write_file", { path: "/etc/x" }), {});
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, ["fs-outside-data"]);
  assert.deepEqual(e.reasons, ['rule "fs-outside-data": write outside /data']);
});

Deno.test("evaluate() allows a write inside /data through the default", () => {
  const e = evaluate(policy, toolCall("filesystem", "write_file", { path: "/data/x" }), {});
  assert.equal(e.decision, "allow");
  assert.deepEqual(e.ruleIds, ["policy.default"]);
});

Deno.test("evaluate() skips disabled rules", () => {
  const e = evaluate(policy, toolCall("s", "anything", {}), {});
  assert.ok(!e.matches.some((m) => m.id === "off"));
});

Deno.test("evaluate() matches listed: false and notes the unlisted tool", () => {
  const e = evaluate(policy, toolCall("s", "hidden_tool", {}, undefined, false), {});
  assert.equal(e.decision, "step_up");
  assert.deepEqual(e.ruleIds, ["unlisted"]);
  assert.match(e.notes[0] ?? "", /is in no tools\/list thoth has seen/);
  assert.equal(e.riskScore, 10);
});

Deno.test("evaluate() checks the intent first and names it", () => {
  const e = evaluate(policy, toolCall("gcal", "delete_event", {}), { intent: "calendar" });
  assert.equal(e.intentViolation, true);
  assert.equal(e.matches[0]?.id, "intent.out_of_scope");
  assert.equal(e.decision, "block");
  const ok = evaluate(policy, toolCall("gcal", "create_event", {}), { intent: "calendar" });
  assert.equal(ok.intentViolation, false);
  assert.equal(ok.decision, "allow");
});

Deno.test("evaluate() throws for an unknown intent instead of allowing all", () => {
  assert.throws(
    () => evaluate(policy, toolCall("gcal", "list_events", {}), { intent: "calender" }),
    (e: unknown) =>
      isAppError(e, "policy.unknown_intent") && /use one of: calendar/.test(e.hints[0]!),
  );
});

Deno.test("evaluate() never puts argument values in reasons or findings", () => {
  const secret = "ghp_" + "Zx9Qm2Lk7Vb4Nc8Rt1Yw6Hs3Jd5Fg0Ap2Ke7P";
  const e = evaluate(
    policy,
    toolCall("filesystem", "write_file", { path: "/etc/passwd", content: `token ${secret}` }),
    {},
  );
  assert.equal(e.decision, "block");
  assert.deepEqual(e.findings, [{ kind: "secret", type: "github_token", path: "content" }]);
  const text = JSON.stringify(e);
  assert.ok(!text.includes(secret));
  assert.ok(!text.includes("/etc/passwd"));
});

Deno.test("evaluate() steps up when the scan is capped and detectors can decide", () => {
  const big = "a ".repeat(600 * 1024);
  const e = evaluate(policy, toolCall("s", "upload", { a: big, b: big }), {});
  assert.equal(e.scanCapped, true);
  assert.equal(e.decision, "step_up");
  assert.deepEqual(e.ruleIds, ["detector.scan_capped"]);
  assert.match(e.reasons[0] ?? "", /1 MiB scan limit/);
});

Deno.test("evaluate() memoizes rule candidates per server and tool", () => {
  const p = compilePolicy(parsePolicy('{"version":1,"default":"allow"}', "t.jsonc"));
  evaluate(p, toolCall("a", "b", {}), {});
  evaluate(p, toolCall("a", "b", {}), {});
  evaluate(p, toolCall("a", "c", {}), {});
  assert.equal(p.candidates.size, 2);
});

Deno.test("evaluate() lists every violated rule in violatedIds, the deciding ones first", () => {
  const e = evaluate(
    policy,
    toolCall("filesystem", "write_file", { path: "/etc/x" }, undefined, false),
    { intent: "calendar" },
  );
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, ["intent.out_of_scope", "fs-outside-data"]);
  assert.deepEqual(e.violatedIds, ["intent.out_of_scope", "fs-outside-data", "unlisted"]);
  const allowed = evaluate(policy, toolCall("filesystem", "write_file", { path: "/data/x" }), {});
  assert.deepEqual(allowed.violatedIds, []);
});
