/**
 * `--dry-run` prints a diff that MDM and CI logs keep: an `--api-key` the
 * plan takes out of the args is shown by fingerprint, never as it is (nor
 * escaped), by wrap-config and unwrap-config alike.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";

const KEY = "sk-live-DryRunSecret7f3a9c";
const SHOWN = `<api key, fingerprint ${secretFingerprint(KEY)}>`;

/** The config text with the key as `keyText` in the thoth args (raw JSON string content). */
function config(keyArgs: string): string {
  return `{
  "mcpServers": {
    "db": {
      "command": "${THOTH}",
      "args": ["run", "--agent-id", "db", ${keyArgs}, "--", "/usr/bin/mcp-clock"]
    }
  }
}
`;
}

const FORMS: Record<string, string> = {
  "as written": `"--api-key", "${KEY}"`,
  "JSON-escaped": `"--api-key", "${KEY.replace("-D", "-\\u0044").replace("sk", "s\\u006b")}"`,
};

for (const command of ["wrap-config", "unwrap-config"]) {
  for (const [form, keyArgs] of Object.entries(FORMS)) {
    Deno.test(`thoth ${command} --dry-run never prints the --api-key it removes (${form})`, () =>
      inTempDir(async (dir) => {
        const path = `${dir}/c.json`;
        const text = config(keyArgs);
        await Deno.writeTextFile(path, text);
        const run = await thoth([command, "--dry-run", path], { cwd: dir });
        assert.equal(run.code, 0, run.err);
        assert.match(run.out, /^--- /m, "a diff is printed");
        assert.match(run.out, /^-.*--agent-id/m);
        for (const shown of [run.out, run.err]) {
          assert.ok(!shown.includes(KEY), shown);
          assert.ok(!shown.includes("DryRunSecret"), shown);
          assert.ok(!shown.includes("\\u0044ryRunSecret"), shown);
        }
        assert.ok(run.out.includes(SHOWN), run.out);
        assert.equal(await Deno.readTextFile(path), text, "nothing written");
      }));
  }
}
