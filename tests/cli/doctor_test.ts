import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

async function doctor(
  home: string,
  args: string[],
  env: Record<string, string> = {},
  plugins?: (io: CliIo) => Partial<DoctorPlugins>,
) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    doctorCommand(io, {
      ...(plugins === undefined ? {} : { plugins: plugins(io) }),
      context: (cliIo, plugins) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
    }),
  );
  const code = await runProgram("thoth", program, ["doctor", ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

Deno.test("thoth doctor bootstraps the profile and exits 0 when nothing fails", () =>
  withTempDir(async (dir) => {
    const home = `${dir}/.thoth`;
    const { code, stdout } = await doctor(home, []);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^✓ runtime +thoth /m);
    assert.match(stdout, /^! client_configs /m);
    assert.match(stdout, /12 checks: \d+ passed, \d+ warnings, 0 failed\n$/);
    assert.ok((await Deno.stat(`${home}/intent_map.json`)).isFile);
  }));

Deno.test("thoth doctor exits 1 and prints ✗ with a hint when a check fails", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await doctor(home, [], { THOTH_TENANT_ID: "acme" });
    assert.equal(code, 1);
    assert.match(stdout, /^✗ environment +THOTH_USER_ID is not set/m);
    assert.match(stdout, /^ +hint: export THOTH_USER_ID=/m);
  }));

Deno.test("thoth doctor --json prints the checks as data", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await doctor(home, ["--json"], { THOTH_ENV: "Prod" });
    assert.equal(code, 1);
    const parsed = JSON.parse(stdout);
    assert.equal(parsed.ok, false);
    const env = parsed.checks.find((c: { id: string }) => c.id === "environment");
    assert.equal(env.status, "fail");
    assert.match(env.message, /^THOTH_ENV "Prod" is not valid/);
    for (const check of parsed.checks) {
      assert.deepEqual(Object.keys(check), ["id", "status", "message", "hint"]);
    }
  }));

Deno.test({
  name: "thoth doctor says once that it tightened proxy_api_key.json",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withTempDir(async (home) => {
      await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"api_key":"k"}', { mode: 0o644 });
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o644);
      const first = await doctor(home, []);
      assert.match(
        first.stderr,
        /thoth: tightened the permissions of ".*proxy_api_key\.json" from 0644 to 0600/,
      );
      const second = await doctor(home, []);
      assert.equal(second.stderr, "");
    }),
});

Deno.test("thoth doctor checks the intent map's intents against the policy thoth run would use", () =>
  withTempDir(async (dir) => {
    const home = `${dir}/.thoth`;
    await Deno.mkdir(home);
    const intentMap = (map: Record<string, string>) =>
      Deno.writeTextFile(`${home}/intent_map.json`, JSON.stringify(map));
    const intentLine = (stdout: string) => stdout.split("\n").find((l) => l.includes("intent_map"));
    // This build's policy validator (the real one), nothing else of the host.
    const policyOnly = (io: CliIo) => ({ validatePolicy: thothDoctorPlugins(io).validatePolicy! });

    // No policy file: thoth run would write and use the default policy.
    await intentMap({ gdrive: "billing_lookup" });
    const unknown = await doctor(home, [], {}, policyOnly);
    assert.equal(unknown.code, 1, unknown.stdout);
    assert.match(
      unknown.stdout,
      /^✗ intent_map +.*"gdrive" → "billing_lookup": not an intent of the default policy; thoth run refuses to start that server$/m,
    );
    assert.match(unknown.stdout, /^ +hint: map to one of: calendar_management; or add the intent/m);

    await intentMap({ gdrive: "calendar_management" });
    const known = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(known.stdout) ?? "",
      /^✓ intent_map +.*1 server mapped, each to an intent of the default policy$/,
    );

    // A policy file of the admin's own replaces the default.
    await Deno.writeTextFile(
      `${home}/policy.jsonc`,
      '{ "version": 1, "default": "allow", "intents": { "billing_lookup": { "tools": ["get_invoice"] } } }',
    );
    const own = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(own.stdout) ?? "",
      /^✗ intent_map +.*"calendar_management": not an intent of the policy ".*policy\.jsonc"/,
    );
    assert.match(own.stdout, /hint: map to one of: billing_lookup;/);
    await intentMap({ gdrive: "billing_lookup" });
    const fixed = await doctor(home, [], {}, policyOnly);
    assert.match(
      intentLine(fixed.stdout) ?? "",
      /^✓ intent_map +.*each to an intent of the policy /,
    );
  }));
