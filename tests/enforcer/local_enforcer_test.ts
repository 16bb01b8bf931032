import assert from "node:assert/strict";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { isAppError } from "../../src/errors.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import type { EnforcementMode } from "../../src/policy/enforcement_mode.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ViolationCounter } from "../../src/policy/violation_counter.ts";

const policy = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    intents: { echo_only: { tools: ["echo"] } },
    rules: [
      { id: "no-sums", match: { tool: "get-sum" }, decision: "block", reason: "no arithmetic" },
      { id: "ask-env", match: { tool: "print-env" }, decision: "step_up", reason: "shows env" },
    ],
    progressive: { window: "1h", stepUpAfter: 1, blockAfter: 2 },
  }),
  "t.jsonc",
));

function call(tool: string, args: Record<string, unknown> = {}): ToolCall {
  return {
    server: "everything",
    tool,
    arguments: args,
    annotations: undefined,
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

let n = 0;
const ids = () => `d-${++n}`;

function enforcer(
  mode: EnforcementMode,
  extra: Partial<ConstructorParameters<typeof LocalEnforcer>[0]> = {},
) {
  return new LocalEnforcer({ policy, mode, userId: "ana@example.org", now: () => 1_000, ...extra });
}

function sync(v: LocalVerdict | Promise<LocalVerdict>): LocalVerdict {
  assert.ok(!(v instanceof Promise), "decide() should have answered synchronously");
  return v;
}

Deno.test("LocalEnforcer blocks in block mode, naming the rule and a fresh decision id", () => {
  const e = enforcer("block");
  assert.equal(e.name, "local");
  const v = sync(e.decide(call("get-sum", { a: 1, b: 2 }), ids));
  assert.equal(v.decision, "block");
  assert.deepEqual(v.ruleIds, ["no-sums"]);
  assert.deepEqual(v.reasons, ['rule "no-sums": no arithmetic']);
  assert.match(v.decisionId, /^d-\d+$/);
});

Deno.test("LocalEnforcer allows what the policy allows, synchronously", () => {
  const v = sync(enforcer("block").decide(call("echo", { message: "hi" }), ids));
  assert.equal(v.decision, "allow");
  assert.equal(v.action.action, "forward");
  assert.equal(v.warn, undefined);
});

Deno.test("LocalEnforcer in observe mode allows but keeps the would-have verdict", () => {
  const v = sync(enforcer("observe").decide(call("get-sum"), ids));
  assert.equal(v.decision, "allow");
  assert.equal(v.action.wouldHave, "block");
  assert.deepEqual(v.ruleIds, ["no-sums"]);
  assert.match(v.reasons[0]!, /observe mode: forwarded; the policy would have answered BLOCK/);
  assert.equal(v.evaluation.decision, "block");
});

Deno.test("LocalEnforcer in step_up mode asks for a blocked call", () => {
  const v = sync(enforcer("step_up").decide(call("get-sum"), ids));
  assert.equal(v.decision, "step_up");
});

Deno.test("LocalEnforcer rejects an intent violation (get-sum outside echo_only)", () => {
  const v = sync(enforcer("block", { intent: "echo_only" }).decide(call("get-sum"), ids));
  assert.equal(v.decision, "block");
  assert.deepEqual(v.ruleIds, ["intent.out_of_scope", "no-sums"]);
  assert.equal(v.evaluation.intentViolation, true);
});

Deno.test("LocalEnforcer refuses to start with an unknown intent", () => {
  assert.throws(
    () => enforcer("block", { intent: "anything" }),
    (e: unknown) => isAppError(e, "policy.unknown_intent"),
  );
});

Deno.test("LocalEnforcer in progressive mode warns, then asks, then blocks", () => {
  const e = enforcer("progressive");
  const seen = [1, 2, 3, 4].map(() => sync(e.decide(call("print-env"), ids)));
  // blockAfter is 2 in this policy: the third violation is already blocked.
  assert.deepEqual(seen.map((v) => v.decision), ["allow", "step_up", "block", "block"]);
  assert.match(
    seen[0]!.warn!,
    /^tool "print-env" on server "everything" was forwarded; progressive mode: violation 1 of rule "ask-env" in the window;/,
  );
  assert.equal(seen[1]!.warn, undefined);
  // Allowed calls are not counted and stay synchronous.
  assert.equal(sync(e.decide(call("echo"), ids)).decision, "allow");
});

Deno.test("LocalEnforcer forgets violations outside the progressive window", () => {
  let now = 0;
  const e = enforcer("progressive", { now: () => now });
  for (let i = 0; i < 3; i++) sync(e.decide(call("print-env"), ids));
  now = 2 * 3_600_000;
  assert.equal(sync(e.decide(call("print-env"), ids)).action.action, "forward_warn");
});

Deno.test("LocalEnforcer fails closed when the progressive counter fails", async () => {
  const broken: ViolationCounter = {
    recordViolations: () => Promise.reject(new Error("disk full")),
  };
  const v = await enforcer("progressive", { counter: broken }).decide(call("print-env"), ids);
  assert.equal(v.decision, "block");
  assert.match(v.reasons[0]!, /progressive counters unavailable, failing closed: disk full/);
  const throwing: ViolationCounter = {
    recordViolations: () => {
      throw new Error("boom");
    },
  };
  assert.equal(
    sync(enforcer("progressive", { counter: throwing }).decide(call("print-env"), ids)).decision,
    "block",
  );
});

Deno.test("LocalEnforcer escalates across two enforcers sharing a ProgressiveStore", async () => {
  const home = await Deno.makeTempDir();
  try {
    const first = enforcer("progressive", { counter: new ProgressiveStore(home) });
    const second = enforcer("progressive", { counter: new ProgressiveStore(home) });
    const a = await first.decide(call("get-sum"), ids);
    const b = await second.decide(call("get-sum"), ids);
    const c = await first.decide(call("get-sum"), ids);
    assert.deepEqual([a.action.action, b.action.action, c.action.action], [
      "forward_warn",
      "step_up",
      "block",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

/** ask-writes (step_up) matches every write; no-etc (block) the ones under /etc. */
function writesPolicy(stepUpAfter: number, blockAfter: number) {
  return compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [
        { id: "ask-writes", match: { tool: "write_file" }, decision: "step_up" },
        {
          id: "no-etc",
          match: { tool: "write_file", args: { path: { glob: "/etc/**" } } },
          decision: "block",
        },
      ],
      progressive: { window: "1h", stepUpAfter, blockAfter },
    }),
    "t.jsonc",
  ));
}

Deno.test("LocalEnforcer in progressive mode counts every violated rule, not only the deciding one", () => {
  // ask-writes (step_up) is violated by every write; no-etc (block) decides the /etc ones.
  const writes = writesPolicy(1, 2);
  const e = enforcer("progressive", { policy: writes });
  const write = (path: string) => sync(e.decide(call("write_file", { path }), ids));
  const etc = ["/etc/a", "/etc/b", "/etc/c", "/etc/d"].map(write);
  assert.deepEqual(etc.map((v) => v.ruleIds), etc.map(() => ["no-etc"]));
  assert.deepEqual(etc[0]!.evaluation.violatedIds, ["no-etc", "ask-writes"]);
  assert.deepEqual(etc.map((v) => v.action.action), ["forward_warn", "step_up", "block", "block"]);
  // ask-writes was violated four times already: its fifth violation is blocked, not warned.
  const data = write("/data/x");
  assert.deepEqual(data.ruleIds, ["ask-writes"]);
  assert.equal(data.action.action, "block");
  assert.equal(data.action.violationNumber, 5);
  assert.match(data.action.explanation, /violation 5 of rule "ask-writes"/);
});

Deno.test("LocalEnforcer in progressive mode lets the worst-counted violated rule set the rung", () => {
  // A step_up rule broken once before, alongside a block rule never broken: the second rung.
  const two = writesPolicy(1, 3);
  const e = enforcer("progressive", { policy: two });
  const first = sync(e.decide(call("write_file", { path: "/data/x" }), ids));
  assert.equal(first.action.action, "forward_warn");
  const second = sync(e.decide(call("write_file", { path: "/etc/x" }), ids));
  assert.deepEqual(second.ruleIds, ["no-etc"]);
  assert.equal(second.action.action, "step_up");
  assert.equal(second.action.violationNumber, 2);
});

Deno.test("LocalEnforcer's progressive warning shows a hostile server name quoted and escaped", () => {
  const e = enforcer("progressive");
  const seen = sync(
    e.decide({ ...call("print-env"), server: 'everything" is fine, tool "x' }, ids),
  );
  if (seen.warn === undefined) return assert.fail(`no warning: ${JSON.stringify(seen)}`);
  assert.ok(
    seen.warn.includes(
      'tool "print-env" on server "everything\\" is fine, tool \\"x" was forwarded',
    ),
    seen.warn,
  );
});
