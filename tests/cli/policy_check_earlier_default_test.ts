/**
 * A profile keeps the policy its first `thoth run` wrote. The real `thoth
 * policy check` notes (a `thoth: note:` line, `notes` in `--json`; exit 0
 * still) a policy an earlier release's default wrote, whose `delete-like`
 * globs match the words inside other words, and says how to take the current
 * rule; on the current default it notes nothing. Doctor's policy check warns
 * the same (a warn fails nothing).
 *
 * The first `policy check` is a real `thoth` process; the later commands run
 * the CLI's own code in this process (`thothInProcess`): what they show is
 * what the command decides, not its process.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { thothInProcess } from "./_thoth_in_process.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { testContext } from "../doctor/_helpers.ts";

/** The delete-like globs of the default policy before it matched whole words only. */
const EARLIER_GLOBS = `[
        "**[dD]elete**", "**DELETE**", "**[rR]emove**", "**REMOVE**", "**[dD]rop**", "**DROP**",
        "**[dD]estroy**", "**DESTROY**", "**[pP]urge**", "**PURGE**"
      ]`;

/** The current default policy with the earlier default's delete-like globs. */
function earlierDefault(): string {
  const rule = DEFAULT_POLICY_JSONC.indexOf('"id": "delete-like"');
  const start = DEFAULT_POLICY_JSONC.indexOf('"match": { "tool": [', rule);
  const end = DEFAULT_POLICY_JSONC.indexOf("] }", start);
  assert.ok(rule > 0 && start > rule && end > start);
  return DEFAULT_POLICY_JSONC.slice(0, start) + `"match": { "tool": ${EARLIER_GLOBS} }` +
    DEFAULT_POLICY_JSONC.slice(end + "] }".length);
}

Deno.test("thoth policy check notes a delete-like rule an earlier default wrote, and not the current one", async () => {
  const dir = await tempFolder("thoth-earlier-default-");
  const profile = `${dir}/profile`;
  await Deno.mkdir(profile, { mode: 0o700 });
  const env = { HOME: dir, THOTH_HOME: profile };
  await Deno.writeTextFile(`${profile}/policy.jsonc`, earlierDefault(), { mode: 0o600 });

  const text = await runThoth(["policy", "check"], { env, cwd: dir });
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /is valid/);
  assert.match(
    text.err,
    /^thoth: note: rule "delete-like" is an earlier default policy's: .*inside other words.*dropbox_list_folder/m,
  );
  assert.match(text.err, /^thoth: hint: .*"thoth policy default"/m);
  const json = await thothInProcess(["policy", "check", "--json"], { env, cwd: dir });
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out);
  assert.equal(doc.valid, true);
  assert.deepEqual(doc.notes.map((n: { code: string; rule: string }) => [n.code, n.rule]), [[
    "policy.earlier_default_rule",
    "delete-like",
  ]]);
  const doctor = await checkPolicy(testContext(profile));
  assert.equal(doctor.status, "warn", doctor.message);
  assert.match(doctor.message, /earlier default policy's/);
  assert.match(doctor.hint ?? "", /thoth policy default/);

  // Taken the current default: nothing to note.
  const current = await thothInProcess(["policy", "default"], { env, cwd: dir });
  await Deno.writeTextFile(`${profile}/policy.jsonc`, current.out);
  const now = await thothInProcess(["policy", "check", "--json"], { env, cwd: dir });
  assert.equal(now.code, 0, now.err);
  assert.deepEqual(JSON.parse(now.out).notes, []);
  const plain = await thothInProcess(["policy", "check"], { env, cwd: dir });
  assert.equal(plain.err, "");
  assert.equal((await checkPolicy(testContext(profile))).status, "pass");
});
