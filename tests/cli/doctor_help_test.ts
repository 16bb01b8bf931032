/**
 * `thoth doctor --help` says what doctor checks, when it uses the network,
 * and gives examples in the house form.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("thoth doctor --help lists the checks, the network it uses, and examples", async () => {
  const home = await tempFolder("thoth-doctor-help-");
  const run = await runThoth(["doctor", "--help"], {
    env: { HOME: home, THOTH_HOME: `${home}/.thoth` },
    cwd: home,
  });
  assert.equal(run.code, 0, run.err);
  const out = run.out;
  for (
    const id of [
      "runtime",
      "sandbox",
      "endpoint_identity",
      "profile",
      "environment",
      "credentials",
      "policy",
      "intent_map",
      "client_configs",
      "upstream_path",
      "audit",
      "enforcer",
      "approval_channels",
    ]
  ) {
    assert.match(out, new RegExp(`^  ${id} +\\S`, "m"), id);
  }
  const words = out.replace(/\s+/g, " ");
  assert.match(
    words,
    /Network: doctor uses the network for the enforcer check only, and only when THOTH_TENANT_ID and THOTH_APEX_DOMAIN are set and valid/,
  );
  assert.match(out, /^Examples:\n {2}# check this machine, in words\n {2}thoth doctor$/m);
  assert.match(out, /^ {2}thoth doctor --json \| jq /m);
  for (const line of out.split("\n")) assert.ok(line.length <= 80, line);
});
