/**
 * On a machine with Claude Code but no Claude Desktop, `thoth status`,
 * `wrap-config` and `unwrap-config` without `--client` or a file still fail
 * on Claude Desktop's missing config (the default), and their hints name
 * the client that is here and the command that reads it. With nothing of
 * any client, the hints stay as they were. The real CLI in a fresh home.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function homeWith(files: Record<string, string>): Promise<string> {
  const home = await tempFolder("thoth-found-clients-");
  for (const [name, text] of Object.entries(files)) {
    const path = `${home}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return home;
}

const run = (home: string, args: string[]) =>
  runThoth(args, { cwd: home, env: { HOME: home, THOTH_HOME: `${home}/.thoth` } });

const CLAUDE_CODE = JSON.stringify({ mcpServers: { notes: { command: "node", args: ["n.js"] } } });

for (
  const [command, args] of [
    ["status", ["status"]],
    ["wrap-config", ["wrap-config", "--dry-run"]],
    ["unwrap-config", ["unwrap-config", "--dry-run"]],
  ] as const
) {
  Deno.test(`thoth ${command} without --client names Claude Code, whose config is here`, async () => {
    const home = await homeWith({ ".claude.json": CLAUDE_CODE });
    const result = await run(home, [...args]);
    assert.equal(result.code, 1, result.err);
    const lines = result.err.trim().split("\n");
    assert.match(
      lines[0]!,
      /^thoth: error: cannot read config ".*claude_desktop_config\.json": no such file$/,
    );
    assert.equal(
      lines[1],
      `thoth: hint: found Claude Code's config "${home}/.claude.json": run "thoth ${command} --client claude-code"`,
    );
  });
}

Deno.test("thoth status names each client found, in --client's order, and none that is not", async () => {
  const home = await homeWith({
    ".claude.json": CLAUDE_CODE,
    ".cursor/mcp.json": JSON.stringify({ mcpServers: {} }),
  });
  const result = await run(home, ["status", "--json"]);
  assert.equal(result.code, 1, result.err);
  const hints: string[] = JSON.parse(result.out).error.hints;
  assert.deepEqual(hints.filter((h) => h.startsWith("found ")), [
    `found Cursor's config "${home}/.cursor/mcp.json": run "thoth status --client cursor"`,
    `found Claude Code's config "${home}/.claude.json": run "thoth status --client claude-code"`,
  ]);
});

Deno.test("thoth status on a machine with no client config keeps its hints", async () => {
  const home = await homeWith({});
  const result = await run(home, ["status"]);
  assert.equal(result.code, 1, result.err);
  assert.doesNotMatch(result.err, /hint: found /);
  assert.match(result.err, /^thoth: hint: pass the config file with --config FILE/m);
});
