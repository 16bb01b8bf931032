/**
 * What `thoth policy check` and `thoth policy explain` tell an admin who
 * rolls one policy out to many machines and scripts both: every problem of
 * an invalid policy as data, notes on rules that cannot do what they look
 * like, the profile's intent map checked against the policy, the
 * `policyHash` decision records carry, and every contribution to a verdict.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempDir } from "../e2e/_harness.ts";

/** Runs `thoth ARGS` in `dir`, with the profile in `dir/.thoth`. */
async function thoth(dir: string, args: string[]) {
  Deno.mkdirSync(`${dir}/.thoth`, { recursive: true, mode: 0o700 });
  const io = fakeCliIo(`${dir}/.thoth`, {});
  Object.assign(io, { cwd: dir });
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, args, io);
  return { code, out: io.stdout, err: io.stderr };
}

async function hexSha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes `dir/p.jsonc`: a policy with `defaultVerdict` and `rules`; returns its path. */
async function writePolicy(
  dir: string,
  defaultVerdict: string,
  rules: Record<string, unknown>[],
): Promise<string> {
  const file = `${dir}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: defaultVerdict, rules }));
  return file;
}

const PROFILE_POLICY = {
  version: 1,
  default: "block",
  intents: { billing: { tools: ["get_*"] } },
  rules: [{ id: "all-fs", match: { server: "fs" }, decision: "allow", reason: "fs is fine" }],
};

Deno.test("thoth policy check --json lists every problem of an invalid policy, each with line, column and key", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/p.jsonc`;
  const rules = Array.from(
    { length: 12 },
    (_, i) => ({ id: `r${i}`, match: {}, decision: "nope" }),
  );
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "alow", rules }, null, 2));
  const run = await thoth(dir.path, ["policy", "check", file, "--json"]);
  assert.equal(run.code, 1);
  const doc = JSON.parse(run.out);
  assert.equal(doc.ok, false);
  assert.equal(doc.error.code, "policy.invalid");
  // The message and hints stay as they were: the first problem, then the others.
  assert.match(doc.error.message, /line 3 column 14: default: expected "allow"/);
  assert.equal(doc.error.hints.length, 13);
  assert.equal(doc.error.problems.length, 13);
  assert.deepEqual(doc.error.problems[0], {
    line: 3,
    column: 14,
    key: "default",
    message: 'expected "allow", "step_up" or "block"; did you mean "allow"?',
  });
  assert.deepEqual(
    doc.error.problems.slice(1).map((p: { key: string }) => p.key),
    rules.map((_, i) => `rules[${i}].decision`),
  );
  // The text lists them all too.
  assert.equal(run.err.match(/: rules\[\d+\]\.decision: /g)?.length, 12);
});

Deno.test("thoth policy check notes rules that cannot do what they look like, on stderr and in notes", async () => {
  await using dir = await tempDir();
  const file = await writePolicy(dir.path, "block", [
    { id: "range", match: { args: { n: { min: 10, max: 5 } } }, decision: "block" },
    { id: "everything-ok", match: {}, decision: "allow" },
  ]);
  const text = await thoth(dir.path, ["policy", "check", file]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.err, /^thoth: note: rule "range": "n" has "min": 10 above "max": 5/m);
  assert.match(text.err, /^thoth: note: rule "everything-ok" allows every call/m);
  assert.match(text.out, /^ {4}range: block \(no reason given\)$/m);
  const json = JSON.parse((await thoth(dir.path, ["policy", "check", file, "--json"])).out);
  assert.deepEqual(json.notes.map((n: { code: string }) => n.code), [
    "policy.min_above_max",
    "policy.allow_everything",
  ]);
  // A missing reason keeps its string, with a marker a script can read.
  assert.deepEqual(json.rules[0], {
    id: "range",
    decision: "block",
    reason: "matched (no reason given)",
    reasonGiven: false,
  });
});

Deno.test("thoth policy check shows risk, safeToLog, the path looked at, and the policyHash decision records carry", async () => {
  await using dir = await tempDir();
  const none = await thoth(dir.path, ["policy", "check"]);
  assert.equal(none.code, 0, none.err);
  assert.ok(
    none.out.startsWith(`✓ no policy file at "${dir.path}/.thoth/policy.jsonc"; the built-in`),
    none.out,
  );
  assert.match(none.out, /^ {2}risk score: step_up at 50, block at 90 \(of 100\)$/m);
  assert.match(none.out, /^ {2}audit\.safeToLog: none /m);
  // The built-in default's hash is the one "policy default" gives, which thoth run records.
  const builtIn = JSON.parse((await thoth(dir.path, ["policy", "check", "--json"])).out);
  const written = JSON.parse((await thoth(dir.path, ["policy", "default", "--json"])).out);
  assert.equal(builtIn.policyHash, written.sha256);
  // A file's hash is over its bytes, a byte-order mark included.
  const file = `${dir.path}/p.jsonc`;
  const bytes = new TextEncoder().encode(
    "\uFEFF" + JSON.stringify({
      version: 1,
      default: "allow",
      detectors: { risk: { stepUpAt: 40, blockAt: 80 } },
      audit: { safeToLog: ["path", "query"] },
    }),
  );
  await Deno.writeFile(file, bytes);
  const text = await thoth(dir.path, ["policy", "check", file]);
  assert.match(text.out, /^ {2}risk score: step_up at 40, block at 80 /m);
  assert.match(text.out, /^ {2}audit\.safeToLog: path, query /m);
  const json = JSON.parse((await thoth(dir.path, ["policy", "check", file, "--json"])).out);
  assert.equal(json.policyHash, await hexSha256(bytes));
  await Deno.writeTextFile(file, '{"version": 1, "default": "allow"}');
  assert.match((await thoth(dir.path, ["policy", "check", file])).out, /^ {2}risk score: off /m);
});

Deno.test("thoth policy check of the profile's policy fails on an intent map entry naming an intent it lacks", async () => {
  await using dir = await tempDir();
  const profile = `${dir.path}/.thoth`;
  Deno.mkdirSync(profile, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${profile}/policy.jsonc`, JSON.stringify(PROFILE_POLICY));
  await Deno.writeTextFile(`${profile}/intent_map.json`, '{"fs":"billng","other":"billing"}');
  const text = await thoth(dir.path, ["policy", "check"]);
  assert.equal(text.code, 1);
  assert.match(text.out, /^ {2}intent map: ".*intent_map\.json", 2 entries, 1 naming an intent/m);
  assert.match(
    text.err,
    /^thoth: error: intent map ".*": entry "fs" names intent "billng", which the policy does not define \(did you mean "billing"\?\): a server started with this profile's policy and no --intent of its own is refused$/m,
  );
  const json = await thoth(dir.path, ["policy", "check", "--json"]);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.out);
  assert.equal(doc.valid, true);
  assert.deepEqual(
    doc.intentMap.problems.map((p: Record<string, unknown>) => [p.entry, p.intent, p.didYouMean]),
    [['"fs"', '"billng"', "billing"]],
  );
  assert.equal(doc.intentMap.failed, true);
  // explain names the entry and the intent meant.
  const explain = await thoth(dir.path, [
    "policy",
    "explain",
    "--server",
    "fs",
    "--tool",
    "get_invoice",
  ]);
  assert.equal(explain.code, 1);
  assert.match(
    explain.err,
    /^thoth: error: intent "billng" is not in the policy\nthoth: hint: use one of: billing\nthoth: hint: did you mean "billing"\?\nthoth: hint: it comes from the intent map entry for "fs"$/m,
  );
  // A map that cannot be read says so, and fails the check too.
  await Deno.writeTextFile(`${profile}/intent_map.json`, "{not json");
  const broken = await thoth(dir.path, ["policy", "check", "--json"]);
  assert.equal(broken.code, 1);
  assert.equal(JSON.parse(broken.out).intentMap.error.code, "intent_map.invalid");
  // A named FILE is not the profile's policy: its map is not checked.
  const named = await thoth(dir.path, ["policy", "check", `${profile}/policy.jsonc`, "--json"]);
  assert.equal(named.code, 0, named.err);
  assert.equal(JSON.parse(named.out).intentMap, null);
  // A good map passes.
  await Deno.writeTextFile(`${profile}/intent_map.json`, '{"fs":"billing"}');
  const good = await thoth(dir.path, ["policy", "check"]);
  assert.equal(good.code, 0, good.err);
  assert.match(good.out, /1 entry, each naming an intent the policy defines$/m);
});

Deno.test("thoth policy explain --json gives every contribution and the disabled rules that would have matched", async () => {
  await using dir = await tempDir();
  const file = await writePolicy(dir.path, "allow", [
    { id: "r-step", match: { tool: "write_*" }, decision: "step_up" },
    { id: "r-block", match: { tool: "write_file" }, decision: "block", reason: "no" },
    { id: "r-off", match: { server: "fs" }, decision: "block", enabled: false },
    { id: "r-allow", match: { server: "fs" }, decision: "allow", reason: "fs" },
  ]);
  const args = ["policy", "explain", "--server", "fs", "--tool", "write_file", "--policy", file];
  const json = JSON.parse((await thoth(dir.path, [...args, "--json"])).out);
  assert.deepEqual(json.ruleIds, ["r-block"]);
  assert.deepEqual(
    json.contributions.map((c: Record<string, unknown>) => [c.source, c.id, c.decision]),
    [
      ["rule", "r-block", "block"],
      ["rule", "r-step", "step_up"],
      ["rule", "r-allow", "allow"],
      ["mode", "mode.block", null],
    ],
  );
  assert.deepEqual(json.disabledMatches, [
    { id: "r-off", decision: "block", reason: "matched (no reason given)", reasonGiven: false },
  ]);
  const text = await thoth(dir.path, args);
  assert.match(text.out, /^disabled rule r-off would have matched \(block, no reason given\)$/m);
});
