/**
 * `audit verify` under a THOTH_HOME that is refused: it exits 3 ("could not
 * run", as its help says; 1 is tampering), also as JSON and under
 * `thothctl`, and `--bundle` checks the bundle without the profile at all.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { exportSample } from "../audit/_bundle_helpers.ts";

Deno.test({
  name: "audit verify exits 3 on a relative THOTH_HOME, and --bundle needs no profile",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const cwd = await tempFolder("thoth-cwd-");
    const home = await tempFolder("thoth-home-");
    const bundle = await exportSample(await sampleLog(1, 3));
    const env = { HOME: home, THOTH_HOME: "rel/dir" };
    for (const program of ["thoth", "thothctl"] as const) {
      const json = await runThoth(["audit", "verify", "--json"], { env, cwd, program });
      assert.equal(json.code, 3, json.err);
      const line = JSON.parse(json.out);
      assert.equal(line.ok, false);
      assert.equal(line.error.exitCode, 3);
      assert.equal(line.error.code, "identity.invalid_env");
      const checked = await runThoth(["audit", "verify", "--json", "--bundle", bundle], {
        env,
        cwd,
        program,
      });
      assert.equal(checked.code, 0, checked.err + checked.out);
      assert.equal(JSON.parse(checked.out).exitCode, 0);
      assert.ok(!checked.err.includes("THOTH_HOME"), checked.err);
    }
    for await (const _ of Deno.readDir(cwd)) {
      assert.fail("nothing is written under the current folder");
    }
  },
});
