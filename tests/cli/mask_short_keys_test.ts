/**
 * A dry run masks a removed `--api-key` once, only where it stands as a whole
 * JSON string (or as `--api-key=KEY`): a short key that is also part of other
 * text (`"api"` in the placeholder and in `set-api-key`, `"1"` in a path or a
 * number) is not masked there, and a placeholder is never masked again.
 */
import assert from "node:assert/strict";
import { maskSecrets } from "../../src/cli/apply_config_plan.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const shown = (key: string) => `<api key, fingerprint ${secretFingerprint(key)}>`;
const count = (text: string, part: string) => text.split(part).length - 1;

Deno.test("maskSecrets masks a short key once, as a whole string value only", () => {
  assert.equal(
    maskSecrets('"--api-key", "api" // api "set-api-key"', ["api"]),
    `"--api-key", "${shown("api")}" // api "set-api-key"`,
  );
  // A key that is part of the placeholder's own words is not masked inside it.
  assert.equal(
    maskSecrets('["x", "--api-key=x"]', ["x", "fingerprint"]),
    `["${shown("x")}", "--api-key=${shown("x")}"]`,
  );
  const text = '{\n  "a": 1,\n  "p": "/home/u1/c1.json",\n  "k": ["--api-key", "1"]\n}\n';
  assert.equal(
    maskSecrets(text, ["1"]),
    `{\n  "a": 1,\n  "p": "/home/u1/c1.json",\n  "k": ["--api-key", "${shown("1")}"]\n}\n`,
  );
  // Escaped in the file: still the key once decoded.
  assert.equal(maskSecrets('["\\u0031"]', ["1"]), `["${shown("1")}"]`);
});

for (const key of ["api", "1"]) {
  Deno.test(`thoth wrap-config / unwrap-config --dry-run mask the key ${JSON.stringify(key)} once`, () =>
    inTempDir(async (dir) => {
      // The folder's name holds the key too: paths are not masked.
      const folder = `${dir}/api1`;
      await Deno.mkdir(folder);
      const path = `${folder}/c1.json`;
      const text = `{
  "mcpServers": {
    "db": {
      "command": "${THOTH}",
      "args": ["run", "--agent-id", "db", "--api-key", ${
        JSON.stringify(key)
      }, "--", "/usr/bin/mcp-clock"]
    }
  }
}
`;
      await Deno.writeTextFile(path, text);
      for (const command of ["wrap-config", "unwrap-config"]) {
        const run = await thoth([command, "--dry-run", path], { cwd: dir });
        assert.equal(run.code, 0, run.err);
        assert.equal(count(run.out, shown(key)), 1, run.out);
        assert.ok(!run.out.includes("<api key, fingerprint <"), run.out);
        assert.ok(run.out.includes(`--- ${path}\n+++ ${path}\n`), run.out);
        assert.ok(run.out.includes(`${path}:\n`), run.out);
        assert.match(run.out, /"thoth set-api-key --api-key -"/);
        for (const printed of [run.out, run.err]) {
          assert.ok(!printed.includes(JSON.stringify(key)), printed);
        }
        assert.equal(await Deno.readTextFile(path), text, "nothing written");
      }
    }));
}
