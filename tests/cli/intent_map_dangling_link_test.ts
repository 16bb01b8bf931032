/**
 * A symbolic link at `THOTH_HOME/intent_map.json` that leads to no file: the
 * real `thoth doctor` warns (thoth run reads it as no map) with a remedy that
 * removes the link before it writes a map, never `echo '{}' > FILE` through
 * the link (run as root, that would create the file the link points to), and
 * `thoth health --json` carries the same warning and hint.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test({
  name: "thoth doctor's remedy for a dangling intent_map.json link removes the link first",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-intent-map-link-");
    const home = `${dir}/.thoth`;
    await Deno.mkdir(home, { mode: 0o700 });
    const target = `${dir}/nowhere.json`;
    const map = `${home}/intent_map.json`;
    await Deno.symlink(target, map);
    const env = { HOME: dir, THOTH_HOME: home };

    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    const lines = doctor.out.split("\n");
    const at = lines.findIndex((l) => /^. intent_map /.test(l));
    assert.match(lines[at] ?? "", /^! intent_map +no intent map at ".*": it is a symbolic link/);
    const hint = (lines[at + 1] ?? "").trim();
    const quoted = shellQuote(map);
    assert.ok(hint.includes(`rm ${quoted} && echo '{}' > ${quoted}`), doctor.out);
    // The write comes only after the link is gone.
    assert.ok(hint.indexOf(`rm ${quoted}`) < hint.indexOf(`> ${quoted}`), hint);

    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    const intentMap = JSON.parse(health.out).intent_map;
    assert.equal(intentMap.valid, true);
    assert.match(intentMap.warning, /it is a symbolic link that leads to no file/);
    assert.ok(intentMap.hint.includes(`rm ${quoted} && `), health.out);
    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
  },
});
