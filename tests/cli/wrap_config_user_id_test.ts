/**
 * A tenant needs a user id, and `thoth run` reads it from its environment:
 * the server's "env", then the client's own environment, which no check can
 * see (a GUI client does not get a shell's variables). So `wrap-config
 * --tenant-id acme` with no user id written warns how to supply it, and
 * `thoth status --check` and `thoth doctor` count those servers as refused,
 * whatever the shell they run in sets.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { runProgram } from "../../src/cli/program.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { fakeIo, testContext } from "../doctor/_helpers.ts";

const INPUT = '{"mcpServers": {"fs": {"command": "/usr/bin/mcp-clock"}}}\n';

Deno.test("thoth wrap-config --tenant-id without a user id warns how to supply one", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    const run = await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    // Written all the same, with a warning, not exit 1: only the client's own environment could
    // supply the user id (changed back from 8815ea2); "thoth status --check" fails on it.
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /will not start/);
    assert.match(
      run.err,
      /^thoth: warning: no THOTH_USER_ID written for tenant "acme": thoth run refuses to start "fs" unless the client's own environment sets THOTH_USER_ID .*; wrap again with --env THOTH_USER_ID=you@company.com to write it into each server's "env"$/m,
    );
    const fixed = await thoth(
      ["wrap-config", "--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com", path],
      { cwd: dir },
    );
    assert.equal(fixed.code, 0, fixed.err);
    assert.doesNotMatch(fixed.err, /THOTH_USER_ID/);
  });
});

Deno.test("thoth status --check refuses a tenant's server with no user id in its env, even when this shell has one", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, INPUT);
    await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    // The shell the check runs in is not the client's: its THOTH_USER_ID proves nothing.
    for (const env of [{}, { THOTH_USER_ID: "ana@example.com" }]) {
      const check = await thoth(["status", "--check", "--config", path], { cwd: dir, env });
      assert.equal(check.code, 1, check.out);
      assert.match(
        check.out,
        /thoth run will refuse to start: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it \(its "env" does not set THOTH_USER_ID/,
      );
      assert.match(check.err, /that will not start: fs$/m);
    }
    await thoth(
      ["wrap-config", "--tenant-id", "acme", "--env", "THOTH_USER_ID=ana@example.com", path],
      { cwd: dir },
    );
    const fixed = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(fixed.code, 0, fixed.err);
  });
});

Deno.test("thoth doctor fails client_configs on a tenant's server with no user id in its env", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
    const path = `${dir}/.config/Claude/claude_desktop_config.json`;
    await Deno.writeTextFile(path, INPUT);
    const wrap = await thoth(["wrap-config", "--tenant-id", "acme", path], { cwd: dir });
    // Written with a warning (exit 0): doctor is what this test checks.
    assert.equal(wrap.code, 0, wrap.err);
    const env = { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_USER_ID: "ana@example.com" };
    const io = fakeIo(`${dir}/.thoth`, env);
    const program = new Command("thoth").addCommand(
      doctorCommand(io, {
        plugins: {
          discoverClients: thothDoctorPlugins({ ...io, selfCommand: [THOTH] }).discoverClients!,
        },
        context: (cliIo, plugins) =>
          testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins }),
      }),
    );
    const code = await runProgram("thoth", program, ["doctor"], io);
    const out = io.stdout.join("");
    assert.equal(code, 1, out);
    assert.match(
      out,
      /^✗ client_configs +1 client config, 1 of 1 servers governed \(1 that will not start\); fs: thoth run will refuse to start: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it/m,
    );
  });
});
