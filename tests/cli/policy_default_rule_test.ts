/**
 * An admin whose policy an earlier default wrote is told of it whatever
 * its `delete-like` holds, sees every such note counted in doctor, and
 * takes one rule of the default with `thoth policy default --rule ID`
 * (JSONC that pastes into "rules"), instead of copying its globs by hand.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { earlierDefaultRules } from "../../src/policy/earlier_default_rules.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { defaultRuleText } from "../../src/policy/default_rule_text.ts";

const READS = { id: "reads", match: { annotations: { readOnlyHint: true } }, decision: "allow" };
const DESTRUCTIVE = {
  id: "destructive",
  match: { annotations: { destructiveHint: true } },
  decision: "step_up",
};

function policy(rules: unknown[]): string {
  return JSON.stringify({ version: 1, default: "allow", rules }, null, 2);
}

Deno.test("earlierDefaultRules() notes a missing command-runners whatever delete-like holds", () => {
  const own = { id: "delete-like", match: { tool: ["**wipe**"] }, decision: "step_up" };
  for (const rules of [[READS, DESTRUCTIVE, own], [READS, DESTRUCTIVE]]) {
    const notes = earlierDefaultRules(parsePolicy(policy(rules), "p.jsonc"));
    assert.deepEqual(notes.map((n) => n.rule), ["command-runners"]);
    assert.match(notes[0]!.remedy, /thoth policy default --rule command-runners/);
  }
  // A single-rule policy is no default's; a disabled command-runners silences the note.
  assert.deepEqual(earlierDefaultRules(parsePolicy(policy([own]), "p.jsonc")), []);
  const off = { id: "command-runners", match: { tool: "x" }, decision: "step_up", enabled: false };
  assert.deepEqual(
    earlierDefaultRules(parsePolicy(policy([READS, DESTRUCTIVE, own, off]), "p.jsonc")),
    [],
  );
});

Deno.test("defaultRuleText() pastes into a policy's rules as the default's rule", () => {
  const text = defaultRuleText("command-runners")!;
  const pasted = `{ "version": 1, "default": "allow", "rules": [\n${text}] }`;
  const parsed = parsePolicy(pasted, "p.jsonc");
  assert.equal(parsed.rules?.length, 1);
  assert.equal(parsed.rules?.[0]?.id, "command-runners");
  assert.equal(defaultRuleText("no-such-rule"), undefined);
});

Deno.test("thoth policy default --rule prints one rule; an unknown id is a usage error listing them", async () => {
  const dir = await tempFolder("thoth-policy-default-rule-");
  const options = { env: { HOME: dir, THOTH_HOME: `${dir}/profile` }, cwd: dir };
  const ok = await runThoth(["policy", "default", "--rule", "delete-like"], options);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^\{\n {2}"id": "delete-like",/);
  const bad = await runThoth(["policy", "default", "--rule", "nope"], options);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /no rule "nope"/);
  assert.match(bad.err, /hint: its rules: reads, destructive, delete-like, command-runners/);
  const help = await runThoth(["policy", "default", "--help"], options);
  assert.match(help.out, /--rule <id>/);
  assert.match(help.out, /policy default --rule command-runners/);
});

Deno.test("thoth doctor counts the earlier-default notes after the first", async () => {
  const dir = await tempFolder("thoth-doctor-earlier-more-");
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  const before = ["**[dD]elete**", "**DELETE**", "**[rR]emove**", "**REMOVE**", "**[dD]rop**"];
  const earlier = [
    ...before,
    "**DROP**",
    "**[dD]estroy**",
    "**DESTROY**",
    "**[pP]urge**",
    "**PURGE**",
  ];
  const deleteLike = { id: "delete-like", match: { tool: earlier }, decision: "step_up" };
  await Deno.writeTextFile(`${home}/policy.jsonc`, policy([READS, DESTRUCTIVE, deleteLike]), {
    mode: 0o600,
  });
  const doctor = await runThoth(["doctor", "--json"], {
    env: { HOME: dir, THOTH_HOME: home },
    cwd: dir,
  });
  const check = (JSON.parse(doctor.out).checks as { id: string; message: string }[])
    .find((c) => c.id === "policy");
  assert.match(check?.message ?? "", /; and 1 more: thoth policy check /);
});
