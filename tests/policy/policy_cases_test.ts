import assert from "node:assert/strict";
import { applyMode } from "../../src/policy/apply_mode.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import type { EnforcementMode } from "../../src/policy/enforcement_mode.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolAnnotations } from "../../src/policy/tool_call.ts";
import { isAppError } from "../../src/errors.ts";

interface PolicyCase {
  description: string;
  policy: unknown;
  call: {
    server: string;
    tool: string;
    arguments: Record<string, unknown> | null;
    annotations?: ToolAnnotations;
    listed: boolean;
  };
  intent?: string;
  mode?: EnforcementMode;
  priorViolations?: Record<string, number>;
  expected: {
    error?: string;
    decision?: string;
    ruleIds?: string[];
    matchIds?: string[];
    reasonsInclude?: string[];
    reasonsExclude?: string[];
    findings?: unknown[];
    intentViolation?: boolean;
    riskScore?: number;
    action?: string;
  };
}

const dir = new URL("../fixtures/policy/cases/", import.meta.url);
const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".json"))
  .sort();

Deno.test("policy case vectors exist", () => {
  assert.ok(names.length >= 25, `only ${names.length} cases`);
});

for (const name of names) {
  const c = JSON.parse(Deno.readTextFileSync(new URL(name, dir))) as PolicyCase;
  Deno.test(`policy case ${name.replace(/\.json$/, "")}: ${c.description}`, () => {
    const text = c.policy === "default" ? DEFAULT_POLICY_JSONC : JSON.stringify(c.policy);
    const compiled = compilePolicy(parsePolicy(text, name));
    const call = {
      server: c.call.server,
      tool: c.call.tool,
      arguments: c.call.arguments ?? undefined,
      annotations: c.call.annotations,
      listed: c.call.listed,
      era: "initialize" as const,
      protocolVersion: "2025-06-18",
    };
    if (c.expected.error !== undefined) {
      assert.throws(
        () => evaluate(compiled, call, { intent: c.intent }),
        (e: unknown) => isAppError(e) && e.code === c.expected.error,
      );
      return;
    }
    const e = evaluate(compiled, call, { intent: c.intent });
    const x = c.expected;
    assert.equal(e.decision, x.decision);
    assert.deepEqual(e.ruleIds, x.ruleIds);
    if (x.matchIds) {
      assert.deepEqual(
        e.matches.map((m) => m.id).filter((id) => x.matchIds!.includes(id)),
        x.matchIds,
      );
    }
    for (const r of x.reasonsInclude ?? []) {
      assert.ok(
        e.reasons.some((reason) => reason.includes(r)),
        `no reason has "${r}": ${e.reasons}`,
      );
    }
    const everything = JSON.stringify(e);
    for (const r of x.reasonsExclude ?? []) {
      assert.ok(!everything.includes(r), `the evaluation leaks "${r}"`);
    }
    if (x.findings) assert.deepEqual(e.findings, x.findings);
    if (x.intentViolation !== undefined) assert.equal(e.intentViolation, x.intentViolation);
    if (x.riskScore !== undefined) assert.equal(e.riskScore, x.riskScore);
    if (c.mode !== undefined) {
      const action = applyMode(e, c.mode, {
        priorViolations: c.priorViolations ?? {},
        stepUpAfter: compiled.progressive.stepUpAfter,
        blockAfter: compiled.progressive.blockAfter,
      });
      assert.equal(action.action, x.action);
      assert.equal(action.wouldHave, e.decision);
    }
  });
}
