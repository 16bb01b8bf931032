/**
 * buildHealthReport()'s `policy.notes`: the rules of a valid policy an earlier
 * default wrote, [] when there are none (no policy file, the current default,
 * a rule an admin changed or disabled, a policy in another plug-in's format),
 * null when the policy is not valid.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { EARLIER_DELETE_LIKE_GLOBS } from "../../src/policy/earlier_default_rules.ts";
import { testContext, withTempDir } from "./_helpers.ts";

/** The first releases' delete-like globs. */
const FIRST = ["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"];

function withRule(rule: Record<string, unknown>): string {
  return JSON.stringify({ version: 1, default: "allow", rules: [rule] });
}

/** The report's policy part for a profile whose policy.jsonc is `text` (none when null). */
async function policyOf(home: string, text: string | null) {
  if (text !== null) await Deno.writeTextFile(`${home}/policy.jsonc`, text, { mode: 0o600 });
  const report = await buildHealthReport(testContext(home), { probe: false });
  HealthReportSchema.parse(report);
  return report.policy;
}

Deno.test("buildHealthReport() notes the first releases' delete-like rule", () =>
  withTempDir(async (home) => {
    const policy = await policyOf(
      home,
      withRule({ id: "delete-like", match: { tool: FIRST }, decision: "block" }),
    );
    assert.equal(policy.valid, true);
    assert.deepEqual(policy.notes?.map((n) => [n.code, n.rule]), [
      ["policy.earlier_default_rule", "delete-like"],
    ]);
    assert.match(policy.notes?.[0]?.message ?? "", /\(block\)/);
  }));

Deno.test("buildHealthReport() notes the whole-word delete-like rule, which misses names run together", () =>
  withTempDir(async (home) => {
    const tool = EARLIER_DELETE_LIKE_GLOBS.find((globs) =>
      globs.includes("**[-_./]{delete,remove,drop,destroy,purge,rm}")
    );
    assert.ok(tool !== undefined);
    const policy = await policyOf(
      home,
      withRule({ id: "delete-like", match: { tool }, decision: "step_up" }),
    );
    assert.deepEqual(policy.notes?.map((n) => [n.code, n.rule]), [
      ["policy.earlier_default_rule", "delete-like"],
    ]);
    assert.match(policy.notes?.[0]?.message ?? "", /run together such as deletefile/);
  }));

Deno.test("buildHealthReport() has no policy notes without an earlier default's rule", async () => {
  const none = [
    null, // no policy file: the built-in default
    DEFAULT_POLICY_JSONC,
    withRule({ id: "delete-like", match: { tool: FIRST.slice(1) }, decision: "block" }),
    withRule({ id: "delete-like", match: { tool: FIRST }, decision: "block", enabled: false }),
    '{ "rules_in_another_format": true }', // accepted by the plug-in, not thoth's format
  ];
  for (const text of none) {
    await withTempDir(async (home) => {
      const policy = await policyOf(home, text);
      assert.equal(policy.valid, true, String(text));
      assert.deepEqual(policy.notes, [], String(text));
    });
  }
});

Deno.test("buildHealthReport()'s policy notes are null for a policy that is not valid", () =>
  withTempDir(async (home) => {
    const policy = await policyOf(home, "{ broken");
    assert.equal(policy.valid, false);
    assert.equal(policy.notes, null);
  }));
