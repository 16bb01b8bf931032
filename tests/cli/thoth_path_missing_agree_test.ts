/**
 * `thoth status`, `thoth doctor` and `thoth health --json` classify a client
 * entry alike when its command is a thoth path: the README's hand-wired
 * Claude Desktop entry, with its thoth path absent, is governed but will not
 * start, and `thoth wrap-config` is the fix everywhere; a thoth path that is
 * there but answers as something else stays "not governed" in doctor, with a
 * thoth binary in `command` as its fix. Real `thoth` processes, a temp HOME.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { doctorWithDiscovery } from "../doctor/_helpers.ts";
import { SAME_OPTIONS } from "../../src/doctor/wrap_config_line.ts";

const UNIX = Deno.build.os !== "windows";

/** The README's hand-wired entry, with `thoth` as its command. */
function readmeEntry(thoth: string) {
  return {
    mcpServers: {
      gdrive: {
        command: thoth,
        args: [
          "run",
          "--agent-id",
          "gdrive",
          "--",
          "npx",
          "-y",
          "@modelcontextprotocol/server-gdrive",
        ],
      },
    },
  };
}

/** A temp HOME whose Claude Desktop config holds the README entry; its env and config path. */
async function desktopHome(thoth: (home: string) => string) {
  const home = await tempFolder("thoth-missing-path-");
  const dir = `${home}/.config/Claude`;
  await Deno.mkdir(dir, { recursive: true });
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(config, JSON.stringify(readmeEntry(thoth(home)), null, 2));
  const env = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, THOTH_HOME: `${home}/.thoth` };
  return { home, env, config };
}

/** The doctor line (and its hint) of `id`. */
function doctorLine(out: string, id: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^[✓✗!] ${id} `).test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  return { line: lines[at]!, hint: /^ +hint: /.test(next) ? next.trim() : "" };
}

Deno.test({
  name: "the README entry with no thoth at its path: status, doctor and health say governed, " +
    "will not start, fix with wrap-config",
  ignore: !UNIX,
  fn: async () => {
    const { home, env, config } = await desktopHome((h) => `${h}/usr/local/bin/thoth`);
    const thoth = `${home}/usr/local/bin/thoth`;
    const cwd = home;
    const wrap = `thoth wrap-config --client claude-desktop ${config}`;

    // status: governed, with the reason it will not start and wrap-config as the fix.
    const table = await runThoth(["status"], { env, cwd });
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^gdrive +✓ +gdrive /m);
    assert.match(
      table.out,
      new RegExp(`the client cannot start it: thoth path "${thoth}" is not a file on this machine`),
    );
    assert.match(table.out, /run "thoth wrap-config" to write this thoth's path/);
    assert.match(table.out, /^1 governed, 0 ungoverned stdio, .*\(1 that will not start\)$/m);
    const json = await runThoth(["status", "--json"], { env, cwd });
    assert.equal(json.code, 0, json.err);
    const status = JSON.parse(json.out);
    assert.equal(status.servers[0].governed, true);
    assert.equal(status.servers[0].state, "governed");
    assert.equal(status.servers[0].cannotStart.length, 1);
    assert.equal(status.summary.governed, 1);
    assert.equal(status.summary.ungoverned, 0);
    assert.equal(status.summary.cannotStart, 1);
    // The README: --check exits 1 on a server that cannot start.
    const check = await runThoth(["status", "--check"], { env, cwd });
    assert.equal(check.code, 1, check.err);
    assert.match(check.err, /^thoth: error: 1 governed server\(s\) that will not start: gdrive$/m);

    // doctor: fails it as governed but not starting, never "0 of 1" beside "1 of 1 governed".
    const doctor = await runThoth(["doctor"], { env, cwd });
    assert.equal(doctor.code, 1, doctor.out);
    const { line, hint } = doctorLine(doctor.out, "client_configs");
    assert.match(
      line,
      new RegExp(
        "^✗ client_configs +1 client config, 1 of 1 servers governed \\(1 that will not start\\); " +
          `gdrive: governed, but will not start: "${thoth}" is not an executable file: the ` +
          "client cannot start this server; thoth command checked for 1 of 1 entry written as " +
          "thoth run ",
      ),
    );
    assert.doesNotMatch(line, /0 of 1 servers governed|not governed/);
    assert.equal(
      hint,
      `hint: write this thoth's path into the entry of gdrive ${SAME_OPTIONS} with: ${wrap}`,
    );
    assert.doesNotMatch(hint, /command -v thoth/);

    // health: the same server under governed, and in not_startable with the same fix.
    const health = await runThoth(["health", "--json"], { env, cwd });
    assert.equal(health.code, 0, health.err);
    const [client] = JSON.parse(health.out).clients;
    assert.equal(client.config_path, config);
    assert.deepEqual(client.governed, ["gdrive"]);
    assert.deepEqual(client.ungoverned, []);
    assert.equal(client.not_startable.length, 1);
    assert.equal(client.not_startable[0].name, "gdrive");
    assert.equal(client.not_startable[0].command, thoth);
    assert.match(client.not_startable[0].problem, /the client cannot start this governed server/);
    assert.ok(client.not_startable[0].problem.endsWith(`with: ${wrap}`));
    assert.doesNotMatch(client.not_startable[0].problem, /not governed/);

    // And the fix is the one each names: wrap-config writes this thoth's path.
    const fixed = await runThoth(["wrap-config", config], { env, cwd });
    assert.equal(fixed.code, 0, fixed.err);
    const after = await runThoth(["status", "--check"], { env, cwd });
    assert.equal(after.code, 0, after.err + after.out);
  },
});

Deno.test({
  name: "a thoth path that is there but is not thoth stays not governed in doctor, with its remedy",
  ignore: !UNIX,
  fn: async () => {
    const { home, env, config } = await desktopHome((h) => `${h}/bin/thoth`);
    const fake = `${home}/bin/thoth`;
    await Deno.mkdir(`${home}/bin`, { recursive: true });
    await Deno.writeTextFile(fake, "#!/bin/sh\necho 'not thoth at all'\n", { mode: 0o755 });
    const cwd = home;

    // status and health judge the entry's shape: governed, nothing that stops it.
    const json = JSON.parse((await runThoth(["status", "--json"], { env, cwd })).out);
    assert.equal(json.servers[0].state, "governed");
    assert.deepEqual(json.servers[0].cannotStart, []);
    const health = JSON.parse((await runThoth(["health", "--json"], { env, cwd })).out);
    assert.deepEqual(health.clients[0].governed, ["gdrive"]);
    assert.deepEqual(health.clients[0].not_startable, []);

    // doctor starts it and finds it is something else: not governed, fix the command. As a
    // user (doctor run as root starts no program a config names).
    const doctor = await doctorWithDiscovery(home, { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
    assert.equal(doctor.code, 1, doctor.stdout);
    const { line, hint } = doctorLine(doctor.stdout, "client_configs");
    assert.match(
      line,
      new RegExp(
        "^✗ client_configs +1 client config, 0 of 1 servers governed; gdrive: not governed: " +
          `"${fake} --version" printed "not thoth at all" \\(exit code 0\\)`,
      ),
    );
    assert.match(line, /thoth command checked for 1 of 1 entry written as thoth run /);
    assert.doesNotMatch(line, /will not start|governed entr/);
    assert.equal(
      hint,
      `hint: set "command" of gdrive in "${config}" to the absolute path of a thoth binary ` +
        '(see "command -v thoth"), then run: thoth doctor',
    );
  },
});
