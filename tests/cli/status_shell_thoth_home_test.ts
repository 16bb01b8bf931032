/**
 * A `THOTH_HOME` set for `status` names the profile it judges (the admin's
 * declaration), but a GUI client starts its servers with its own environment
 * and the entry's "env", never the shell's: an entry whose "env" sets no
 * THOTH_HOME runs with `~/.thoth` of the client's user unless the client gets
 * THOTH_HOME system-wide. So `status` warns, naming the servers and both
 * profiles (`--check`: an error, exit 1; `--json`: "notPassedToServers"),
 * `wrap-config` warns, and `wrap-config --env THOTH_HOME=…` writes it into
 * the entry, which then runs with it. Each entry is started as a GUI client
 * starts it (its env, HOME, PATH), proving which profile thoth run uses.
 */
import assert from "node:assert/strict";
import { CLEAN_ENV, runThoth } from "./_thoth_process.ts";

interface Entry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Starts `entry` as a GUI client does: its "env" over HOME and PATH only (and Deno's cache). */
async function launchAsGuiClient(
  entry: Entry,
  home: string,
): Promise<{ code: number; err: string }> {
  const output = await new Deno.Command(entry.command, {
    args: entry.args,
    clearEnv: true,
    env: {
      HOME: home,
      PATH: "/usr/bin:/bin",
      DENO_DIR: CLEAN_ENV["DENO_DIR"]!,
      ...entry.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, err: new TextDecoder().decode(output.stderr) };
}

Deno.test("status --check fails when THOTH_HOME of the shell may not reach the servers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-shell-home-" });
  try {
    const home = `${dir}/home`;
    const shellProfile = `${dir}/A`;
    const homeProfile = `${home}/.thoth`;
    await Deno.mkdir(homeProfile, { recursive: true, mode: 0o700 });
    await Deno.mkdir(shellProfile, { mode: 0o700 });
    // The shell's profile maps the server to an intent the default policy defines; the
    // profile the client's thoth run uses without THOTH_HOME maps it to one it does not.
    await Deno.writeTextFile(`${shellProfile}/intent_map.json`, '{"ev": "calendar_management"}\n', {
      mode: 0o600,
    });
    await Deno.writeTextFile(`${homeProfile}/intent_map.json`, '{"ev": "no_such_intent"}\n', {
      mode: 0o600,
    });
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ mcpServers: { ev: { command: "/bin/cat" } } }),
    );
    const env = { HOME: home, THOTH_HOME: shellProfile };
    const notPassed = (level: string) =>
      new RegExp(
        `^thoth: ${level}: THOTH_HOME is "${shellProfile}" for this command, and the servers ` +
          `were judged by that profile, but 1 governed server\\(s\\) set no THOTH_HOME in their ` +
          `"env": ev; .* only if the client gets THOTH_HOME \\(set system-wide\\), else with ` +
          `"${homeProfile}", the profile their thoth run finds without it$`,
        "m",
      );

    const wrapped = await runThoth(["wrap-config", config], { cwd: dir, env });
    assert.equal(wrapped.code, 0, wrapped.err); // judged by the shell's profile: it starts
    assert.match(wrapped.err, notPassed("warning"));
    assert.match(
      wrapped.err,
      new RegExp(`^thoth: hint: run "thoth wrap-config .*c\\.json --env THOTH_HOME=`, "m"),
    );
    const entry: Entry = JSON.parse(await Deno.readTextFile(config)).mcpServers.ev;
    assert.equal(entry.env?.["THOTH_HOME"], undefined);

    const plain = await runThoth(["status", "--config", config], { cwd: dir, env });
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.err, notPassed("warning"));
    const checked = await runThoth(["status", "--check", "--json", "--config", config], {
      cwd: dir,
      env,
    });
    assert.equal(checked.code, 1, checked.err);
    assert.match(checked.err, notPassed("error"));
    const doc = JSON.parse(checked.out);
    assert.deepEqual(doc.profile, {
      path: shellProfile,
      source: "THOTH_HOME",
      ownerUid: null,
      config: null,
      notRead: [],
      notPassedToServers: { defaultProfile: homeProfile, servers: ["ev"] },
    });
    // Judged by the shell's profile, as before: nothing else is wrong with it.
    assert.equal(doc.servers[0].intent, "calendar_management");
    assert.deepEqual(doc.servers[0].refusals, []);

    // The client starts it with only its env: its thoth run reads the default profile.
    const launched = await launchAsGuiClient(entry, home);
    assert.notEqual(launched.code, 0, launched.err);
    assert.match(launched.err, /no_such_intent/);

    // Written into the entry's "env", the profile judged is the one used.
    const chosen = await runThoth(["wrap-config", "--env", `THOTH_HOME=${shellProfile}`, config], {
      cwd: dir,
      env,
    });
    assert.equal(chosen.code, 0, chosen.err);
    assert.doesNotMatch(chosen.err, /THOTH_HOME is ".*" for this command/);
    const again = await runThoth(["status", "--check", "--json", "--config", config], {
      cwd: dir,
      env,
    });
    assert.equal(again.code, 0, again.err);
    assert.doesNotMatch(again.err, /THOTH_HOME is ".*" for this command/);
    const passed = JSON.parse(again.out);
    assert.equal(passed.profile.notPassedToServers, undefined);
    assert.equal(passed.servers[0].intent, "calendar_management");
    assert.equal(passed.servers[0].intentSource, "intent_map");
    const governed: Entry = JSON.parse(await Deno.readTextFile(config)).mcpServers.ev;
    assert.equal(governed.env?.["THOTH_HOME"], shellProfile);
    const started = await launchAsGuiClient(governed, home);
    assert.equal(started.code, 0, started.err);
    assert.doesNotMatch(started.err, /no_such_intent/);

    // unwrap-config takes the THOTH_HOME it wrote out again.
    const unwrapped = await runThoth(["unwrap-config", config], { cwd: dir, env });
    assert.equal(unwrapped.code, 0, unwrapped.err);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(config)).mcpServers.ev, {
      command: "/bin/cat",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status --check passes when THOTH_HOME of the shell is the default profile", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-shell-home-" });
  try {
    const home = `${dir}/home`;
    await Deno.mkdir(`${home}/.thoth`, { recursive: true, mode: 0o700 });
    const config = `${dir}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ mcpServers: { ev: { command: "/bin/cat" } } }),
    );
    // Written with a trailing separator, or as a link to it: the folder the client's thoth
    // run finds without THOTH_HOME.
    await Deno.symlink(`${home}/.thoth`, `${dir}/link`);
    for (const named of [`${home}/.thoth/`, `${dir}/link`]) {
      const env = { HOME: home, THOTH_HOME: named };
      const wrapped = await runThoth(["wrap-config", config], { cwd: dir, env });
      assert.equal(wrapped.code, 0, wrapped.err);
      assert.doesNotMatch(wrapped.err, /for this command/);
      const checked = await runThoth(["status", "--check", "--json", "--config", config], {
        cwd: dir,
        env,
      });
      assert.equal(checked.code, 0, checked.err);
      assert.doesNotMatch(checked.err, /for this command/);
      assert.equal(JSON.parse(checked.out).profile.notPassedToServers, undefined);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
