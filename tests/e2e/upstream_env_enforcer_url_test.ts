/**
 * A real server-everything, run through `thoth run`, is asked for its whole
 * environment (`get-env`): the deprecated `THOTH_ENFORCER_URL`, which thoth
 * ignores and which may carry a user and password, is not in it.
 */
import assert from "node:assert/strict";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";
import { profileWithRules } from "./_governed.ts";

Deno.test("thoth run keeps THOTH_ENFORCER_URL from the server", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const url = "https://admin:SECRET-PW-5@enforcer.example.com/";
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    {},
    { THOTH_ENFORCER_URL: url, THOTH_HOME: home, DEMO_SETTING: "kept" },
  );
  try {
    const result = await connected.client.callTool({ name: "get-env", arguments: {} });
    const content = result.content as { type: string; text?: string }[];
    const text = content.map((part) => part.text ?? "").join("\n");
    assert.ok(result.isError !== true, `get-env failed: ${text}\n${connected.stderr()}`);
    const env = JSON.parse(text) as Record<string, string>;
    assert.ok(!Object.hasOwn(env, "THOTH_ENFORCER_URL"), "THOTH_ENFORCER_URL reached the server");
    assert.ok(!text.includes("SECRET-PW-5"), "the URL's password reached the server");
    assert.equal(env["DEMO_SETTING"], "kept");
  } finally {
    await connected.close();
  }
});
