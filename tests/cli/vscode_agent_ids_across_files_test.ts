/**
 * VS Code runs the servers of its mcp.json and its settings.json alike: one
 * `wrap-config --client vscode` hands out agent ids over both files (no two
 * servers share one), and `status` reports two servers of one id in the two
 * files as drift.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const CLOCK = "/usr/bin/mcp-clock";

async function setUp(dir: string, mcpText: string, settingsText: string) {
  const user = `${dir}/home/.config/Code/User`;
  await Deno.mkdir(user, { recursive: true });
  const mcp = `${user}/mcp.json`;
  const settings = `${user}/settings.json`;
  await Deno.writeTextFile(mcp, mcpText);
  await Deno.writeTextFile(settings, settingsText);
  return { mcp, settings };
}

function agentIds(text: string, at: (doc: Record<string, unknown>) => unknown): string[] {
  const servers = at(JSON.parse(text)) as Record<string, { args: string[] }>;
  return Object.values(servers).map((server) =>
    server.args[server.args.indexOf("--agent-id") + 1]!
  );
}

Deno.test("thoth wrap-config --client vscode gives distinct agent ids across mcp.json and settings.json", () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(
      dir,
      JSON.stringify({
        servers: {
          "notes café": { command: CLOCK, args: ["notes"] },
          fs: { command: CLOCK, args: ["fs-a"] },
        },
      }),
      JSON.stringify({
        mcp: {
          servers: {
            "notes-cafe": { command: CLOCK, args: ["other-notes"] },
            fs: { command: CLOCK, args: ["fs-b"] },
          },
        },
      }),
    );
    const run = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const first = agentIds(await Deno.readTextFile(mcp), (doc) => doc.servers);
    const second = agentIds(
      await Deno.readTextFile(settings),
      (doc) => (doc.mcp as Record<string, unknown>).servers,
    );
    const all = [...first, ...second];
    assert.equal(new Set(all).size, all.length, `ids shared: ${all.join(", ")}`);
    // The name that is a valid id keeps it; so does the first "fs".
    assert.equal(second[0], "notes-cafe");
    assert.equal(first[1], "fs");
    const status = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(status.code, 0, status.err);
    assert.equal(JSON.parse(status.out).summary.drifted, 0, status.out);
    // Again: nothing changes.
    const again = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(again.code, 0, again.err);
    assert.equal((again.out.match(/No changes: /g) ?? []).length, 2, again.out);
  }));

function wrapped(id: string, upstream: string[]) {
  return {
    command: THOTH,
    args: ["run", "--agent-id", id, "--enforcement-mode", "block", "--", ...upstream],
  };
}

Deno.test("thoth status --client vscode reports one agent id in both files as drift", () =>
  inTempDir(async (dir) => {
    const { mcp, settings } = await setUp(
      dir,
      JSON.stringify({
        servers: {
          "notes café": wrapped("notes-cafe", [CLOCK, "notes"]),
          fs: wrapped("fs", [CLOCK, "a"]),
          same: wrapped("same", [CLOCK, "s"]),
        },
      }),
      JSON.stringify({
        mcp: {
          servers: {
            "notes-cafe": wrapped("notes-cafe", [CLOCK, "other"]),
            fs: wrapped("fs", [CLOCK, "b"]),
            same: wrapped("same", [CLOCK, "s"]),
          },
        },
      }),
    );
    const run = await thoth(["status", "--client", "vscode", "--json"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out);
    const drift = (name: string, config: string) =>
      doc.servers.find((s: { name: string; config: string }) =>
        s.name === name && s.config === config
      ).drift.join("\n");
    assert.match(drift("notes café", mcp), new RegExp(`"notes-cafe" in "${settings}"`));
    assert.match(drift("notes-cafe", settings), new RegExp(`"notes café" in "${mcp}"`));
    assert.match(
      drift("fs", mcp),
      new RegExp(`"fs" in "${settings}", which starts another command`),
    );
    assert.match(drift("fs", settings), /agent id "fs" is also the agent id of/);
    assert.equal(drift("same", mcp), "", "the same server in both files is one server");
    assert.equal(doc.summary.drifted, 4);
  }));
