/**
 * A symbolic link at `THOTH_HOME/intent_map.json` that leads to no file is a
 * broken map, as `thoth run` reads it (it refuses every server with no
 * `--intent` of its own): the real `thoth doctor` fails its intent_map check
 * with a remedy that restores the target or removes the link, never
 * `echo '{}' > FILE` through the link (run as root, that would create the
 * file the link points to), and `thoth health --json` reports the map
 * invalid with the same problem and hint.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test({
  name: "thoth doctor fails a dangling intent_map.json link, and its remedy writes nothing " +
    "through it",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-intent-map-link-");
    const home = `${dir}/.thoth`;
    await Deno.mkdir(home, { mode: 0o700 });
    const target = `${dir}/nowhere.json`;
    const map = `${home}/intent_map.json`;
    await Deno.symlink(target, map);
    const env = { HOME: dir, THOTH_HOME: home };
    const broken = `cannot read intent map "${map}": it is a symbolic link that leads to no ` +
      `file (it points to "${target}")`;

    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out);
    const lines = doctor.out.split("\n");
    const at = lines.findIndex((l) => /^. intent_map /.test(l));
    assert.match(lines[at] ?? "", /^✗ intent_map /, doctor.out);
    assert.ok((lines[at] ?? "").includes(broken), doctor.out);
    const hint = (lines[at + 1] ?? "").trim();
    const quoted = shellQuote(map);
    assert.match(hint, /^hint: restore the file it points to; /);
    assert.ok(hint.includes(`rm ${quoted}`), doctor.out);
    assert.ok(!hint.includes(`> ${quoted}`), "the remedy writes nothing through the link");

    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    const intentMap = JSON.parse(health.out).intent_map;
    assert.equal(intentMap.valid, false);
    assert.equal(intentMap.present, true);
    assert.ok(intentMap.problem.includes(broken), health.out);
    assert.equal(intentMap.warning, null);
    assert.ok(intentMap.hint.includes(`rm ${quoted}`), health.out);
    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
  },
});
