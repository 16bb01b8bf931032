/**
 * What `wrap-config --env` will not write as given: `THOTH_ENFORCER_URL`
 * (deprecated and ignored by `thoth run`) is left out with a warning on
 * stderr and a `config.deprecated_setting` problem per server in `--json`,
 * exit 0; a `THOTH_TENANT_ID` other than the tenant written as `--tenant-id`
 * (given, or this shell's `THOTH_TENANT_ID`) is a usage error naming both,
 * exit 2, nothing written. `thoth status` notes a `THOTH_ENFORCER_URL` in a
 * server's "env" as it notes an `--enforcer-url` in its args.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const PLAIN = JSON.stringify({ mcpServers: { clock: { command: "/usr/bin/mcp-clock" } } });
const USER = ["--env", "THOTH_USER_ID=ana@example.com"];

Deno.test("wrap-config --env THOTH_ENFORCER_URL writes nothing of it and says so", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, PLAIN);
    const args = ["wrap-config", "--json", ...USER, "--env", "THOTH_ENFORCER_URL=https://e.x"];
    const run = await thoth([...args, path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(await Deno.readTextFile(path), /THOTH_ENFORCER_URL/);
    assert.match(
      run.err,
      /^thoth: warning: --env THOTH_ENFORCER_URL was not written into any server's "env": it is deprecated and ignored \(thoth run derives the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN\); leave --env THOTH_ENFORCER_URL out$/m,
    );
    const server = JSON.parse(run.out).files[0].servers[0];
    assert.equal(server.action, "wrapped");
    assert.deepEqual(server.problems, [{
      code: "config.deprecated_setting",
      severity: "warning",
      message: "--env THOTH_ENFORCER_URL was not written: it is deprecated and ignored (thoth " +
        "run derives the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN)",
      remedy: "leave --env THOTH_ENFORCER_URL out",
    }]);
    // A second run changes nothing.
    const again = await thoth([...args, path], { cwd: dir });
    assert.equal(JSON.parse(again.out).files[0].outcome, "unchanged");
  }));

Deno.test("thoth status notes a THOTH_ENFORCER_URL in a server's env", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          clock: {
            command: THOTH,
            args: [
              "run",
              "--agent-id",
              "clock",
              "--enforcement-mode",
              "block",
              "--",
              "/usr/bin/mcp-clock",
            ],
            env: { THOTH_ENFORCER_URL: "https://e.x" },
          },
        },
      }),
    );
    const run = await thoth(["status", "--json", "--config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(JSON.parse(run.out).servers[0].drift, [
      'older setting: THOTH_ENFORCER_URL in "env", deprecated and ignored (thoth run derives the ' +
      'enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN); remove it from "env" by hand',
    ]);
  }));

Deno.test("wrap-config refuses --tenant-id beside another --env THOTH_TENANT_ID, naming both", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, PLAIN);
    const conflicting = ["--env", "THOTH_TENANT_ID=other"];
    const run = await thoth(
      ["wrap-config", "--tenant-id", "acme", ...USER, ...conflicting, path],
      { cwd: dir },
    );
    assert.equal(run.code, 2, run.err);
    assert.equal(await Deno.readTextFile(path), PLAIN, "nothing was written");
    assert.match(
      run.err,
      /^thoth: error: --tenant-id "acme" and --env THOTH_TENANT_ID="other" name two tenants: /m,
    );
    assert.match(
      run.err,
      /^thoth: hint: give one tenant: leave --env THOTH_TENANT_ID out \(thoth run takes the tenant from --tenant-id\), or pass --tenant-id "other"$/m,
    );
    // This shell's THOTH_TENANT_ID is the default for --tenant-id: named as such.
    const shell = await thoth(["wrap-config", ...USER, ...conflicting, path], {
      cwd: dir,
      env: { THOTH_TENANT_ID: "acme" },
    });
    assert.equal(shell.code, 2, shell.err);
    assert.match(shell.err, /^thoth: error: THOTH_TENANT_ID "acme" of this shell \(the default/m);
    // The same tenant twice is one tenant.
    const same = await thoth(
      ["wrap-config", "--tenant-id", "acme", ...USER, "--env", "THOTH_TENANT_ID=acme", path],
      { cwd: dir },
    );
    assert.equal(same.code, 0, same.err);
    const entry = JSON.parse(await Deno.readTextFile(path)).mcpServers.clock;
    assert.equal(entry.env.THOTH_TENANT_ID, "acme");
    assert.ok(entry.args.includes("acme"));
  }));
