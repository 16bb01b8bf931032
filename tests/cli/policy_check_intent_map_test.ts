/**
 * `thoth policy check` of the profile's policy with its intent map: an
 * entry naming an intent the policy lacks is worded as what `thoth run`
 * does (a server started with this policy and no `--intent` is refused),
 * a key pasted into the map never appears in clear, and with `--json` a
 * failing map says so on stderr and in `ok`. The doctor makes the same
 * check, showing names the same way.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempDir } from "../e2e/_harness.ts";
import { mapIntentProblems } from "../../src/policy/map_intent_problems.ts";
import { showName } from "../../src/identity/shown_env_value.ts";

/** Runs `thoth ARGS` with the profile `dir/.thoth`, which holds `policy` and `map`. */
async function thoth(dir: string, map: string | null, args: string[]) {
  const profile = `${dir}/.thoth`;
  Deno.mkdirSync(profile, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(
    `${profile}/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow", intents: { billing: { tools: ["get_*"] } } }),
  );
  if (map !== null) await Deno.writeTextFile(`${profile}/intent_map.json`, map);
  const io = fakeCliIo(profile, {});
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, args, io);
  return { code, out: io.stdout, err: io.stderr };
}

const KEY = "AKIAIOSFODNN7EXAMPLE";

Deno.test("policy check shows a key pasted into the intent map by fingerprint only", async () => {
  await using dir = await tempDir();
  for (const map of [`{"fs":"${KEY}"}`, `{"${KEY}":"billng"}`]) {
    const text = await thoth(dir.path, map, ["policy", "check"]);
    assert.equal(text.code, 1);
    assert.match(text.err, /\(value hidden: it looks like a key or token, fingerprint /);
    const json = await thoth(dir.path, map, ["policy", "check", "--json"]);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.out).intentMap.problems.length, 1);
    for (const shown of [text.out, text.err, json.out, json.err]) {
      assert.doesNotMatch(shown, /AKIAIOSFODNN7EXAMPLE|IOSFODNN7/);
    }
  }
  // The one check doctor makes too, names written by the same rule.
  assert.deepEqual(mapIntentProblems({ fs: KEY, ok: "billing" }, ["billing"], showName), [
    { entry: '"fs"', intent: showName(KEY), didYouMean: null },
  ]);
});

Deno.test("policy check says which servers thoth run refuses over the map: those with no --intent", async () => {
  await using dir = await tempDir();
  const text = await thoth(dir.path, '{"fs":"billng"}', ["policy", "check"]);
  assert.equal(text.code, 1);
  assert.match(
    text.err,
    /: a server started with this profile's policy and no --intent of its own is refused$/m,
  );
  assert.doesNotMatch(text.err, /so thoth run refuses that server/);
  const help = await thoth(dir.path, null, ["policy", "check", "--help"]);
  assert.match(
    help.out.replace(/\s+/g, " "),
    /no --intent of its own is refused \(one with --intent, or --policy FILE, is not\)/,
  );
});

Deno.test("policy check --json of a failing intent map says so on stderr and in ok", async () => {
  await using dir = await tempDir();
  for (const map of ['{"fs":"billng"}', "{not json"]) {
    const json = await thoth(dir.path, map, ["policy", "check", "--json"]);
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.out);
    assert.equal(doc.valid, true);
    assert.equal(doc.ok, false);
    assert.match(
      json.err,
      /^thoth: error: intent map ".*intent_map\.json" (has 1 entry naming an intent the policy does not define|cannot be used) \(see "intentMap"\): a server started with this profile's policy and no --intent of its own is refused\n$/,
    );
  }
  const good = await thoth(dir.path, '{"fs":"billing"}', ["policy", "check", "--json"]);
  assert.equal(good.code, 0, good.err);
  assert.equal(JSON.parse(good.out).ok, true);
  assert.equal(good.err, "");
});
