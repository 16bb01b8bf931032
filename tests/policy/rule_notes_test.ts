import assert from "node:assert/strict";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { ruleNotes } from "../../src/policy/rule_notes.ts";

function notesOf(policy: Record<string, unknown>) {
  return ruleNotes(parsePolicy(JSON.stringify({ version: 1, ...policy }), "p.jsonc"));
}

function rule(id: string, decision: string, match: Record<string, unknown>, extra = {}) {
  return { id, match, decision, ...extra };
}

Deno.test("ruleNotes() notes each part that cannot do what it looks like, where it is", () => {
  const notes = notesOf({
    default: "block",
    rules: [
      rule("range", "block", { args: { n: { min: 10, max: 5 } } }),
      rule("deep", "block", {
        args: { "**.password": { exists: true }, "a*.b": { exists: true } },
      }),
      rule("data", "allow", { args: { path: { prefix: ["/data", "C:\\Users\\ana"] } } }),
      rule("everything-ok", "allow", {}),
    ],
    progressive: { window: "1ms", stepUpAfter: 1, blockAfter: 3 },
  });
  assert.deepEqual(notes.map((n) => [n.code, n.rule, n.key]), [
    ["policy.min_above_max", "range", "rules[0].match.args.n"],
    ["policy.literal_wildcard_key", "deep", 'rules[1].match.args["**.password"]'],
    ["policy.literal_wildcard_key", "deep", 'rules[1].match.args["a*.b"]'],
    ["policy.open_prefix", "data", "rules[2].match.args.path"],
    ["policy.open_prefix", "data", "rules[2].match.args.path"],
    ["policy.allow_everything", "everything-ok", "rules[3].match"],
    ["policy.short_window", null, "progressive.window"],
  ]);
  // Each says what to write instead.
  assert.match(notes[0]!.remedy, /"min": 5, "max": 10/);
  assert.match(notes[1]!.remedy, /"\*\.password"/);
  assert.match(notes[3]!.message, /"\/database"/);
  assert.match(notes[3]!.remedy, /"\/data\/"/);
  assert.match(notes[5]!.message, /default "block" never applies/);
  assert.match(notes[6]!.remedy, /"24h"/);
});

Deno.test("ruleNotes() leaves alone what does what it looks like", () => {
  const notes = notesOf({
    default: "allow",
    rules: [
      // A disabled rule decides nothing.
      rule("off", "block", { args: { n: { min: 10, max: 5 } } }, { enabled: false }),
      // A quoted key is literal as written; "*" and "[*]" are every element.
      rule("keys", "block", {
        args: { '["**"].x': { exists: true }, "a.*.b[*]": { exists: true } },
      }),
      // A folder prefix, a block rule's prefix, a prefix that is no path.
      rule("dirs", "allow", { args: { path: { prefix: "/data/" }, q: { prefix: "SELECT" } } }),
      rule("wide", "block", { args: { path: { prefix: "/etc" } } }),
      // "match": {} in a policy that allows by default changes nothing.
      rule("all", "allow", {}),
    ],
    progressive: { window: "1m", stepUpAfter: 1, blockAfter: 3 },
  });
  assert.deepEqual(notes, []);
});
