/**
 * `thoth health --json` reports a profile policy that keeps a rule an earlier
 * default policy wrote (`delete-like` with the globs that matched delete,
 * drop, … inside other words) in `policy.notes`, as `thoth policy check
 * --json` lists it and `thoth doctor`'s policy check warns of it; the policy
 * stays valid. The real CLI, as a subprocess.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";

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

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [
    { id: "delete-like", match: { tool: BEFORE_WHOLE_WORDS }, decision: "step_up" },
  ],
});

Deno.test("thoth health --json lists an earlier default's delete-like rule in policy.notes", async () => {
  const dir = await tempFolder("thoth-health-earlier-rule-");
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY, { mode: 0o600 });
  const options = { env: { HOME: dir, THOTH_HOME: home }, cwd: dir };

  const health = await runThoth(["health", "--json"], options);
  assert.equal(health.code, 0, health.err);
  const report = HealthReportSchema.parse(JSON.parse(health.out));
  assert.equal(report.policy.valid, true);
  assert.equal(report.policy.problem, null);
  assert.equal(report.policy.notes?.length, 1);
  const note = report.policy.notes?.[0];
  assert.equal(note?.code, "policy.earlier_default_rule");
  assert.equal(note?.rule, "delete-like");
  assert.match(note?.message ?? "", /dropbox_list_folder/);
  assert.match(note?.remedy ?? "", /"thoth policy default"/);

  // In the words of thoth policy check --json, and the note doctor warns of.
  const check = await runThoth(["policy", "check", "--json"], options);
  assert.equal(check.code, 0, check.err);
  assert.deepEqual(report.policy.notes, JSON.parse(check.out).notes);
  const doctor = await runThoth(["doctor", "--json"], options);
  const policyCheck =
    (JSON.parse(doctor.out).checks as { id: string; status: string; hint: string }[])
      .find((c) => c.id === "policy");
  assert.equal(policyCheck?.status, "warn");
  assert.equal(policyCheck?.hint, note?.remedy);

  // Said on stderr beside the JSON, and in the report for a person, with its remedy.
  assert.ok(health.err.includes(`thoth: policy: ${note?.message}`), health.err);
  assert.ok(health.err.includes(`thoth: hint: ${note?.remedy}`), health.err);
  const text = await runThoth(["health"], options);
  assert.equal(text.code, 0, text.err);
  const policyRow = text.out.split("\n").find((line) => line.trimStart().startsWith("policy"));
  assert.ok(policyRow?.includes(note?.message ?? "?"), text.out);
  assert.ok(policyRow?.includes(note?.remedy ?? "?"), text.out);
});
