/**
 * What wrap-config, unwrap-config and status say around the file they work
 * on: an --output file no client reads is not followed by "restart the
 * client" but by how to check that file; an --output that names the input
 * through a linked folder is a write in place (one backup); a refusal is
 * said once, not first as a warning; a config given the other command's way
 * (`status c.json`, `wrap-config --config c.json`) gets the form that works;
 * and status shows the enforcement mode thoth run will use for an entry
 * written without one (`block (default)`, and in --json as new fields).
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const BASE = JSON.stringify({
  mcpServers: { clock: { command: "/usr/bin/mcp-clock", args: ["--utc"] } },
});

Deno.test("wrap-config --output another file: no restart line, but how to check that file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    const out = `${dir}/governed_config.json`;
    const run = await thoth(
      [
        "wrap-config",
        "--tenant-id",
        "t",
        "--env",
        "THOTH_USER_ID=ana@example.com",
        "--output",
        out,
        "base.json",
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.out, /Restart the client/);
    assert.ok(run.out.includes(`"thoth status --config ${out}"`), run.out);
    // The command it names works on that file.
    const status = await thoth(["status", "--config", out], { cwd: dir });
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /clock\s+✓/);

    // A config for other machines: checked there, not with this machine's status.
    const fleet = await thoth(
      [
        "wrap-config",
        "--thoth-path",
        "/srv/fleet/bin/thoth",
        "--thoth-path-elsewhere",
        "--output",
        "fleet_config.json",
        "base.json",
      ],
      { cwd: dir, deps: { isFile: (path) => path === "/usr/bin/mcp-clock" } },
    );
    assert.equal(fleet.code, 0, fleet.err);
    assert.doesNotMatch(fleet.out, /Restart the client/);
    assert.match(fleet.out, /No client reads \S*fleet_config\.json here: .*"thoth status --check"/);

    // unwrap-config --output another file: the same.
    const plain = await thoth(["unwrap-config", "--output", "plain.json", out], { cwd: dir });
    assert.equal(plain.code, 0, plain.err);
    assert.doesNotMatch(plain.out, /Restart the client/);
    assert.ok(plain.out.includes(`"thoth status --config ${dir}/plain.json"`), plain.out);

    // In place: as before.
    const inPlace = await thoth(["wrap-config", "--tenant-id", "t", "base.json"], { cwd: dir });
    assert.equal(inPlace.code, 0, inPlace.err);
    // The file named: status checks that file, not Claude Desktop's config.
    assert.ok(
      inPlace.out.includes(
        `Restart the client to apply, then check with "thoth status --config ${dir}/base.json".`,
      ),
      inPlace.out,
    );
  });
});

Deno.test("--output naming the input through a linked folder is a write in place, backed up once", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/Claude`);
    const input = `${dir}/Claude/claude_desktop_config.json`;
    await Deno.writeTextFile(input, BASE);
    await Deno.symlink(`${dir}/Claude`, `${dir}/link`);
    const viaLink = `${dir}/link/claude_desktop_config.json`;
    const wrap = (mode: string) =>
      thoth(["wrap-config", "--enforcement-mode", mode, "--output", viaLink, input], { cwd: dir });

    const first = await wrap("observe");
    assert.equal(first.code, 0, first.err);
    assert.match(await Deno.readTextFile(input), /"--enforcement-mode", "observe"/);
    assert.match(
      first.out,
      /^Backup of the original: \S*claude_desktop_config\.json\.thoth-backup$/m,
    );
    assert.match(first.out, /^Restart the client to apply/m);

    const again = await wrap("block");
    assert.equal(again.code, 0, again.err);
    assert.match(await Deno.readTextFile(input), /"--enforcement-mode", "block"/);
    assert.match(again.out, /^Backup kept: /m);
    const names = [...Deno.readDirSync(`${dir}/Claude`)].map((entry) => entry.name).sort();
    assert.deepEqual(names, [
      "claude_desktop_config.json",
      "claude_desktop_config.json.thoth-backup",
    ]);
    assert.equal(await Deno.readTextFile(`${input}.thoth-backup`), BASE);

    // unwrap-config compares the same way.
    const unwrap = await thoth(["unwrap-config", "--output", viaLink, input], { cwd: dir });
    assert.equal(unwrap.code, 0, unwrap.err);
    assert.equal(await Deno.readTextFile(input), BASE);
    assert.match(unwrap.out, /^Restart the client to apply\.$/m);
  });
});

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

Deno.test("wrap-config says each refusal once: an error line, not a warning before it", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({ mcpServers: { "phi-boundary": { command: "/usr/bin/mcp-clock" } } }),
    );
    await Deno.writeTextFile(`${dir}/m.json`, '{"phi-boundary": "records_export"}');
    const reason = 'intent "records_export" is not in the policy';
    const run = await thoth(["wrap-config", "--intent-map", "m.json", "--dry-run", "c.json"], {
      cwd: dir,
    });
    assert.equal(run.code, 1, run.err);
    assert.equal(count(run.err, reason), 1, run.err);
    assert.match(
      run.err,
      /^thoth: error: "phi-boundary" will not start: intent "records_export"/m,
    );
    // A warning that is no refusal stays.
    assert.match(run.err, /^thoth: warning: no tenant id written/m);

    // A policy thoth run cannot use: once per server too.
    await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
    await Deno.writeTextFile(`${dir}/home/.thoth/policy.jsonc`, "{ broken");
    const policy = await thoth(["wrap-config", "--intent-map", "m.json", "--dry-run", "c.json"], {
      cwd: dir,
    });
    assert.equal(policy.code, 1, policy.err);
    const lines = policy.err.split("\n").filter((line) => line.includes("policy.jsonc"));
    assert.equal(lines.length, 1, policy.err);
    assert.match(lines[0]!, /^thoth: error: "phi-boundary" will not start: policy /);
  });
});

Deno.test("a config given the other command's way: the hint shows the form that works", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.json`, BASE);
    const status = await thoth(["status", "c.json"], { cwd: dir });
    assert.equal(status.code, 2);
    assert.match(status.err, /^thoth: error: too many arguments for 'status'/m);
    assert.match(status.err, /^thoth: hint: .*thoth status --config c\.json$/m);

    for (const command of ["wrap-config", "unwrap-config"]) {
      const run = await thoth([command, "--config", "c.json"], { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(run.err, /^thoth: error: unknown option '--config'$/m);
      assert.match(run.err, new RegExp(`^thoth: hint: .*thoth ${command} c\\.json$`, "m"));
    }
    // Other refusals are as the parser words them.
    const other = await thoth(["wrap-config", "--nope"], { cwd: dir });
    assert.equal(other.code, 2);
    assert.doesNotMatch(other.err, /takes the config/);
  });
});

Deno.test("status shows the enforcement mode thoth run will use for an entry without one", async () => {
  await inTempDir(async (dir) => {
    const run = (mode: string[], agent: string) => ({
      command: THOTH,
      args: ["run", "--agent-id", agent, ...mode, "--", "/usr/bin/mcp-clock"],
    });
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({
        mcpServers: {
          hand: run([], "hand"),
          watched: run(["--enforcement-mode", "observe"], "watched"),
          plain: { command: "/usr/bin/mcp-clock" },
        },
      }),
    );
    const table = await thoth(["status", "--config", "c.json"], { cwd: dir });
    assert.match(table.out, /^hand\s+✓\s+hand\s+—\s+block \(default\)\s/m);
    assert.match(table.out, /^watched\s+✓\s+watched\s+—\s+observe\s/m);

    const json = await thoth(["status", "--config", "c.json", "--json"], { cwd: dir });
    const servers = JSON.parse(json.out).servers as Record<string, unknown>[];
    const modes = Object.fromEntries(
      servers.map((server) => [
        server.name,
        [server.enforcementMode, server.enforcementModeUsed, server.enforcementModeSource],
      ]),
    );
    assert.deepEqual(modes, {
      hand: [null, "block", "default"],
      watched: ["observe", "observe", "--enforcement-mode"],
      plain: [null, null, null],
    });
  });
});
