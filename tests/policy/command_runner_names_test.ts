/**
 * The default policy's `command-runners` rule asks a person about a tool
 * whose name says it runs a shell or OS command, a script or code
 * (`run_command`, `shell`, `execute_code`, `ssh_exec`, `write_to_terminal`),
 * whatever it declares: such a tool can do anything its user can, answering
 * thoth's approval requests too. A tool that only reads or lists terminals
 * and processes, a query language, tests, workflows and `git_*` tools get no
 * verdict from it. Each name is its own test, so a change to the rule's
 * globs names every tool it broke.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { COMMAND_RUNNER_GLOBS } from "../../src/policy/command_runner_globs.ts";
import { toolCall } from "./_call.ts";
import {
  ASKED_THOUGH_READING,
  DOES_NOT_RUN_COMMANDS,
  RUNS_COMMANDS,
} from "./_command_runner_names.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));

function verdict(tool: string, annotations: Record<string, boolean>) {
  const e = evaluate(policy, toolCall("svc", tool, { command: "ls" }, annotations), {
    intent: undefined,
  });
  return { decision: e.decision, ruleIds: e.ruleIds };
}

Deno.test("the name corpus is large and every name is in one list", () => {
  assert.ok(RUNS_COMMANDS.length + DOES_NOT_RUN_COMMANDS.length >= 300);
  const all = [...RUNS_COMMANDS, ...DOES_NOT_RUN_COMMANDS, ...ASKED_THOUGH_READING];
  assert.equal(new Set(all).size, all.length);
});

Deno.test("the default policy writes the command-runners rule's globs, as step_up", () => {
  const rule = parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc").rules?.find((r) =>
    r.id === "command-runners"
  );
  assert.equal(rule?.decision, "step_up");
  assert.deepEqual(rule?.match.tool, [...COMMAND_RUNNER_GLOBS]);
  assert.equal(rule?.reason, "the tool name says it runs commands or code");
});

for (const tool of [...RUNS_COMMANDS, ...ASKED_THOUGH_READING]) {
  Deno.test(`command-runners asks about ${tool}, even when it declares it only reads`, () => {
    const asked = { decision: "step_up", ruleIds: ["command-runners"] };
    assert.deepEqual(verdict(tool, {}), asked);
    assert.deepEqual(verdict(tool, { readOnlyHint: true }), asked);
  });
}

for (const tool of DOES_NOT_RUN_COMMANDS) {
  Deno.test(`command-runners leaves ${tool} alone`, () => {
    const e = verdict(tool, {});
    assert.ok(!e.ruleIds.includes("command-runners"), JSON.stringify(e));
    // Only delete-like may ask about it (force_terminate, kill_process...).
    if (!e.ruleIds.includes("delete-like")) {
      assert.deepEqual(e, { decision: "allow", ruleIds: ["policy.default"] });
    }
  });
}
