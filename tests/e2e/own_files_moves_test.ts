/**
 * The clients' configs end to end against the real server-filesystem behind
 * the real `thoth run`: moving a folder that holds a config away (to edit the
 * config under another name and move it back) is blocked in observe mode, as
 * is listing such a folder; a command naming a config by `$XDG_CONFIG_HOME`
 * is blocked when the session's XDG_CONFIG_HOME holds it (`thoth run` passes
 * the variable to the core). Other moves and listings pass.
 */
import assert from "node:assert/strict";
import { connect, DENO, filesystemArgv, tempDir, throughThoth } from "./_harness.ts";

const WRAPPED = '{"mcpServers":{"fs":{"command":"thoth","args":["run","--","fs"]}}}';

function text(result: unknown): string {
  return JSON.stringify(result);
}

async function denoDir(): Promise<string> {
  const info = await new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
}

Deno.test("server-filesystem cannot move a folder that holds a client's config out of reach", async () => {
  await using dir = await tempDir();
  const user = dir.path;
  const home = `${user}/.thoth`;
  // The per-user config folder is not ~/.config here: the session must learn it from the env.
  const xdg = `${user}/xdg`;
  await Deno.mkdir(home);
  await Deno.mkdir(`${user}/.cursor`);
  await Deno.writeTextFile(`${user}/.cursor/mcp.json`, WRAPPED);
  await Deno.mkdir(`${xdg}/Code/User`, { recursive: true });
  await Deno.writeTextFile(`${xdg}/Code/User/mcp.json`, WRAPPED);
  await Deno.mkdir(`${user}/data`);
  await Deno.writeTextFile(`${user}/data/a.txt`, "a");
  const connected = await connect(
    throughThoth(filesystemArgv(user), ["--agent-id", "filesystem"]),
    {},
    { THOTH_HOME: home, HOME: user, XDG_CONFIG_HOME: xdg, DENO_DIR: await denoDir() },
  );
  const call = (name: string, args: Record<string, unknown>) =>
    connected.client.callTool({ name, arguments: args });
  let calls;
  try {
    calls = {
      cursor: await call("move_file", { source: `${user}/.cursor`, destination: `${user}/c2` }),
      code: await call("move_file", { source: `${xdg}/Code`, destination: `${user}/vc` }),
      config: await call("move_file", { source: `${xdg}/`, destination: `${user}/cfg` }),
      list: await call("list_directory", { path: `${user}/.cursor` }),
      byVariable: await call("read_text_file", { path: "$XDG_CONFIG_HOME/Code/User/mcp.json" }),
      moved: await call("move_file", {
        source: `${user}/data/a.txt`,
        destination: `${user}/data/b.txt`,
      }),
      listed: await call("list_directory", { path: `${user}/data` }),
    };
  } finally {
    await connected.close();
  }
  for (const name of ["cursor", "code", "config", "list", "byVariable"] as const) {
    const result: { isError?: unknown } = calls[name];
    assert.equal(result.isError, true, `${name}: ${text(result)}`);
    assert.match(text(result), /thoth\.client_config/, name);
  }
  assert.doesNotMatch(text(calls.list), /\[FILE\]/);
  assert.equal(await Deno.readTextFile(`${user}/.cursor/mcp.json`), WRAPPED);
  assert.equal(await Deno.readTextFile(`${xdg}/Code/User/mcp.json`), WRAPPED);
  await assert.rejects(Deno.stat(`${user}/c2`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${user}/vc`), Deno.errors.NotFound);
  assert.notEqual(calls.moved.isError, true, text(calls.moved));
  assert.equal(await Deno.readTextFile(`${user}/data/b.txt`), "a");
  assert.match(text(calls.listed), /b\.txt/);
});
