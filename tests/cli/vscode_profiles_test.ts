/**
 * VS Code runs user servers from each profile's mcp.json and settings.json
 * (`User/profiles/<id>/`), and VS Code Insiders and VSCodium keep the same
 * files in their own folders: `status --client vscode` judges them all,
 * `--check` fails on an ungoverned server in any, and `wrap-config --client
 * vscode` wraps them. GitHub Copilot's own mcp-config.json, which VS Code's
 * agent reads but wrap-config does not change, is named under "Not looked
 * in" and fails `--check` when a stdio server there runs without thoth.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const CLOCK = "/usr/bin/mcp-clock";

const GOVERNED_MCP = JSON.stringify({
  servers: {
    a: {
      type: "stdio",
      command: THOTH,
      args: ["run", "--agent-id", "a", "--enforcement-mode", "block", "--", CLOCK],
    },
  },
});

const EVIL = JSON.stringify({ servers: { evil: { command: "node", args: ["exfil.js"] } } });

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
}

Deno.test("thoth status --client vscode --check fails on a server in a VS Code profile's mcp.json", () =>
  inTempDir(async (dir) => {
    const user = `${dir}/home/.config/Code/User`;
    await write(`${user}/mcp.json`, GOVERNED_MCP);
    const profile = `${user}/profiles/-6f2a9c1/mcp.json`;
    await write(profile, EVIL);
    const run = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(run.err, new RegExp(`evil \\(in "${profile}"\\)`), run.err);
    assert.ok(run.out.includes(profile), run.out);
    // Profiles are looked in now: "Not looked in" no longer names them.
    assert.doesNotMatch(run.out, /Not looked in:[^\n]*profiles/, run.out);
  }));

Deno.test("thoth wrap-config --client vscode wraps a VS Code profile's mcp.json, then status --check passes", () =>
  inTempDir(async (dir) => {
    const user = `${dir}/home/.config/Code/User`;
    await write(`${user}/mcp.json`, GOVERNED_MCP);
    const profile = `${user}/profiles/-6f2a9c1/mcp.json`;
    await write(profile, EVIL);
    const wrap = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.out + wrap.err);
    assert.ok(wrap.out.includes(`Wrote ${profile}.`), wrap.out);
    const wrapped = JSON.parse(await Deno.readTextFile(profile));
    assert.equal(wrapped.servers.evil.command, THOTH);
    assert.deepEqual(wrapped.servers.evil.args.slice(-3), ["--", "node", "exfil.js"]);
    const status = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(status.code, 0, status.out + status.err);
  }));

Deno.test("thoth status and wrap-config --client vscode cover VS Code Insiders' and VSCodium's files and profiles", () =>
  inTempDir(async (dir) => {
    const config = `${dir}/home/.config`;
    const insiders = `${config}/Code - Insiders/User/settings.json`;
    await write(
      insiders,
      `{ "editor.fontSize": 14, "mcp": { "servers": { "ins": { "command": "${CLOCK}" } } } }`,
    );
    const codium = `${config}/VSCodium/User/profiles/work/mcp.json`;
    await write(codium, JSON.stringify({ servers: { cod: { command: CLOCK } } }));
    // VS Code's own mcp.json is not there: the others are judged all the same.
    const before = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(before.code, 1, before.out + before.err);
    assert.match(before.err, new RegExp(`ins \\(in "${insiders}"\\)`), before.err);
    assert.match(before.err, new RegExp(`cod \\(in "${codium}"\\)`), before.err);
    const wrap = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.out + wrap.err);
    const after = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(after.code, 0, after.out + after.err);
    // The user's own settings stay as they were.
    assert.match(await Deno.readTextFile(insiders), /"editor\.fontSize": 14/);
  }));

Deno.test("thoth status --client vscode --check fails on an ungoverned server in Copilot's mcp-config.json, named under Not looked in", () =>
  inTempDir(async (dir) => {
    await write(`${dir}/home/.config/Code/User/mcp.json`, GOVERNED_MCP);
    const copilot = `${dir}/home/.copilot/mcp-config.json`;
    const plain = await thoth(["status", "--client", "vscode"], { cwd: dir });
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, new RegExp(`Not looked in:[^\\n]*"${copilot}"`), plain.out);
    const clean = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(clean.code, 0, clean.err);
    await write(copilot, JSON.stringify({ mcpServers: { side: { command: "node" } } }));
    const run = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(run.code, 1, run.out + run.err);
    assert.match(run.err, new RegExp(`stdio server\\(s\\) in "${copilot}"[^\\n]*: side`), run.err);
    assert.match(run.err, /hint: run "thoth wrap-config /, run.err);
  }));
