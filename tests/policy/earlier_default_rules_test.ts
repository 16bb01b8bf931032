/**
 * earlierDefaultRules() names a `delete-like` rule whose tool globs are an
 * earlier default policy's (those that matched the words inside other
 * words, and the whole-word ones that missed names run together), in any
 * order, with what that rule does differently, and nothing else: not the
 * current default's, not a rule an admin rewrote or disabled, not another id
 * with those globs.
 */
import assert from "node:assert/strict";
import { earlierDefaultRules } from "../../src/policy/earlier_default_rules.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import runTogetherAtStart from "./_delete_like_run_together_at_start.json" with { type: "json" };

/** The globs of the default policy's delete-like rule before it matched whole words only. */
const BEFORE_WHOLE_WORDS = [
  "**[dD]elete**",
  "**DELETE**",
  "**[rR]emove**",
  "**REMOVE**",
  "**[dD]rop**",
  "**DROP**",
  "**[dD]estroy**",
  "**DESTROY**",
  "**[pP]urge**",
  "**PURGE**",
];
/** The first releases' globs. */
const FIRST = ["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"];
/** The globs of the default policy's delete-like rule that matched whole words only. */
const WHOLE_WORDS_ONLY = [
  "{delete,remove,drop,destroy,purge,rm}",
  "{delete,remove,drop,destroy,purge,rm}[-_./A-Z]**",
  "**[-_./]{delete,remove,drop,destroy,purge,rm}",
  "**[-_./]{delete,remove,drop,destroy,purge,rm}[-_./A-Z]**",
  "**{Delete,Remove,Drop,Destroy,Purge,Rm}",
  "**{Delete,Remove,Drop,Destroy,Purge,Rm}[-_./A-Z]**",
  "{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}",
  "{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}[-_./]**",
  "**[-_./]{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}",
  "**[-_./]{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}[-_./]**",
];

/** The current default policy's text with `globs` as its delete-like rule's. */
function defaultWith(globs: readonly string[]): string {
  const rule = DEFAULT_POLICY_JSONC.indexOf('"id": "delete-like"');
  const start = DEFAULT_POLICY_JSONC.indexOf('"match": { "tool": [', rule);
  const end = DEFAULT_POLICY_JSONC.indexOf("] }", start);
  assert.ok(rule > 0 && start > rule && end > start);
  return DEFAULT_POLICY_JSONC.slice(0, start) +
    `"match": { "tool": ${JSON.stringify(globs)} }` +
    DEFAULT_POLICY_JSONC.slice(end + "] }".length);
}

function policyWith(rule: Record<string, unknown>) {
  const text = JSON.stringify({ version: 1, default: "allow", rules: [rule] });
  return parsePolicy(text, "p.jsonc");
}

Deno.test("earlierDefaultRules() notes delete-like with an earlier default's globs", () => {
  for (const tool of [BEFORE_WHOLE_WORDS, FIRST, [...BEFORE_WHOLE_WORDS].reverse()]) {
    const notes = earlierDefaultRules(
      policyWith({ id: "delete-like", match: { tool }, decision: "step_up" }),
    );
    assert.equal(notes.length, 1, tool.join(" "));
    assert.equal(notes[0]!.code, "policy.earlier_default_rule");
    assert.equal(notes[0]!.rule, "delete-like");
    assert.match(notes[0]!.message, /inside other words/);
    assert.match(notes[0]!.message, /dropbox_list_folder/);
    assert.match(notes[0]!.message, /\(step_up\)/);
    assert.match(notes[0]!.remedy, /"thoth policy default"/);
    assert.match(notes[0]!.remedy, /deletefile/);
    // The remedy describes the current default: its other words, the word last, truncate.
    assert.match(notes[0]!.remedy, /prune, terminate, uninstall, erase, wipe, trash and unlink/);
    assert.match(notes[0]!.remedy, /\(bulkdelete, gitrm\)/);
    assert.match(notes[0]!.remedy, /truncate before table or file/);
    assert.doesNotMatch(notes[0]!.message, /run together/);
  }
});

Deno.test("earlierDefaultRules() notes the whole-word delete-like rule: it misses names run together", () => {
  for (const tool of [WHOLE_WORDS_ONLY, [...WHOLE_WORDS_ONLY].reverse()]) {
    const notes = earlierDefaultRules(
      policyWith({ id: "delete-like", match: { tool }, decision: "step_up" }),
    );
    assert.equal(notes.length, 1, tool.join(" "));
    assert.equal(notes[0]!.code, "policy.earlier_default_rule");
    assert.equal(notes[0]!.rule, "delete-like");
    assert.match(notes[0]!.message, /only as whole words/);
    assert.match(notes[0]!.message, /run together such as deletefile, purgecache, rmdir/);
    assert.match(notes[0]!.message, /deletedbinstance or bulkdelete/);
    assert.match(notes[0]!.message, /docker_prune, terminate_instances, helm_uninstall/);
    assert.match(notes[0]!.message, /does not get its verdict \(step_up\)$/);
    assert.doesNotMatch(notes[0]!.message, /inside other words|dropbox_list_folder/);
    assert.match(notes[0]!.remedy, /"thoth policy default"/);
  }
  // The whole default policy as that release wrote it: one note, the same.
  const written = earlierDefaultRules(parsePolicy(defaultWith(WHOLE_WORDS_ONLY), "p.jsonc"));
  assert.deepEqual(written.map((n) => [n.rule, /run together/.test(n.message)]), [
    ["delete-like", true],
  ]);
  // The current default's text round-trips through defaultWith(): no note.
  const current = parsePolicy(DEFAULT_POLICY_JSONC, "p.jsonc").rules?.find((r) =>
    r.id === "delete-like"
  )?.match.tool as string[];
  assert.deepEqual(earlierDefaultRules(parsePolicy(defaultWith(current), "p.jsonc")), []);
});

Deno.test("earlierDefaultRules() leaves the current default and an admin's rules alone", () => {
  assert.deepEqual(earlierDefaultRules(parsePolicy(DEFAULT_POLICY_JSONC, "p.jsonc")), []);
  const others = [
    // rewritten: one glob less, or one more
    { id: "delete-like", match: { tool: BEFORE_WHOLE_WORDS.slice(1) }, decision: "step_up" },
    { id: "delete-like", match: { tool: [...FIRST, "*rm*"] }, decision: "step_up" },
    { id: "delete-like", match: { tool: WHOLE_WORDS_ONLY.slice(1) }, decision: "step_up" },
    {
      id: "delete-like",
      match: { tool: [...WHOLE_WORDS_ONLY, "{delete,remove,purge}[a-z]**"] },
      decision: "step_up",
    },
    // disabled: it decides nothing
    { id: "delete-like", match: { tool: FIRST }, decision: "step_up", enabled: false },
    // another rule's id
    { id: "my-deletes", match: { tool: FIRST }, decision: "block" },
    // no tool globs
    { id: "delete-like", match: { server: "fs" }, decision: "step_up" },
  ];
  for (const rule of others) {
    assert.deepEqual(earlierDefaultRules(policyWith(rule)), [], JSON.stringify(rule));
  }
});

/**
 * The delete-like rule's globs of the release that first took names run
 * together, as `thoth policy default` printed them (the default policy's
 * text at that release).
 */
const RUN_TOGETHER_AT_START: string[] = runTogetherAtStart;

Deno.test("earlierDefaultRules() notes the delete-like rule that took names run together only at the start", () => {
  for (const tool of [RUN_TOGETHER_AT_START, [...RUN_TOGETHER_AT_START].reverse()]) {
    const notes = earlierDefaultRules(
      policyWith({ id: "delete-like", match: { tool }, decision: "step_up" }),
    );
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /run together only at the start of the name/);
    assert.match(notes[0]!.message, /s3_deletefile, terminate_ec2_instances/);
    assert.match(notes[0]!.message, /do not get its verdict \(step_up\)$/);
    assert.match(notes[0]!.remedy, /s3_deletefile/);
    assert.match(notes[0]!.remedy, /terminate_ec2_instances/);
  }
  const written = earlierDefaultRules(parsePolicy(defaultWith(RUN_TOGETHER_AT_START), "p.jsonc"));
  assert.deepEqual(written.map((n) => n.rule), ["delete-like"]);
  // One glob less is an admin's rule: no note.
  assert.deepEqual(
    earlierDefaultRules(
      policyWith({
        id: "delete-like",
        match: { tool: RUN_TOGETHER_AT_START.slice(1) },
        decision: "step_up",
      }),
    ),
    [],
  );
});
