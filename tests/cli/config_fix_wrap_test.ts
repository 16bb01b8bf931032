/**
 * wrap-config and status where a fleet rollout used to go wrong without a
 * word: a disabled server left to run without thoth, an --output file
 * replaced with no backup, a mistyped --thoth-path, a credential written in
 * plain text, and advice that names the wrong config.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const DISABLED = JSON.stringify(
  {
    mcpServers: {
      sneaky: { command: "npx", args: ["-y", "pkg"], disabled: true },
      odd: { command: "node", args: ["s.js", "--port", 8080], disabled: true },
    },
  },
  null,
  2,
) + "\n";

Deno.test("status --check fails on a disabled server that runs without thoth; wrap-config wraps it", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, DISABLED);
    // Claude Code ignores "disabled": this server runs, and without thoth.
    const before = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(before.code, 1, before.err);
    const rows = JSON.parse(before.out).servers;
    assert.deepEqual(
      rows.map((s: { state: string; disabled: boolean }) => [s.state, s.disabled]),
      [["ungoverned", true], ["ungoverned", true]],
    );
    assert.match(rows[0].note, /^disabled, but Claude Code ignores "disabled"/);
    assert.match(before.err, /^thoth: error: 2 stdio server\(s\) run without thoth: sneaky, odd$/m);

    const wrap = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(wrap.code, 1, "the one it cannot rewrite is still named");
    assert.match(wrap.out, /^ {2}wrapped {2}sneaky .*disabled: wrapped all the same/m);
    assert.match(wrap.err, /^thoth: error: "odd" is not governed: disabled, but Claude Code/m);
    const text = await Deno.readTextFile(path);
    const sneaky = JSON.parse(text).mcpServers.sneaky;
    assert.equal(sneaky.command, THOTH);
    assert.equal(sneaky.disabled, true, "it stays disabled");

    const after = await thoth(["status", "--json", "--config", path], { cwd: dir });
    assert.equal(JSON.parse(after.out).servers[0].state, "governed");
    const back = await thoth(["unwrap-config", path], { cwd: dir });
    assert.equal(back.code, 0, back.err);
    assert.equal(await Deno.readTextFile(path), DISABLED, "unwrap gives the bytes back");
  });
});

const INPUT = '{"mcpServers": {"a": {"command": "npx", "args": ["-y", "pkg"]}}}\n';

Deno.test("wrap-config --output refuses to replace a file with other content, and backs it up each time when told", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/in.json`, INPUT);
    const out = `${dir}/out.json`;
    const mine = '{"mcpServers": {"mine": {"command": "/bin/mine"}}}\n';
    await Deno.writeTextFile(out, mine);
    const args = ["wrap-config", "--output", "out.json", "in.json"];

    const dry = await thoth([...args, "--dry-run"], { cwd: dir });
    assert.equal(dry.code, 2, "a dry run fails as the write would");
    assert.match(dry.out, new RegExp(`^--- ${out}\\n\\+\\+\\+ ${out}\\n`, "m"));
    assert.match(dry.out, /^-\{"mcpServers": \{"mine"/m, "the diff is against the output");
    const refused = await thoth(args, { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^thoth: error: --output ".*out\.json" exists and holds something/m);
    assert.match(refused.err, /pass --replace-output/);
    assert.equal(await Deno.readTextFile(out), mine);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "in.json",
      "out.json",
    ]);

    const first = await thoth([...args, "--replace-output"], { cwd: dir });
    assert.equal(first.code, 0, first.err);
    assert.match(
      first.out,
      new RegExp(`^Backup of what ${out} held before: ${out}\\.thoth-backup$`, "m"),
    );
    assert.equal(await Deno.readTextFile(`${out}.thoth-backup`), mine);
    // Edited by hand since, then replaced again: the edit is kept in a new backup.
    const edited = (await Deno.readTextFile(out)).replace('"a"', '"edited"');
    await Deno.writeTextFile(out, edited);
    const second = await thoth([...args, "--replace-output"], { cwd: dir });
    assert.equal(second.code, 0, second.err);
    assert.equal(await Deno.readTextFile(`${out}.thoth-backup`), mine);
    assert.equal(await Deno.readTextFile(`${out}.thoth-backup.2`), edited);
    // Already what would be written: nothing to replace, no flag needed.
    const same = await thoth(args, { cwd: dir });
    assert.equal(same.code, 0, same.err);
    assert.match(same.out, /No changes/);
  });
});

Deno.test("unwrap-config --output refuses to replace a file with other content too", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/in.json`, INPUT);
    await Deno.writeTextFile(`${dir}/out.json`, "{}\n");
    const run = await thoth(["unwrap-config", "--output", "out.json", "in.json"], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.err, /--replace-output/);
    assert.equal(await Deno.readTextFile(`${dir}/out.json`), "{}\n");
  });
});

Deno.test("wrap-config refuses a --thoth-path that is not a file here, unless it is for elsewhere; status --check fails on it", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    const typo = "/opt/thoht/bin/thoth";
    const run = await thoth(["wrap-config", "--thoth-path", typo, path], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.err, /^thoth: error: --thoth-path "\/opt\/thoht\/bin\/thoth" is not a file/m);
    assert.match(run.err, /--thoth-path-elsewhere/);
    assert.equal(await Deno.readTextFile(path), INPUT);

    const elsewhere = await thoth(
      ["wrap-config", "--thoth-path", typo, "--thoth-path-elsewhere", path],
      { cwd: dir },
    );
    assert.equal(elsewhere.code, 0, elsewhere.err);
    const check = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(check.code, 1, "a server whose thoth is not there does not start");
    const [row] = JSON.parse(check.out).servers;
    assert.match(
      row.cannotStart[0],
      /^the client cannot start it: thoth path "\/opt\/thoht\/bin\/thoth" is not a file on this machine/,
    );
    assert.doesNotMatch(row.cannotStart[0], /no longer/);
    assert.match(check.err, /^thoth: error: 1 governed server\(s\) that will not start: a$/m);
  });
});

Deno.test("wrap-config refuses a credential in --env; status shows one in env as drift", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    for (const key of ["THOTH_API_KEY", "THOTH_AUTH_TOKEN", "THOTH_RUNTIME_BEARER_TOKEN"]) {
      const secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
      const run = await thoth(["wrap-config", "--env", `${key}=${secret}`, path], { cwd: dir });
      assert.equal(run.code, 2, key);
      assert.match(
        run.err,
        new RegExp(`^thoth: error: --env ${key} would write a credential`, "m"),
      );
      assert.ok(!run.err.includes(secret) && !run.out.includes(secret));
      assert.equal(await Deno.readTextFile(path), INPUT);
    }
    const setApiKey = await thoth(["wrap-config", "--env", "THOTH_API_KEY=k", path], { cwd: dir });
    assert.match(setApiKey.err, /thoth set-api-key --api-key -/);
    const token = await thoth(["wrap-config", "--env", "THOTH_AUTH_TOKEN=t", path], { cwd: dir });
    assert.match(token.err, /THOTH_AUTH_TOKEN_FILE/);

    // Put there by hand (or by an older thoth): drift, with the way out.
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          a: {
            command: THOTH,
            args: ["run", "--agent-id", "a", "--enforcement-mode", "block", "--", "/bin/a"],
            env: { THOTH_API_KEY: "k-1" },
          },
        },
      }),
    );
    const status = await thoth(["status", "--json", "--config", path], { cwd: dir });
    const [row] = JSON.parse(status.out).servers;
    assert.deepEqual(row.drift, [
      '"env" holds THOTH_API_KEY in plain text, readable by whoever may read this config; save ' +
      'the key with "thoth set-api-key --api-key -", then remove THOTH_API_KEY from "env"',
    ]);
    const wrap = await thoth(["wrap-config", path], { cwd: dir });
    assert.match(wrap.err, /^thoth: warning: a: "env" holds THOTH_API_KEY in plain text/m);
  });
});

Deno.test("status names the config and client to wrap, not Claude Desktop's", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/my mcp.json`;
    await Deno.writeTextFile(path, '{"servers": {"a": {"command": "/bin/a"}}}');
    const run = await thoth(["status", "--check", "--client", "vscode", "--config", path], {
      cwd: dir,
    });
    assert.equal(run.code, 1);
    const wrap = `thoth wrap-config --client vscode '${path}'`;
    assert.match(run.out, new RegExp(`runs without thoth; run "${escape(wrap)}"$`, "m"));
    assert.match(run.err, new RegExp(`^thoth: hint: run "${escape(wrap)}" to govern them`, "m"));
    // Run as the note says, it wraps that very file.
    const done = await thoth(["wrap-config", "--client", "vscode", path], { cwd: dir });
    assert.equal(done.code, 0, done.err);
    assert.equal(JSON.parse(await Deno.readTextFile(path)).servers.a.command, THOTH);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
