/**
 * A symbolic link at `THOTH_HOME/policy.jsonc` that leads to no file is a
 * broken policy, never "no policy": the real `thoth run` refuses the server
 * and writes nothing through the link, and the real `thoth doctor`,
 * `thoth health --json` and `thoth status --check` say the same (doctor ✗
 * policy, health `policy.valid: false` and the governed servers in
 * `clients[].refused`). The remedy leads with restoring what the link points
 * to (the admin's managed policy); `rm` of the link, which replaces it with
 * the default, comes second; doctor's `client_configs` says the refusal of
 * its two servers once.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, RawPeer, testEnv, thothArgv } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";
const BROKEN = /cannot read policy "[^"]*": it is a symbolic link that leads to no file/;

/** A private profile whose policy.jsonc is a link to `target`, which is not there. */
async function danglingPolicy(prefix: string) {
  const dir = await tempFolder(prefix);
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/intent_map.json`, "{}\n", { mode: 0o600 });
  const target = `${dir}/nowhere.jsonc`;
  const policy = `${home}/policy.jsonc`;
  await Deno.symlink(target, policy);
  return { dir, home, target, policy };
}

Deno.test({
  name: "thoth run refuses a dangling policy.jsonc link and writes nothing through it",
  ignore: !POSIX,
  fn: async () => {
    const { dir, home, target, policy } = await danglingPolicy("thoth-policy-link-run-");
    const log = `${dir}/server.log`;
    const peer = new RawPeer(
      thothArgv(["run", "--agent-id", "fault", "--", ...faultArgv(["--log", log])]),
      testEnv({ THOTH_HOME: home }),
    );
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.next();
      assert.equal(reply["id"], 1);
      assert.match((reply["error"] as { message: string }).message, /^thoth cannot govern/);
      assert.equal((await peer.finish()).code, 1);
      assert.match(peer.stderr, BROKEN);
      assert.ok(peer.stderr.includes(`rm ${shellQuote(policy)}`), peer.stderr);
      await assert.rejects(Deno.stat(log), Deno.errors.NotFound, "no server ran");
      await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
      assert.ok((await Deno.lstat(policy)).isSymlink);
    } finally {
      await peer.finish();
    }
  },
});

Deno.test({
  name: "thoth doctor, health --json and status --check call a dangling policy link broken, " +
    "as thoth run does",
  ignore: !POSIX,
  fn: async () => {
    const { dir, home, target, policy } = await danglingPolicy("thoth-policy-link-doctor-");
    await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
    const config = `${dir}/.config/Claude/claude_desktop_config.json`;
    const thothBinary = `${dir}/bin/thoth`;
    await Deno.mkdir(`${dir}/bin`);
    await Deno.writeTextFile(
      thothBinary,
      "#!/bin/sh\necho 'thoth 0.1.0 (x86_64-unknown-linux-gnu; commit abc123)'\n",
      { mode: 0o755 },
    );
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        mcpServers: {
          fault: { command: thothBinary, args: ["run", "--agent-id", "fault", "--", "node"] },
          other: { command: thothBinary, args: ["run", "--agent-id", "other", "--", "node"] },
        },
      }),
    );
    const env = { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: home };

    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out);
    const lines = doctor.out.split("\n");
    const at = lines.findIndex((l) => /^. policy /.test(l));
    assert.match(lines[at] ?? "", /^✗ policy /, doctor.out);
    assert.match(lines[at] ?? "", BROKEN);
    assert.match(lines[at + 1] ?? "", /^ +hint: /);
    assert.ok((lines[at + 1] ?? "").includes(`rm ${shellQuote(policy)}`), doctor.out);
    // The admin's policy comes first: removing the link replaces it, a choice made on purpose.
    assert.match(
      lines[at + 1] ?? "",
      /^ +hint: restore the file it points to \(your admin's managed policy\) or ask your admin to; removing the link \(rm .+\) instead replaces that policy with thoth's default/,
      doctor.out,
    );
    assert.doesNotMatch(doctor.out, /built-in default policy applies/);
    // client_configs names both servers and says the refusal once.
    const clients = lines.find((l) => /^. client_configs /.test(l)) ?? "";
    assert.match(
      clients,
      /2 of 2 servers governed \(2 that will not start\); fault, other: /,
      clients,
    );
    assert.equal(clients.split("leads to no file").length - 1, 1, clients);
    assert.equal(clients.split("restore the file it points to").length - 1, 1, clients);

    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.equal(health.code, 0, health.err);
    const report = JSON.parse(health.out);
    assert.equal(report.policy.valid, false);
    assert.equal(report.policy.present, true);
    assert.match(report.policy.problem, BROKEN);
    assert.ok(report.policy.problem.includes(`rm ${shellQuote(policy)}`));
    const refused = report.clients.flatMap((c: { refused: { name: string }[] }) => c.refused);
    assert.deepEqual(refused.map((r: { name: string }) => r.name), ["fault", "other"], health.out);
    assert.match(refused[0].reasons.join("\n"), BROKEN);
    assert.match(health.err, /^thoth: policy: cannot read policy/m);

    const status = await runThoth(["status", "--check", "--json", "--config", config], {
      env,
      cwd: dir,
    });
    assert.equal(status.code, 1, status.out + status.err);
    assert.equal(JSON.parse(status.out).summary.refused, 2, status.out);

    await assert.rejects(Deno.lstat(target), Deno.errors.NotFound, "nothing written through");
  },
});
