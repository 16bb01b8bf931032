/**
 * A `THOTH_HOME` written with a trailing separator (`/tmp/t/`, or `//`) names
 * the same profile as without it: every path the real `thoth` prints in it
 * reads `/tmp/t/policy.jsonc`, never `/tmp/t//policy.jsonc`, and `thoth run`
 * finds the intent map there too (one that is not JSON is refused with its
 * path).
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { faultArgv } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";

for (const trailing of ["/", "//"]) {
  Deno.test({
    name: `thoth prints paths in a THOTH_HOME ending in "${trailing}" with one separator`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const dir = await tempFolder("thoth-trailing-home-");
      const profile = `${dir}/profile`;
      const env = { HOME: dir, THOTH_HOME: `${profile}${trailing}` };
      // The first session writes the default policy and says where.
      const run = await runThoth(["run", "--agent-id", "srv", "--", ...faultArgv()], {
        env,
        cwd: dir,
      });
      assert.equal(run.code, 0, run.err);
      assert.ok(
        run.err.includes(`wrote the default policy to "${profile}/policy.jsonc"`),
        run.err,
      );
      const check = await runThoth(["policy", "check"], { env, cwd: dir });
      assert.equal(check.code, 0, check.err);
      assert.ok(check.out.includes(`"${profile}/policy.jsonc" is valid`), check.out);
      const help = await runThoth(["approvals", "--help"], { env, cwd: dir });
      assert.ok(help.out.includes(`under ${profile}/approvals,`), help.out);
      // The intent map is read from the same profile, and named with one separator.
      await Deno.writeTextFile(`${profile}/intent_map.json`, '{ "srv": ');
      const mapped = await runThoth(["run", "--agent-id", "srv", "--", ...faultArgv()], {
        env,
        cwd: dir,
      });
      assert.ok(mapped.err.includes(`${profile}/intent_map.json`), mapped.err);
      for (const output of [run, check, help, mapped]) {
        assert.ok(!`${output.out}${output.err}`.includes(`${profile}//`), output.out + output.err);
      }
    },
  });
}
