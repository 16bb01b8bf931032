/**
 * A removed `--api-key` of 8 or more characters is masked wherever it stands
 * in what a dry run prints: inside a longer string (`"Bearer KEY"`), in a
 * comment, escaped, in the report; a diff context line never shows it. A
 * shorter key is still masked only as a whole string, so it does not garble
 * unrelated text, and no placeholder is masked again.
 */
import assert from "node:assert/strict";
import { maskSecrets } from "../../src/cli/apply_config_plan.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const KEY = "sk-live-SECRET123";
const shown = (key: string) => `<api key, fingerprint ${secretFingerprint(key)}>`;

Deno.test("maskSecrets masks a long key inside a longer string, a comment and its escaped form", () => {
  assert.equal(
    maskSecrets(`{"AUTH": "Bearer ${KEY}", // key ${KEY}\n "k": ["--api-key", "${KEY}"]}`, [KEY]),
    `{"AUTH": "Bearer ${shown(KEY)}", // key ${shown(KEY)}\n "k": ["--api-key", "${shown(KEY)}"]}`,
  );
  // Escaped in the file: the string is written again, masked.
  assert.equal(
    maskSecrets(`{"AUTH": "Bearer sk-\\u006cive-SECRET123"}`, [KEY]),
    `{"AUTH": "Bearer ${shown(KEY)}"}`,
  );
  // In a block comment, in plain words, and a key with characters regexes treat specially.
  const odd = "k.+*?(x)[y]|$^{2}\\/-z";
  assert.equal(
    maskSecrets(`/* ${KEY} */ run with ${odd} and ${KEY}.`, [KEY, odd]),
    `/* ${shown(KEY)} */ run with ${shown(odd)} and ${shown(KEY)}.`,
  );
  // One pass: a long key that is a word of the placeholder is not masked inside it.
  const word = "fingerprint";
  const once = maskSecrets(`["${word}", "a ${word}"]`, [word]);
  assert.equal(once, `["${shown(word)}", "a ${shown(word)}"]`);
  // Lines without a key stay byte for byte.
  assert.equal(maskSecrets('{"a": "b\\/c"}\n', [KEY]), '{"a": "b\\/c"}\n');
});

Deno.test("maskSecrets still masks a 3-character key only as a whole string", () => {
  const text = `{"AUTH": "Bearer api", "p": "/srv/api/x", // api docs\n "k": ["--api-key", "api"]}`;
  assert.equal(
    maskSecrets(text, ["api"]),
    `{"AUTH": "Bearer api", "p": "/srv/api/x", // api docs\n "k": ["--api-key", "${
      shown("api")
    }"]}`,
  );
});

for (const command of ["wrap-config", "unwrap-config"]) {
  Deno.test(`thoth ${command} --dry-run never shows a removed long key in a context line`, () =>
    inTempDir(async (dir) => {
      const path = `${dir}/c1.json`;
      const text = `{
  "mcpServers": {
    "db": {
      "command": "${THOTH}",
      // key ${KEY}
      "args": ["run", "--agent-id", "db", "--api-key", "${KEY}", "--", "/usr/bin/mcp-clock"],
      "env": {"AUTH": "Bearer ${KEY}"}
    }
  }
}
`;
      await Deno.writeTextFile(path, text);
      const run = await thoth([command, "--dry-run", path], { cwd: dir });
      assert.equal(run.code, 0, run.err);
      // The lines that stay are in the diff, as context.
      assert.match(run.out, /^ {7}\/\/ key <api key, fingerprint [0-9a-f]+>$/m);
      assert.match(run.out, /^ .*"AUTH": "Bearer <api key, fingerprint [0-9a-f]+>"/m);
      for (const printed of [run.out, run.err]) {
        assert.ok(!printed.includes("SECRET123"), printed);
      }
      assert.equal(await Deno.readTextFile(path), text, "nothing written");
    }));
}
