/**
 * A profile set up before the default policy had its `command-runners` rule
 * keeps the policy it wrote, where a tool that runs shell commands is
 * allowed unasked. The real `thoth policy check` notes it (a `thoth: note:`
 * line, `notes` in `--json`; exit 0 still) with how to take the rule, and
 * doctor's policy check warns; once the current default is taken, nothing.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { testContext } from "../doctor/_helpers.ts";
import { withoutCommandRunners } from "../policy/_earlier_default_texts.ts";

Deno.test("thoth policy check notes a default-written policy without command-runners", async () => {
  const dir = await tempFolder("thoth-command-runners-note-");
  const profile = `${dir}/profile`;
  await Deno.mkdir(profile, { mode: 0o700 });
  const env = { HOME: dir, THOTH_HOME: profile };
  await Deno.writeTextFile(`${profile}/policy.jsonc`, withoutCommandRunners(), { mode: 0o600 });

  const text = await runThoth(["policy", "check"], { env, cwd: dir });
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /is valid/);
  assert.match(
    text.err,
    /^thoth: note: the policy is an earlier default policy's, .*"command-runners"/m,
  );
  assert.match(text.err, /^thoth: hint: .*"thoth policy default"/m);
  const json = await runThoth(["policy", "check", "--json"], { env, cwd: dir });
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out);
  assert.deepEqual(doc.notes.map((n: { code: string; rule: string }) => [n.code, n.rule]), [
    ["policy.earlier_default_rule", "command-runners"],
  ]);
  const explained = await runThoth(
    ["policy", "explain", "--server", "s", "--tool", "run_command", "--json"],
    { env, cwd: dir },
  );
  assert.deepEqual(JSON.parse(explained.out).ruleIds, ["policy.default"]);
  const doctor = await checkPolicy(testContext(profile));
  assert.equal(doctor.status, "warn", doctor.message);
  assert.match(doctor.message, /"command-runners"/);

  // Taken the current default: nothing to note, and run_command is asked.
  const current = await runThoth(["policy", "default"], { env, cwd: dir });
  await Deno.writeTextFile(`${profile}/policy.jsonc`, current.out);
  const now = await runThoth(["policy", "check", "--json"], { env, cwd: dir });
  assert.deepEqual(JSON.parse(now.out).notes, []);
  const asked = await runThoth(
    ["policy", "explain", "--server", "s", "--tool", "run_command", "--json"],
    { env, cwd: dir },
  );
  assert.deepEqual(JSON.parse(asked.out).ruleIds, ["command-runners"]);
  assert.equal((await checkPolicy(testContext(profile))).status, "pass");
});
