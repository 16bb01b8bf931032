/**
 * `thoth doctor --help` describes the enforcer check as it now rates the
 * enforcer's answer (`check_enforcer.ts`, `rate_http_answer.ts`): a healthy
 * answer passes, a server error or throttling warns, and a redirect off
 * the enforcer's origin is named; and it says this build does not use it.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("thoth doctor --help says the enforcer check wants the answer of a healthy server", async () => {
  const home = await tempFolder("thoth-doctor-help-enforcer-");
  const run = await runThoth(["doctor", "--help"], {
    env: { HOME: home, THOTH_HOME: `${home}/.thoth` },
    cwd: home,
  });
  assert.equal(run.code, 0, run.err);
  const entry = /^ {2}enforcer +(.*(?:\n {21}\S.*)*)/m.exec(run.out);
  assert.ok(entry, run.out);
  const words = entry[1]!.replace(/\s+/g, " ");
  assert.equal(
    words,
    "the tenant's enforcer resolves and answers as a healthy server (5xx or 429 warns, " +
      "a redirect elsewhere is named); this build does not use it yet",
  );
  assert.doesNotMatch(run.out, /\(unused\)/);
});
