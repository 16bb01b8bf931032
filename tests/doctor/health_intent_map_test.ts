/**
 * `thoth health` reports the intent map as `thoth doctor`'s `intent_map`
 * check judges it: absent (no problem), how many servers it maps, a map
 * thoth run refuses (not JSON, an intent the policy does not define) as a
 * problem, a server-name key as a warning; and an unknown intent is a
 * failure even when a key also draws the warning.
 */
import assert from "node:assert/strict";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkIntentMap } from "../../src/doctor/check_intent_map.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { runProgram } from "../../src/cli/program.ts";
import { Command } from "@commander-js/extra-typings";
import { fakeIo, testContext, withTempDir } from "./_helpers.ts";

const POLICY = `{
  // Two intents; the map must name one of them.
  "version": 1,
  "default": "allow",
  "intents": { "calendar": { "tools": ["list_events"] }, "files": { "tools": ["read_file"] } },
  "rules": []
}`;

const full = (home: string) => testContext(home, { plugins: thothDoctorPlugins(fakeIo(home)) });

async function health(home: string) {
  const context = full(home);
  return HealthReportSchema.parse(await buildHealthReport(context, { probe: false }))
    .intent_map;
}

Deno.test("health: an absent intent map is reported absent and valid", () =>
  withTempDir(async (home) => {
    const map = await health(home);
    assert.deepEqual(
      { ...map, path: undefined },
      {
        path: undefined,
        present: false,
        servers: null,
        valid: true,
        problem: null,
        warning: null,
        hint: null,
      },
    );
    assert.equal(map.path, `${home}/intent_map.json`);
  }));

Deno.test("health: a good intent map gives the number of servers it maps", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
    await Deno.writeTextFile(
      `${home}/intent_map.json`,
      JSON.stringify({ gcal: "calendar", fs: "files" }),
    );
    const map = await health(home);
    assert.equal(map.present, true);
    assert.equal(map.servers, 2);
    assert.equal(map.valid, true);
    assert.equal(map.problem, null);
  }));

Deno.test("health: a map thoth run refuses is invalid, with doctor's words and remedy", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
    await Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify({ gcal: "billing" }));
    const map = await health(home);
    assert.equal(map.valid, false);
    assert.match(map.problem ?? "", /billing.*not an intent of.*refuses to start that server/);
    assert.match(map.hint ?? "", /map to one of: calendar, files/);
    const doctor = await checkIntentMap(full(home));
    assert.equal(doctor.status, "fail");
    assert.equal(doctor.message, map.problem);

    await Deno.writeTextFile(`${home}/intent_map.json`, "{ not json");
    const broken = await health(home);
    assert.equal(broken.valid, false);
    assert.equal(broken.servers, null);
    assert.match(broken.problem ?? "", /refuses to start every server that has no --intent/);
  }));

Deno.test("health: a server-name key is a warning; an unknown intent beside it still fails", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
    await Deno.writeTextFile(
      `${home}/intent_map.json`,
      JSON.stringify({ "Google Calendar": "calendar" }),
    );
    const warned = await health(home);
    assert.equal(warned.valid, true);
    assert.equal(warned.servers, 1);
    assert.match(warned.warning ?? "", /"Google Calendar" is a server name, not an agent id/);
    assert.match(warned.hint ?? "", /agent id/);

    await Deno.writeTextFile(
      `${home}/intent_map.json`,
      JSON.stringify({ "Google Calendar": "calendar", fs: "billing" }),
    );
    const doctor = await checkIntentMap(full(home));
    assert.equal(doctor.status, "fail", doctor.message);
    assert.match(doctor.message, /billing/);
    const failed = await health(home);
    assert.equal(failed.valid, false);
    assert.equal(failed.problem, doctor.message);
  }));

Deno.test("thoth health names a refused intent map in its table and, with --json, on stderr", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
    await Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify({ gcal: "billing" }));
    for (const json of [false, true]) {
      const io = fakeIo(home);
      const program = new Command("thoth").addCommand(
        healthCommand(io, { context: () => full(home) }),
      );
      const code = await runProgram("thoth", program, ["health", ...(json ? ["--json"] : [])], io);
      assert.equal(code, 0, io.stderr.join(""));
      const shown = json ? io.stderr.join("") : io.stdout.join("");
      assert.match(shown, /intent map.*billing/, shown);
    }
  }));
