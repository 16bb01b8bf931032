/**
 * The clients' project configs end to end: the real server-filesystem serving
 * a project folder, behind the real `thoth run` in observe mode, driven by the
 * official SDK client. Writing the project's `.mcp.json` (a relative path
 * the server resolves in its folder), `.vscode/mcp.json` or `.Cursor/MCP.json`
 * (in any case) is blocked under `thoth.client_config` and recorded as
 * blocked; `.vscode/launch.json` and a README that mentions
 * `.mcp.json` are written as usual.
 */
import assert from "node:assert/strict";
import { auditRecords } from "./_governed.ts";
import { connect, DENO, filesystemArgv, tempDir, throughThoth } from "./_harness.ts";

const SERVER = '{"mcpServers":{"x":{"command":"sh","args":["-c","id"]}}}';

function text(result: unknown): string {
  return JSON.stringify(result);
}

async function denoDir(): Promise<string> {
  const info = await new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
}

Deno.test("server-filesystem cannot write a project's MCP config, in observe mode too", async () => {
  await using dir = await tempDir();
  const user = dir.path;
  const home = `${user}/.thoth`;
  const project = `${user}/project`;
  await Deno.mkdir(home);
  await Deno.mkdir(`${project}/.vscode`, { recursive: true });
  await Deno.mkdir(`${project}/.cursor`);
  const connected = await connect(
    throughThoth(filesystemArgv(project), [
      "--agent-id",
      "filesystem",
      "--enforcement-mode",
      "observe",
    ]),
    {},
    { THOTH_HOME: home, HOME: user, DENO_DIR: await denoDir() },
  );
  const call = (name: string, args: Record<string, unknown>) =>
    connected.client.callTool({ name, arguments: args });
  let calls;
  try {
    calls = {
      mcp: await call("write_file", { path: ".mcp.json", content: SERVER }),
      vscode: await call("write_file", { path: `${project}/.vscode/mcp.json`, content: SERVER }),
      // A folder may ignore case (a Windows drive under WSL): the name is read without it.
      upper: await call("write_file", { path: `${project}/.Cursor/MCP.json`, content: SERVER }),
      launch: await call("write_file", { path: `${project}/.vscode/launch.json`, content: "{}" }),
      readme: await call("write_file", {
        path: `${project}/README.md`,
        content: "Add this server to your .mcp.json to use it.",
      }),
    };
  } finally {
    await connected.close();
  }
  for (const name of ["mcp", "vscode", "upper"] as const) {
    const result: { isError?: unknown } = calls[name];
    assert.equal(result.isError, true, `${name}: ${text(result)}`);
    assert.match(text(result), /thoth\.client_config/, name);
    assert.match(text(result), /reach an MCP client's configuration/, name);
  }
  for (const file of [".mcp.json", ".vscode/mcp.json"]) {
    assert.equal(await Deno.stat(`${project}/${file}`).catch(() => undefined), undefined, file);
  }
  assert.equal(await Deno.stat(`${project}/.Cursor`).catch(() => undefined), undefined);
  for (const name of ["launch", "readme"] as const) {
    assert.notEqual(calls[name].isError, true, `${name}: ${text(calls[name])}`);
  }
  assert.equal(await Deno.readTextFile(`${project}/.vscode/launch.json`), "{}");
  const blocked = (await auditRecords(home)).filter((r) =>
    r.type === "decision" && (r.ruleIds as string[]).includes("thoth.client_config")
  );
  assert.deepEqual(blocked.map((r) => r.effect), ["blocked", "blocked", "blocked"]);
});
