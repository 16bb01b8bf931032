/**
 * `thoth wrap-config --dry-run` shows a server's secret `"env"` values by
 * fingerprint in its diff (on `-` and `+` lines and as context): each value
 * of a credential variable, and any value that looks like a key or token.
 * Other values show as they are, and the file a write makes still holds them.
 */
import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { envSecretValues } from "../../src/config/env_secret_values.ts";
import { inTempDir, thoth } from "./_config_cli.ts";

const shown = (key: string) => `<api key, fingerprint ${secretFingerprint(key)}>`;

const SECRETS = {
  THOTH_API_KEY: "k-1",
  THOTH_AUTH_TOKEN_FILE: "/srv/tokens/admin.jwt",
  GITHUB_TOKEN: "ghp_Q2x9Vb7Lm3Np0Rs5Tu8Wy1Za4Cd6Ef2Gh",
};

/**
 * A config whose server "db" (no `args`: wrap-config adds them, and its record first in `env`)
 * has `env`, pretty-printed (`indent` 2) or on one line (0).
 */
function config(env: Record<string, string>, indent = 2): string {
  return JSON.stringify(
    { mcpServers: { db: { command: "/usr/bin/mcp-clock", env } } },
    null,
    indent,
  ) + "\n";
}

Deno.test("envSecretValues() finds credential variables and key-like values in every env", () => {
  const text = `{
    // a comment
    "mcp": {"servers": {"a": {"env": {"THOTH_AUTH_TOKEN": "t-1", "LOG": "debug",
      "X": "sk-live-abcdefghijklmnop", "EMPTY": "", "THOTH_API_KEY": ""}}}},
    "mcpServers": {"b": {"env": {"THOTH_API_KEY_FILE": "/k.json", "N": 1}}},
  }`;
  assert.deepEqual(envSecretValues(text).sort(), ["/k.json", "sk-live-abcdefghijklmnop", "t-1"]);
  assert.deepEqual(envSecretValues('{"env": "THOTH_API_KEY"}'), []);
});

for (const [layout, indent] of [["pretty-printed", 2], ["one-line", 0]] as const) {
  Deno.test(`thoth wrap-config --dry-run masks secret env values in its diff (${layout}); the write keeps them`, () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c.json`;
      // In a pretty-printed config the secrets are the context after the record wrap adds.
      const text = config({ ...SECRETS, LOG_LEVEL: "debug-level-7" }, indent);
      await Deno.writeTextFile(path, text);
      const dry = await thoth(["wrap-config", "--dry-run", path], { cwd: dir });
      assert.equal(dry.code, 0, dry.err);
      assert.match(dry.out, /^--- /m, dry.out);
      for (const value of Object.values(SECRETS)) {
        for (const printed of [dry.out, dry.err]) {
          assert.ok(!printed.includes(JSON.stringify(value)), `${value} shown:\n${printed}`);
        }
        assert.ok(dry.out.includes(shown(value)), `${value} not by fingerprint:\n${dry.out}`);
      }
      if (indent === 0) assert.match(dry.out, /^-.*"debug-level-7"/m, "no secret: shown as is");
      assert.equal(await Deno.readTextFile(path), text, "nothing written");

      const wrote = await thoth(["wrap-config", path], { cwd: dir });
      assert.equal(wrote.code, 0, wrote.err);
      const written = await Deno.readTextFile(path);
      for (const value of Object.values(SECRETS)) {
        assert.ok(written.includes(JSON.stringify(value)), `the written file keeps ${value}`);
        assert.ok(!written.includes(shown(value)), "no placeholder is written");
      }
    }));
}

Deno.test("thoth wrap-config --dry-run --output masks what the output file's env holds", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    const out = `${dir}/out.json`;
    await Deno.writeTextFile(path, config({ LOG_LEVEL: "debug" }));
    await Deno.writeTextFile(out, config({ THOTH_AUTH_TOKEN: "tok-in-output-1" }));
    const dry = await thoth(
      ["wrap-config", "--dry-run", "--output", out, "--replace-output", path],
      { cwd: dir },
    );
    assert.equal(dry.code, 0, dry.err);
    assert.ok(!dry.out.includes("tok-in-output-1"), dry.out);
    assert.ok(dry.out.includes(shown("tok-in-output-1")), dry.out);
  }));
