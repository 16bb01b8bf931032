import assert from "node:assert/strict";
import { fixture, inTempDir, THOTH, thoth } from "./_config_cli.ts";

async function config(dir: string, file: string): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, fixture(file));
  return path;
}

Deno.test("thoth status prints the table with ✓ for governed servers", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "claude-desktop.expected.json");
    const run = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split("\n");
    assert.equal(lines[0], path);
    assert.match(
      lines[2]!,
      /^Server {12}Governed {4}Agent ID {6}Session Intent {9}Enforcement {4}Notes$/,
    );
    assert.match(run.out, /^gdrive {12}✓ {11}gdrive {8}calendar_management {4}block$/m);
    assert.match(run.out, /^4 governed, 0 ungoverned stdio, 0 drifted$/m);
  });
});

Deno.test("thoth status shows drift when the thoth path no longer exists", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "cursor.expected.json");
    const run = await thoth(["status", "--config", path], {
      cwd: dir,
      deps: { isFile: () => false },
    });
    assert.match(
      run.out,
      new RegExp(`^memory .*observe +thoth path "${THOTH}" no longer exists$`, "m"),
    );
    assert.match(run.out, /4 drifted/);
  });
});

Deno.test("thoth status --check exits 1 when a stdio server is ungoverned", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "cursor.input.json");
    const run = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.err, /^thoth: 2 stdio server\(s\) run without thoth: filesystem, github$/m);
    assert.match(run.err, /^thoth: hint: run "thoth wrap-config"/m);
    await config(dir, "cursor.expected.json");
    const governed = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(governed.code, 0);
    assert.equal(governed.err, "");
  });
});

Deno.test("thoth status --check ignores remote and disabled servers", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "windsurf.expected.json");
    assert.equal((await thoth(["status", "--check", "--config", path], { cwd: dir })).code, 0);
  });
});

Deno.test("thoth status --json prints a stable shape for scripts", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "claude-code-user.expected.json");
    const run = await thoth(["status", "--json", "--config", path], { cwd: dir });
    assert.equal(run.code, 0);
    const doc = JSON.parse(run.out);
    assert.deepEqual(Object.keys(doc), ["schemaVersion", "config", "servers", "summary"]);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.config, path);
    assert.deepEqual(doc.summary, {
      servers: 3,
      governed: 2,
      ungoverned: 0,
      notUnderstood: 0,
      notApplicable: 1,
      drifted: 0,
    });
    assert.deepEqual(doc.servers[2], {
      name: "postgres",
      project: "/home/ana/app",
      transport: "stdio",
      disabled: false,
      governed: true,
      state: "governed",
      agentId: "postgres",
      tenantId: "acme",
      intent: null,
      enforcementMode: "block",
      command: THOTH,
      upstreamCommand: "/usr/bin/postgres-mcp",
      drift: [],
      note: null,
    });
    assert.equal(doc.servers[1].transport, "remote");
  });
});

Deno.test("thoth status tells a thoth entry it does not understand apart, in the table, --json and --check", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/config.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          ok: {
            command: THOTH,
            args: ["run", "--agent-id", "ok", "--enforcement-mode", "block", "--", "/bin/ok"],
          },
          odd: { command: THOTH, args: ["run", "--agent-id", "odd", "--", ""] },
        },
      }),
    );
    const table = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(table.code, 0, table.err);
    assert.match(
      table.out,
      /^odd {7}\? {11}— {11}— {17}— {14}thoth entry not understood: the upstream command after "--" is empty$/m,
    );
    assert.match(table.out, /^1 governed, 0 ungoverned stdio, 1 not understood, 0 drifted$/m);

    const json = JSON.parse(
      (await thoth(["status", "--json", "--config", path], { cwd: dir })).out,
    );
    assert.deepEqual(
      [json.servers[1].state, json.servers[1].governed, json.servers[1].note],
      [
        "not_understood",
        false,
        'thoth entry not understood: the upstream command after "--" is empty',
      ],
    );
    assert.equal(json.summary.notUnderstood, 1);
    assert.equal(json.summary.ungoverned, 0);

    const check = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(check.code, 1, "an entry thoth cannot read is not taken as governed");
    assert.equal(
      check.err,
      "thoth: 1 thoth entry(ies) not understood, so not known to be governed: odd\n" +
        'thoth: hint: run "thoth status" to see why, fix the entries by hand, then run "thoth wrap-config"\n',
    );
  });
});

Deno.test("thoth status reads each client's default config", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.config/Code/User`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.config/Code/User/mcp.json`,
      fixture("vscode.expected.json"),
    );
    const run = await thoth(["status", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^github .*✓ .*code_review/m);
    const missing = await thoth(["status"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Claude\/claude_desktop_config\.json": no such file/);
  });
});

Deno.test("thoth status --help explains the columns and --check", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["status", "--help"], { cwd: dir });
    assert.match(run.out, /--check/);
    assert.match(run.out, /Governed ✓/);
    assert.match(run.out, /thoth status --check/);
  });
});
