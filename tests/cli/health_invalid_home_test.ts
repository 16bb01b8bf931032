/**
 * `thoth health --json` with a `THOTH_HOME` that is not an absolute path
 * (`rel`, or a `~/.thoth` no shell expanded) prints a report and exits 0, as
 * its help says: the problem is in `profile` (ok false, naming the variable,
 * its value and the fix), what lives in the profile is not checked (it
 * points at `profile`), and nothing is created in the folder thoth was
 * started in. The real CLI, as a subprocess.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

for (const value of ["rel", "~/.thoth"]) {
  Deno.test(`thoth health --json reports THOTH_HOME=${value} in profile and exits 0`, async () => {
    const home = await tempFolder("thoth-health-bad-home-");
    const run = await runThoth(["health", "--json"], {
      env: { HOME: home, THOTH_HOME: value },
      cwd: home,
    });
    assert.equal(run.code, 0, run.err);
    const report = JSON.parse(run.out);
    assert.equal(report.profile.ok, false);
    assert.match(
      report.profile.problem,
      new RegExp(
        `^THOTH_HOME "${value.replace(/[.~]/g, "\\$&")}" is not valid: it must be an absolute path`,
      ),
    );
    assert.match(report.profile.hint, /^set THOTH_HOME to a full path/);
    for (
      const problem of [report.policy.problem, report.intent_map.problem, report.audit.message]
    ) {
      assert.equal(
        problem,
        "not checked: THOTH_HOME is not an absolute path (see the profile check)",
      );
    }
    assert.match(run.err, /^thoth: profile: THOTH_HOME /m);
    // Nothing was set up in the folder thoth was started in.
    assert.deepEqual([...Deno.readDirSync(home)].map((entry) => entry.name), []);
  });
}
