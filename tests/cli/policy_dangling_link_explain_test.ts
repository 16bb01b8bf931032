/**
 * A symbolic link at `THOTH_HOME/policy.jsonc` that leads to no file is a
 * broken policy, which `thoth run` refuses: the real `thoth policy check` and
 * `thoth policy explain` refuse it too, with the same error and `rm` remedy,
 * never check or explain the built-in default in its place (which would tell
 * a person the default governs when no server runs at all).
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test({
  name: "thoth policy check and explain refuse a dangling policy.jsonc link, as thoth run does",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-policy-link-explain-");
    const home = `${dir}/profile`;
    await Deno.mkdir(home, { mode: 0o700 });
    const target = `${dir}/managed/policy.jsonc`;
    const policy = `${home}/policy.jsonc`;
    await Deno.symlink(target, policy);
    const env = { HOME: dir, THOTH_HOME: home };
    const broken = `thoth: error: cannot read policy "${policy}": it is a symbolic link that ` +
      `leads to no file (it points to "${target}")\n`;

    for (
      const args of [
        ["policy", "check"],
        ["policy", "explain", "--server", "probe", "--tool", "write_file"],
      ]
    ) {
      const run = await runThoth(args, { env, cwd: dir });
      assert.equal(run.code, 1, `${args.join(" ")}: ${run.out}${run.err}`);
      assert.equal(run.out, "", args.join(" "));
      assert.ok(run.err.startsWith(broken), run.err);
      assert.ok(run.err.includes(`rm ${shellQuote(policy)}`), run.err);
    }
    const json = await runThoth(["policy", "check", "--json"], { env, cwd: dir });
    assert.equal(json.code, 1, json.out + json.err);
    const error = JSON.parse(json.out).error;
    assert.equal(error.code, "policy.unreadable", json.out);
    assert.match(error.message, /it is a symbolic link that leads to no file/);
    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
    assert.ok((await Deno.lstat(policy)).isSymlink);
  },
});
