/**
 * Progressive counters doctor fails (a file a session would move aside) are
 * named by the real `thoth health` as it names the profile's or the audit
 * log's problems: with `--json`, `thoth: progressive: …` and its
 * `thoth: hint: …` on stderr; without, on a `progressive` row of the summary.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

Deno.test({
  name: "thoth health names unreadable progressive counters on stderr and in its summary",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-health-progressive-");
    const home = `${dir}/.thoth`;
    for (const folder of [home, `${home}/state`]) await Deno.mkdir(folder, { mode: 0o700 });
    const path = `${home}/state/progressive.json`;
    await Deno.writeTextFile(path, "garbage{", { mode: 0o600 });
    const env = { HOME: dir, THOTH_HOME: home };

    const json = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.equal(json.code, 0, json.err);
    const progressive = JSON.parse(json.out).progressive;
    assert.equal(progressive.status, "unreadable");
    const said = json.err.split("\n");
    const at = said.findIndex((l) => l.startsWith("thoth: progressive: "));
    assert.ok(at >= 0, json.err);
    assert.equal(said[at], `thoth: progressive: ${progressive.problem}`);
    assert.match(said[at + 1] ?? "", /^thoth: hint: move it aside as a session would \(mv /);
    assert.ok((said[at + 1] ?? "").includes(`rm ${shellQuote(path)}`), json.err);

    const summary = await runThoth(["health"], { env, cwd: dir });
    assert.equal(summary.code, 0, summary.err);
    const row = summary.out.split("\n").find((l) => l.startsWith("progressive "));
    assert.match(
      row ?? "",
      /^progressive +UNREADABLE: the progressive counters ".*" cannot be read/,
    );
    assert.ok((row ?? "").includes(`rm ${shellQuote(path)}`), summary.out);
    assert.equal(await Deno.readTextFile(path), "garbage{", "health changes nothing");
  },
});
