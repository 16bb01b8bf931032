import assert from "node:assert/strict";
import { planUnwrap } from "../../src/config/plan_unwrap.ts";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { fixture, GOLDEN, GOLDEN_OPTIONS, PRE_WRAPPED, THOTH } from "./_golden.ts";

for (const name of GOLDEN) {
  const original = PRE_WRAPPED.has(name) ? `${name}.unwrapped.json` : `${name}.input.json`;
  Deno.test(`planUnwrap() restores ${original} byte for byte after wrap`, () => {
    const plan = planUnwrap(fixture(`${name}.expected.json`));
    assert.equal(plan.text, fixture(original));
  });
}

for (const name of PRE_WRAPPED) {
  Deno.test(`planUnwrap() unwraps hand-wrapped servers in ${name} config`, () => {
    const plan = planUnwrap(fixture(`${name}.input.json`));
    assert.equal(plan.text, fixture(`${name}.unwrapped.json`));
    assert.ok(plan.servers.some((s) => s.action === "unwrapped"));
  });
}

Deno.test("planUnwrap() round-trips several wraps with different selections", () => {
  const input = fixture("claude-desktop.input.json");
  let text = planWrap(input, GOLDEN_OPTIONS).text;
  text = planWrap(text, {
    thothCommand: ["/usr/local/bin/thoth"],
    enforcementMode: "progressive",
    env: [["THOTH_USER_ID", "bo@example.com"], ["SLACK_TEAM_ID", "T999"], ["EXTRA", "1"]],
  }).text;
  assert.match(text, /"SLACK_TEAM_ID": "T999"/);
  assert.equal(planUnwrap(text).text, input);
});

Deno.test("planUnwrap() puts back an env value wrap replaced", () => {
  const input = fixture("claude-code-project.unwrapped.json");
  const wrapped = planWrap(input, GOLDEN_OPTIONS).text;
  assert.match(wrapped, /"THOTH_USER_ID": "ana@example\.com"/);
  assert.match(planUnwrap(wrapped).text, /"THOTH_USER_ID": "old@example\.com"/);
  assert.equal(planUnwrap(wrapped).text, input);
});

Deno.test("planUnwrap() keeps env keys a user added after the wrap", () => {
  const input = '{"mcpServers": {"a": {"command": "/bin/a"}}}';
  const wrapped = planWrap(input, { thothCommand: [THOTH], env: [["K", "v"]] }).text;
  const edited = wrapped.replace('"K": "v"', '"K": "v", "MINE": "1"');
  assert.equal(
    planUnwrap(edited).text,
    '{"mcpServers": {"a": {"command": "/bin/a", "env": {"MINE": "1"}}}}',
  );
});

Deno.test("planUnwrap() leaves unwrapped, remote and disabled servers alone", () => {
  const input = fixture("claude-desktop.input.json");
  const plan = planUnwrap(input);
  assert.equal(plan.text, input);
  assert.equal(plan.changed, false);
  assert.deepEqual(plan.servers.map((s) => s.action), [
    "unchanged",
    "unchanged",
    "unchanged",
    "unchanged",
    "skipped",
    "unchanged",
  ]);
});

Deno.test("planUnwrap() skips an entry whose THOTH_WRAP record was tampered with", () => {
  const text = `{"mcpServers": {"a": {"command": "${THOTH}", "args": ["run", "--agent-id", "a", ` +
    `"--", "/bin/a"], "env": {"THOTH_WRAP": "v1;was.X=%22a%22%2C%20%22Y%22%3A%201"}}}}`;
  const plan = planUnwrap(text);
  assert.equal(plan.text, text);
  assert.equal(plan.servers[0]?.action, "skipped");
  assert.match(plan.servers[0]?.reasons[0] ?? "", /not a JSON string/);
});

Deno.test("planUnwrap() skips a thoth entry it does not understand instead of calling it not wrapped", () => {
  const text = `{"mcpServers": {"a": {"command": "${THOTH}", "args": ["serve"]}}}`;
  const plan = planUnwrap(text);
  assert.equal(plan.text, text);
  assert.equal(plan.servers[0]?.action, "skipped");
  assert.deepEqual(plan.servers[0]?.reasons, [
    'thoth entry not understood: its arguments start with "serve", not "run"; fix it by hand',
  ]);
});
