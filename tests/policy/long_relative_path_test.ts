/**
 * A megabyte-long relative path tested by many path rules against the
 * server's folders is resolved once per call, not once per rule: before,
 * 80 rules and three folders took about 18 s here (each rule resolved it
 * against each folder again); now well under a second. A wide bound guards
 * against the old cost; speed itself is `deno task bench:policy`'s.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";
import { threadCpu } from "../_thread_cpu.ts";

/** The detectors would scan the megabyte too: not what this measures. */
const OFF = { phi: "off", pii: "off", secrets: "off" };

Deno.test("a megabyte relative path is resolved once per call for all the path rules", () => {
  const rules = Array.from({ length: 80 }, (_, i) => ({
    id: `path-${i}`,
    match: { tool: "write_file", args: { path: { glob: `/restricted${i}/**` } } },
    decision: "block",
  }));
  rules.push({
    id: "in-restricted",
    match: { tool: "write_file", args: { path: { glob: "/srv/shared/restricted7/**" } } },
    decision: "block",
  });
  const policy = compilePolicy(
    parsePolicy(JSON.stringify({ version: 1, default: "allow", rules, detectors: OFF }), "p.jsonc"),
    { os: "linux", home: "/home/ana", bases: ["/home/ana/app", "/data", "/srv/shared"] },
  );
  const long = "a/b.txt/".repeat((1 << 20) / 8);
  const { value: allowed, cpuMs } = threadCpu(() =>
    evaluate(policy, toolCall("fs", "write_file", { path: long }), {})
  );
  assert.equal(allowed.decision, "allow");
  // Bounded is the CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 6000, `took ${cpuMs.toFixed(0)} ms of CPU`);
  // The forms kept for one value are never another's: the next path is read afresh.
  const inside = evaluate(
    policy,
    toolCall("fs", "write_file", { path: `restricted7/${long}` }),
    {},
  );
  assert.equal(inside.decision, "block");
  assert.ok(inside.ruleIds.includes("in-restricted"), inside.ruleIds.join(", "));
});
