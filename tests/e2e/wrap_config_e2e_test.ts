/**
 * wrap-config end to end: the real CLI wraps a Claude Desktop config, and the
 * wrapped entry, started exactly as a client would start it, runs a real
 * governed server whose environment is the one it would have had without thoth.
 */
import assert from "node:assert/strict";
import { connect, everythingArgv, RawPeer, tempDir, thothArgv } from "./_harness.ts";

Deno.test("a wrapped entry, run as the client runs it, starts a real governed server", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const config = `${dir.path}/claude_desktop_config.json`;
  const [command, ...args] = everythingArgv();
  const original = JSON.stringify(
    { mcpServers: { everything: { command, args, env: { DEMO_SETTING: "kept" } } } },
    null,
    2,
  ) + "\n";
  await Deno.writeTextFile(config, original);

  const env = { ...Deno.env.toObject(), THOTH_HOME: home };
  const wrap = new RawPeer(
    thothArgv([
      "wrap-config",
      "--client",
      "claude-desktop",
      "--enforcement-mode",
      "observe",
      "--env",
      "THOTH_USER_ID=ana@example.com",
      config,
    ]),
    env,
  );
  const wrapStatus = await wrap.finish();
  assert.equal(wrapStatus.code, 0, wrap.stderr);

  const wrapped = JSON.parse(await Deno.readTextFile(config));
  const entry = wrapped.mcpServers.everything;
  assert.ok(entry.args.includes("run") && entry.args.includes("--"), JSON.stringify(entry.args));
  assert.equal(entry.env.DEMO_SETTING, "kept");
  assert.equal(entry.env.THOTH_USER_ID, "ana@example.com");

  const [thoth, ...statusArgs] = thothArgv(["status", "--config", config, "--json"]);
  const status = await new Deno.Command(thoth!, { args: statusArgs, env, stdin: "null" }).output();
  const report = JSON.stringify(JSON.parse(new TextDecoder().decode(status.stdout)));
  assert.match(report, /"governed":true/, report);

  const connected = await connect([entry.command, ...entry.args], {}, {
    ...entry.env,
    THOTH_HOME: home,
  });
  try {
    const echo = await connected.client.callTool({
      name: "echo",
      arguments: { message: "wrapped" },
    });
    assert.match(JSON.stringify(echo), /Echo: wrapped/);
    const serverEnv = JSON.stringify(
      await connected.client.callTool({ name: "get-env", arguments: {} }),
    );
    assert.match(serverEnv, /DEMO_SETTING/, "the server keeps its own variables");
    assert.doesNotMatch(
      serverEnv,
      /THOTH_WRAP|THOTH_USER_ID/,
      "thoth's additions do not reach the server",
    );
  } finally {
    await connected.close();
  }

  const unwrap = new RawPeer(
    thothArgv(["unwrap-config", "--client", "claude-desktop", config]),
    env,
  );
  assert.equal((await unwrap.finish()).code, 0, unwrap.stderr);
  assert.equal(await Deno.readTextFile(config), original, "unwrap gives the original bytes back");
});
