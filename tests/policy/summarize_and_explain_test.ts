import assert from "node:assert/strict";
import { applyMode } from "../../src/policy/apply_mode.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { summarizePolicy } from "../../src/policy/summarize_policy.ts";
import { toolCall } from "./_call.ts";

const compiled = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));

Deno.test("summarizePolicy() lists rules, intents, detectors and every mode", () => {
  const s = summarizePolicy(compiled);
  assert.deepEqual(s.rules.map((r) => [r.id, r.decision]), [
    ["reads", "allow"],
    ["destructive", "step_up"],
    ["delete-like", "step_up"],
    ["command-runners", "step_up"],
  ]);
  assert.deepEqual(s.intents.map((i) => i.name), ["calendar_management", "phi_eligibility_check"]);
  assert.deepEqual(s.detectors, { phi: "step_up", pii: "allow", secrets: "block" });
  assert.deepEqual(Object.keys(s.modes).sort(), ["block", "observe", "progressive", "step_up"]);
  assert.match(s.modes.progressive, /within 24h/);
});

Deno.test("explainCall() shows the verdict, the mode's action and each contribution", () => {
  const x = explainCall(
    compiled,
    toolCall("fs", "delete_file", { path: "/tmp/x" }, { destructiveHint: true }),
    { intent: undefined, mode: "block" },
  );
  assert.equal(x.evaluation.decision, "step_up");
  assert.equal(x.action.action, "step_up");
  assert.equal(x.lines[0], "verdict: STEP_UP (destructive, delete-like)");
  assert.ok(x.lines.some((l) => l.startsWith("step_up destructive:")));
});

Deno.test("the default policy allows a declared read and blocks a secret", () => {
  const read = explainCall(
    compiled,
    toolCall("fs", "read_file", { path: "/etc/hosts" }, { readOnlyHint: true }),
    { intent: undefined, mode: "block" },
  );
  assert.equal(read.evaluation.decision, "allow");
  assert.deepEqual(read.evaluation.ruleIds, ["reads"]);
  const leak = explainCall(
    compiled,
    toolCall("fs", "read_file", { path: "AKIAQ3EGRBPSXLYH7TNU" }, { readOnlyHint: true }),
    { intent: undefined, mode: "block" },
  );
  assert.equal(leak.evaluation.decision, "block");
  assert.deepEqual(leak.evaluation.ruleIds, ["detector.secret"]);
});

Deno.test("summarizePolicy() describes only the progressive rungs a violation can reach", () => {
  const summary = (stepUpAfter: number, blockAfter: number) =>
    summarizePolicy(compilePolicy(parsePolicy(
      JSON.stringify({
        version: 1,
        default: "allow",
        progressive: { window: "1h", stepUpAfter, blockAfter },
      }),
      "p.jsonc",
    ))).modes.progressive;
  assert.equal(summary(0, 0), "every violation of a rule is blocked");
  assert.match(
    summary(0, 2),
    /^violations of a rule within 1h: the first 2 need approval, later ones are blocked;/,
  );
  assert.match(
    summary(2, 2),
    /^violations of a rule within 1h: the first 2 are forwarded with a warning, later ones are blocked;/,
  );
  assert.match(
    summary(1, 2),
    /^violations of a rule within 1h: the first is forwarded with a warning, the next needs approval, later ones are blocked;/,
  );
  // Each rung is named exactly when applyMode can reach it.
  for (const [s, b] of [[0, 0], [0, 1], [0, 3], [1, 1], [1, 3], [2, 2], [3, 7]] as const) {
    const reached = new Set(
      [...Array(b + 2).keys()].map((prior) =>
        applyMode({ decision: "block", ruleIds: ["r"], violatedIds: ["r"] }, "progressive", {
          priorViolations: { r: prior },
          stepUpAfter: s,
          blockAfter: b,
        }).action
      ),
    );
    const text = summary(s, b);
    assert.equal(/warning/.test(text), reached.has("forward_warn"), `${s}/${b}: ${text}`);
    assert.equal(/approval/.test(text), reached.has("step_up"), `${s}/${b}: ${text}`);
    assert.equal(/blocked/.test(text), reached.has("block"), `${s}/${b}: ${text}`);
  }
});

Deno.test("explainCall() lists every contribution as data, and the disabled rules that would have matched", () => {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      intents: { files: { tools: ["write_*"] } },
      rules: [
        { id: "r-step", match: { tool: "write_*" }, decision: "step_up" },
        {
          id: "r-block",
          match: { args: { path: { glob: "/etc/**" } } },
          decision: "block",
          reason: "no etc",
        },
        {
          id: "r-off",
          match: { args: { path: { glob: "/etc/**" } } },
          decision: "block",
          reason: "off for now",
          enabled: false,
        },
        { id: "r-allow", match: { server: "fs" }, decision: "allow", reason: "fs is fine" },
        { id: "r-other", match: { server: "db" }, decision: "block", enabled: false },
      ],
    }),
    "p.jsonc",
  ));
  const x = explainCall(policy, toolCall("fs", "write_file", { path: "/etc/passwd" }), {
    intent: "files",
    mode: "block",
  });
  assert.deepEqual(
    x.contributions.map((c) => [c.source, c.id, c.decision, c.reasonGiven]),
    [
      ["rule", "r-block", "block", true],
      ["rule", "r-step", "step_up", false],
      ["rule", "r-allow", "allow", true],
      ["intent", "intent.in_scope", "allow", undefined],
      ["mode", "mode.block", null, undefined],
    ],
  );
  assert.equal(x.contributions.at(-1)?.action, "block");
  assert.deepEqual(x.disabledMatches, [
    { id: "r-off", decision: "block", reason: "off for now", reasonGiven: true },
  ]);
  assert.ok(x.lines.includes("disabled rule r-off would have matched (block: off for now)"));
  // A detector's contribution carries its findings.
  const leak = explainCall(
    compiled,
    toolCall("fs", "read_file", { path: "AKIAQ3EGRBPSXLYH7TNU" }, { readOnlyHint: true }),
    { intent: undefined, mode: "observe" },
  );
  const secret = leak.contributions.find((c) => c.id === "detector.secret");
  assert.equal(secret?.findings?.[0]?.path, "path");
  assert.equal(leak.disabledMatches.length, 0);
});
