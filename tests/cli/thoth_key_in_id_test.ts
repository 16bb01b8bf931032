/**
 * thoth's own API key (`aten_thoth_agent_<env>_…`) pasted into an id variable
 * is a key, as any other issuer's is: `thoth run` refuses it before the
 * session starts (no audit log keeps it as the endpoint id), `thoth health`
 * never prints it, and `wrap-config --env` does not write it into a client's
 * config. The value is shown by fingerprint only.
 */
import assert from "node:assert/strict";
import { flaggedAsKey } from "../../src/identity/id_flagged_as_key.ts";
import { prefixedRandomKey } from "../../src/identity/shown_env_value.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { pathExists } from "../../src/platform/path_exists.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { inTempDir, thoth } from "./_config_cli.ts";

const KEY = "aten_thoth_agent_prod_3f9a1c7e2b8d4f6a0c5e9b1d7f3a8c2e";

/** `text` holds no part of `key`, and its fingerprint. */
function assertHidden(text: string, key: string): void {
  assert.ok(!text.includes(key.slice(-16)), `shown in clear:\n${text}`);
  assert.ok(text.includes(secretFingerprint(key)), `no fingerprint:\n${text}`);
}

Deno.test("thoth's own key format is a key wherever an id belongs, whatever follows aten_thoth_", () => {
  for (
    const key of [
      KEY,
      "aten_thoth_agent_staging_abc",
      "aten_thoth_anything",
      "ATEN_THOTH_AGENT_PROD_X1",
      "fleet:aten_thoth_agent_prod_k",
    ]
  ) {
    assert.equal(prefixedRandomKey(key), true, key);
    assert.equal(flaggedAsKey(key), true, key);
  }
  // Not thoth's key: a name that only looks alike.
  for (const id of ["aten-thoth", "aten_thoth", "platen_thoth_x", "fleet-eu"]) {
    assert.equal(flaggedAsKey(id), false, id);
  }
});

Deno.test("THOTH_JAMF_COMPUTER_ID and THOTH_FLEET_ID refuse thoth's own key, by fingerprint", () => {
  for (const variable of ["THOTH_JAMF_COMPUTER_ID", "THOTH_FLEET_ID"]) {
    const result = validateThothEnv({ [variable]: KEY }, "linux");
    assert.equal(result.ok, false, variable);
    if (result.ok) continue;
    assert.equal(result.problems[0]?.variable, variable);
    assert.match(result.problems[0]?.rule ?? "", /^an id, not a key or token/);
    assertHidden(result.problems[0]!.message, KEY);
  }
});

for (const variable of ["THOTH_JAMF_COMPUTER_ID", "THOTH_FLEET_ID"]) {
  Deno.test(`thoth run refuses thoth's key in ${variable}, logs nothing; health never shows it`, async () => {
    const dir = await tempFolder("thoth-own-key-id-");
    const env = { THOTH_HOME: `${dir}/thoth`, HOME: dir, [variable]: KEY };
    const marker = `${dir}/started`;
    const run = await runThoth([
      "run",
      "--agent-id",
      "t",
      "--",
      Deno.execPath(),
      "eval",
      "Deno.writeTextFileSync(Deno.args[0], 'started')",
      marker,
    ], { env, cwd: dir, stdin: initializeLine() });
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, new RegExp(variable));
    assertHidden(run.err, KEY);
    assert.ok(!run.out.includes(KEY.slice(-16)), run.out);
    assert.equal(await pathExists(marker), false, "the server started");
    assert.equal(await pathExists(`${dir}/thoth/audit`), false, "an audit log was written");

    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.ok(!(health.out + health.err).includes(KEY.slice(-16)), health.out + health.err);
    const report = JSON.parse(health.out);
    assert.deepEqual(report.environment.invalid_variables, [variable]);
    assert.notEqual(report.endpoint.id, KEY);
  });
}

Deno.test("wrap-config --env refuses thoth's key as an id and writes nothing", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const text = JSON.stringify({ mcpServers: { db: { command: "/usr/bin/mcp-clock" } } }) + "\n";
    await Deno.writeTextFile(path, text);
    for (const variable of ["THOTH_JAMF_COMPUTER_ID", "THOTH_FLEET_ID"]) {
      for (const dry of [[], ["--dry-run"]]) {
        const result = await thoth(
          ["wrap-config", ...dry, "--env", `${variable}=${KEY}`, path],
          { cwd: dir },
        );
        assert.equal(result.code, 2, result.err);
        assert.match(result.err, new RegExp(`--env ${variable} \\(value hidden`));
        assertHidden(result.err, KEY);
        assert.ok(!result.out.includes(KEY.slice(-16)), result.out);
        assert.equal(await Deno.readTextFile(path), text, "the config was written");
      }
    }
  }));
