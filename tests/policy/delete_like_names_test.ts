/**
 * The default policy's `delete-like` rule matches its words as whole words
 * of a tool name (bounded by the start or end, `_ . - /`, or a camelCase
 * capital) and at the start of a lower-case name run together with what
 * they delete (`deletefile`, `rmdir`, `droptable`, `deletedbinstance`) or
 * last after bulk, batch, soft, force, hard, git or mass (`bulkdelete`,
 * `gitrm`), with prune, terminate, uninstall, erase, wipe, trash and unlink
 * as words of their own and truncate before a table or file: a read-only
 * `dropbox_list_folder`, `list_deleted_files`, `removeditems` or
 * `truncate_text` is allowed, `delete_file`, `bulkDelete`, `purgecache` and
 * `docker_prune` still ask, and a tool that declares `destructiveHint` asks
 * whatever its name.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";
import {
  ASKED_THOUGH_NOT_DELETING,
  DELETES,
  DELETES_OTHER_WORDS,
  DELETES_RUN_TOGETHER,
  DOES_NOT_DELETE,
  DOES_NOT_DELETE_OTHER_WORDS,
  DOES_NOT_DELETE_RUN_TOGETHER,
} from "./_delete_like_names.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));

function verdict(tool: string, annotations: Record<string, boolean>) {
  const e = evaluate(policy, toolCall("svc", tool, {}, annotations), { intent: undefined });
  return { tool, decision: e.decision, ruleIds: e.ruleIds };
}

Deno.test("the default delete-like rule asks about every name that says it deletes", () => {
  for (const tool of DELETES) {
    assert.deepEqual(verdict(tool, { readOnlyHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["delete-like"],
    });
    assert.deepEqual(verdict(tool, {}), { tool, decision: "step_up", ruleIds: ["delete-like"] });
  }
});

Deno.test("the default delete-like rule leaves a word inside another word alone", () => {
  for (const tool of DOES_NOT_DELETE) {
    assert.deepEqual(verdict(tool, { readOnlyHint: true }), {
      tool,
      decision: "allow",
      ruleIds: ["reads"],
    });
    assert.deepEqual(verdict(tool, {}), {
      tool,
      decision: "allow",
      ruleIds: ["policy.default"],
    });
  }
});

Deno.test("the default delete-like rule asks about a lower-case name that starts with the word run together", () => {
  for (const tool of [...DELETES_RUN_TOGETHER, ...ASKED_THOUGH_NOT_DELETING]) {
    assert.deepEqual(verdict(tool, { readOnlyHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["delete-like"],
    });
  }
});

Deno.test("the default delete-like rule leaves a run-together name with the word's own ending alone", () => {
  for (const tool of [...DOES_NOT_DELETE_RUN_TOGETHER, ...DOES_NOT_DELETE_OTHER_WORDS]) {
    assert.deepEqual(verdict(tool, {}), { tool, decision: "allow", ruleIds: ["policy.default"] });
    assert.deepEqual(verdict(tool, { destructiveHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["destructive"],
    });
  }
});

Deno.test("the default delete-like rule asks about prune, terminate, uninstall, erase, wipe, trash, unlink and truncate_table", () => {
  for (const tool of DELETES_OTHER_WORDS) {
    assert.deepEqual(verdict(tool, { readOnlyHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["delete-like"],
    });
    assert.deepEqual(verdict(tool, { destructiveHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["destructive", "delete-like"],
    });
  }
});

Deno.test("a tool that declares destructiveHint asks whatever its name", () => {
  for (const tool of DOES_NOT_DELETE) {
    assert.deepEqual(verdict(tool, { destructiveHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["destructive"],
    });
  }
  for (const tool of DELETES) {
    assert.deepEqual(verdict(tool, { destructiveHint: true }), {
      tool,
      decision: "step_up",
      ruleIds: ["destructive", "delete-like"],
    });
  }
});
