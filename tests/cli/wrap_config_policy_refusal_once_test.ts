/**
 * A policy.jsonc that `thoth run` cannot use (a symbolic link that leads to
 * no file, or a file that does not parse) refuses every server wrap-config
 * wraps: the real `thoth wrap-config` says that refusal once on stderr, after
 * the names of all the servers it applies to, as doctor's `client_configs`
 * does, and still exits 1; `--json` keeps each server's own refusal, since
 * scripts read them per server. Temp HOME and THOTH_HOME.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const POSIX = Deno.build.os !== "windows";

/** A profile at `dir/profile` and a client config with three servers; its path. */
async function threeServers(dir: string): Promise<string> {
  await Deno.mkdir(`${dir}/profile`, { mode: 0o700 });
  const config = `${dir}/claude_desktop_config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      mcpServers: {
        alpha: { command: "node", args: ["alpha.js"] },
        beta: { command: "node", args: ["beta.js"] },
        gamma: { command: "node", args: ["gamma.js"] },
      },
    }),
  );
  return config;
}

/** How many times `part` occurs in `text`. */
function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The stderr lines that say a server will not start. */
function startLines(err: string): string[] {
  return err.split("\n").filter((line) => line.includes("will not start"));
}

Deno.test({
  name: "wrap-config says a dangling policy link's refusal once for all its servers; " +
    "--json keeps each server's",
  ignore: !POSIX,
  fn: async () => {
    const dir = await tempFolder("thoth-wrap-policy-once-");
    const config = await threeServers(dir);
    await Deno.symlink(`${dir}/nowhere.jsonc`, `${dir}/profile/policy.jsonc`);
    const env = { HOME: dir, THOTH_HOME: `${dir}/profile` };

    const run = await runThoth(
      ["wrap-config", "--client", "claude-desktop", "--dry-run", config],
      { env, cwd: dir },
    );
    assert.equal(run.code, 1, run.err);
    assert.equal(count(run.err, "leads to no file"), 1, run.err);
    assert.equal(count(run.err, "restore the file it points to"), 1, run.err);
    const lines = startLines(run.err);
    assert.equal(lines.length, 2, run.err);
    assert.match(
      lines[0]!,
      /^thoth: error: "alpha", "beta", "gamma" will not start: cannot read policy "[^"]*": it is a symbolic link that leads to no file/,
    );
    assert.match(
      lines[1]!,
      /^thoth: error: 3 server\(s\) that would be written to .* will not start, because thoth run refuses them \(as each line above says\): "alpha", "beta", "gamma"$/,
    );

    const json = await runThoth(
      ["wrap-config", "--client", "claude-desktop", "--dry-run", "--json", config],
      { env, cwd: dir },
    );
    assert.equal(json.code, 1, json.err);
    const report = JSON.parse(json.out);
    const servers = report.files[0].servers as {
      name: string;
      problems: { code: string; message: string }[];
    }[];
    assert.deepEqual(servers.map((s) => s.name), ["alpha", "beta", "gamma"]);
    for (const server of servers) {
      const refused = server.problems.filter((p) => p.code === "config.will_not_start");
      assert.equal(refused.length, 1, JSON.stringify(server));
      assert.match(refused[0]!.message, /symbolic link that leads to no file/);
    }
    await assert.rejects(Deno.lstat(`${dir}/nowhere.jsonc`), Deno.errors.NotFound);
  },
});

Deno.test("wrap-config says an invalid policy's refusal once for all the servers it writes", async () => {
  const dir = await tempFolder("thoth-wrap-policy-invalid-");
  const config = await threeServers(dir);
  await Deno.writeTextFile(`${dir}/profile/policy.jsonc`, "{ this is not a policy", {
    mode: 0o600,
  });
  const run = await runThoth(
    ["wrap-config", "--client", "claude-desktop", config],
    { env: { HOME: dir, THOTH_HOME: `${dir}/profile` }, cwd: dir },
  );
  assert.equal(run.code, 1, run.err);
  const lines = startLines(run.err);
  assert.equal(lines.length, 2, run.err);
  assert.match(
    lines[0]!,
    /^thoth: error: "alpha", "beta", "gamma" will not start: .*policy\.jsonc/,
  );
  assert.equal(count(run.err, "fix the policy file"), 1, run.err);
  assert.match(lines[1]!, /^thoth: error: 3 server\(s\) written to .*: "alpha", "beta", "gamma"$/);
  // Written all the same: the servers run through thoth, which refuses them until it is fixed.
  assert.match(await Deno.readTextFile(config), /"--agent-id", *"gamma"/);
});

Deno.test("wrap-config again with an invalid policy writes nothing and says none was written", async () => {
  const dir = await tempFolder("thoth-wrap-policy-again-");
  const config = await threeServers(dir);
  const env = { HOME: dir, THOTH_HOME: `${dir}/profile` };
  const first = await runThoth(["wrap-config", "--client", "claude-desktop", config], {
    env,
    cwd: dir,
  });
  assert.equal(first.code, 0, first.err);
  await Deno.writeTextFile(`${dir}/profile/policy.jsonc`, "{ this is not a policy", {
    mode: 0o600,
  });
  const written = await Deno.readTextFile(config);
  const run = await runThoth(["wrap-config", "--client", "claude-desktop", config], {
    env,
    cwd: dir,
  });
  assert.equal(run.code, 1, run.err);
  assert.equal(await Deno.readTextFile(config), written, "nothing was written");
  assert.doesNotMatch(run.out, /is up to date/);
  assert.match(
    run.out,
    /^No changes written: .*claude_desktop_config\.json needed none, but 3 server\(s\) in it will not start \(named on stderr with what to fix\)\.$/m,
  );
  const lines = startLines(run.err);
  assert.equal(lines.length, 2, run.err);
  assert.match(
    lines[1]!,
    /^thoth: error: 3 server\(s\) in .*claude_desktop_config\.json will not start, because thoth run refuses them \(as each line above says\): "alpha", "beta", "gamma"$/,
  );
  assert.doesNotMatch(run.err, /written to/);
  const json = await runThoth(["wrap-config", "--client", "claude-desktop", "--json", config], {
    env,
    cwd: dir,
  });
  assert.equal(json.code, 1, json.err);
  assert.match(json.out, /3 server\(s\) in .*claude_desktop_config\.json will not start/);
  assert.doesNotMatch(json.out, /written to/);
});
