/**
 * thoth's credentials never reach the server it governs: a real
 * server-everything, run through `thoth run` by the official SDK client, is
 * asked for its whole environment (`get-env`, a tool that hands it to the
 * model), and thoth's API key, tokens and the files that hold them are not
 * in it, while thoth's other variables and a value the server's own entry had
 * before `wrap-config` overwrote it still are.
 */
import assert from "node:assert/strict";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";
import { profileWithRules } from "./_governed.ts";
import {
  emptyWrapRecord,
  formatWrapRecord,
  setReplaced,
  WRAP_RECORD_KEY,
} from "../../src/config/wrap_record.ts";

/** The server's environment, as its get-env tool returns it. */
async function serverEnv(
  env: Record<string, string>,
  flags: readonly string[],
): Promise<{ env: Record<string, string>; text: string }> {
  const connected = await connect(throughThoth(everythingArgv(), flags), {}, env);
  try {
    const result = await connected.client.callTool({ name: "get-env", arguments: {} });
    const content = result.content as { type: string; text?: string }[];
    const text = content.map((part) => part.text ?? "").join("\n");
    assert.ok(result.isError !== true, `get-env failed: ${text}\n${connected.stderr()}`);
    return { env: JSON.parse(text), text };
  } finally {
    await connected.close();
  }
}

Deno.test("thoth run keeps its credentials from the server, and its other variables in", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const tokenFile = `${dir.path}/token`;
  await Deno.writeTextFile(tokenFile, "tok-from-file-SECRET4\n", { mode: 0o600 });
  const keyFile = `${dir.path}/proxy_api_key.json`;
  const secrets = {
    THOTH_API_KEY: "aten_thoth_agent_prod_SECRET1",
    THOTH_AUTH_TOKEN: "auth-token-SECRET2",
    THOTH_RUNTIME_BEARER_TOKEN: "runtime-bearer-SECRET3",
    THOTH_AUTH_TOKEN_FILE: tokenFile,
    THOTH_API_KEY_FILE: keyFile,
  };
  const kept = {
    THOTH_TENANT_ID: "acme",
    THOTH_USER_ID: "ana@example.com",
    THOTH_FLEET_ID: "fleet-7",
    DEMO_SETTING: "kept",
  };
  for (const mode of ["block", "observe"]) {
    const { env, text } = await serverEnv(
      { ...secrets, ...kept, THOTH_HOME: home },
      ["--agent-id", "everything", "--enforcement-mode", mode],
    );
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!Object.hasOwn(env, name), `${mode}: ${name} reached the server`);
      assert.ok(!text.includes(value), `${mode}: the value of ${name} reached the server`);
    }
    for (const [name, value] of Object.entries(kept)) {
      assert.equal(env[name], value, `${mode}: ${name} is the server's to read`);
    }
    assert.equal(env["THOTH_HOME"], home);
  }
});

Deno.test("a credential variable the entry had before wrap-config replaced it is given back", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const tokenFile = `${dir.path}/token`;
  await Deno.writeTextFile(tokenFile, "tok-from-file-SECRET4\n", { mode: 0o600 });
  // As wrap-config leaves an entry whose own THOTH_AUTH_TOKEN_FILE it overwrote with thoth's,
  // and to which it added DEMO_ADDED.
  const record = emptyWrapRecord();
  record.added = ["DEMO_ADDED"];
  setReplaced(record, "THOTH_AUTH_TOKEN_FILE", JSON.stringify("/srv/server-own-token"));
  const { env, text } = await serverEnv(
    {
      [WRAP_RECORD_KEY]: formatWrapRecord(record),
      THOTH_AUTH_TOKEN_FILE: tokenFile,
      THOTH_RUNTIME_BEARER_TOKEN: "runtime-bearer-SECRET3",
      DEMO_ADDED: "thoth's",
      THOTH_USER_ID: "ana@example.com",
      THOTH_HOME: home,
    },
    ["--agent-id", "everything", "--enforcement-mode", "block"],
  );
  assert.equal(env["THOTH_AUTH_TOKEN_FILE"], "/srv/server-own-token", "the original comes back");
  assert.ok(!text.includes(tokenFile), "thoth's token file is not named to the server");
  assert.ok(!Object.hasOwn(env, "THOTH_RUNTIME_BEARER_TOKEN"), "the bearer token reached it");
  assert.ok(!text.includes("SECRET3"), "the bearer token's value reached the server");
  assert.ok(!Object.hasOwn(env, "DEMO_ADDED"), "what wrap added still goes");
  assert.ok(!Object.hasOwn(env, WRAP_RECORD_KEY), "the record still goes");
  assert.equal(env["THOTH_USER_ID"], "ana@example.com");
});
