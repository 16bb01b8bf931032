/**
 * `thoth set-api-key` saves only what is a key: one in quotes (`jq` without
 * `-r` prints a string so), after `Bearer `, or `null` is refused with what
 * to change, and nothing is saved. An extra argument to `set-api-key` or
 * `auth login` (the rest of a key the shell split at a space) is counted,
 * never shown.
 */
import assert from "node:assert/strict";
import { pathExists } from "../../src/platform/path_exists.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const KEY = "aten_thoth_agent_prod_abc123";

async function profile(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await tempFolder("thoth-set-key-values-");
  return { dir, env: { THOTH_HOME: `${dir}/thoth`, HOME: dir } };
}

Deno.test("set-api-key refuses a key in quotes, after Bearer, or null, saving nothing", async () => {
  const { dir, env } = await profile();
  const cases: [string, RegExp, RegExp][] = [
    [`"${KEY}"\n`, /without the quotes around it/, /jq -r/],
    [`'${KEY}'\n`, /without the quotes around it/, /without the quotes/],
    [`Bearer ${KEY}\n`, /without the "Bearer " in front/, /without "Bearer " in front/],
    ["null\n", /not a word such as null/, /copy the key itself/],
  ];
  for (const [stdin, message, hint] of cases) {
    const run = await runThoth(["set-api-key", "--api-key", "-"], { env, cwd: dir, stdin });
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /^thoth: error: the API key \(fingerprint [0-9a-f]{8}\) is not valid: /m);
    assert.match(run.err, message);
    assert.match(run.err, new RegExp(`^thoth: hint: .*${hint.source}`, "m"));
    assert.ok(!run.err.includes(KEY), run.err);
    assert.equal(await pathExists(`${dir}/thoth/proxy_api_key.json`), false, stdin);
  }
  const saved = await runThoth(["set-api-key", "--api-key", "-"], {
    env,
    cwd: dir,
    stdin: `${KEY}\n`,
  });
  assert.equal(saved.code, 0, saved.err);
  assert.equal(
    JSON.parse(await Deno.readTextFile(`${dir}/thoth/proxy_api_key.json`)).api_key,
    KEY,
  );
});

Deno.test("an extra argument to set-api-key or auth login is counted, never shown", async () => {
  const { dir, env } = await profile();
  const rest = "a8Kd92LmQ0pZ";
  for (
    const args of [
      ["set-api-key", "--api-key", "aten_thoth_agent_prod_7Hq2Lx", rest],
      ["auth", "login", "--tenant-id", "acme", rest],
    ]
  ) {
    for (
      const program of args[0] === "auth" ? ["thoth", "thothctl"] as const : ["thoth"] as const
    ) {
      const run = await runThoth(args, { env, cwd: dir, program });
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, /too many arguments .*but got 1 \(not shown: /);
      assert.ok(!run.err.includes(rest), run.err);
      assert.ok(!run.err.includes(secretFingerprint(rest)), run.err);
      assert.equal(await pathExists(`${dir}/thoth/proxy_api_key.json`), false);
    }
  }
});
