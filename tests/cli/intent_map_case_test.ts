/**
 * An intent map key that differs from the agent id only by case refuses the
 * server, as a server-name key does (`intent_map.inexact`): `thoth run`
 * answers the client's first request with the reason and starts no server,
 * and `thoth status --check` and `thoth doctor` report the server as refused.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, RawPeer, testEnv, thothArgv } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { reading: { tools: ["read_*"] } },
});

Deno.test("thoth run refuses a server whose intent map key differs from its agent id only by case", async () => {
  const dir = await tempFolder("thoth-case-map-");
  const home = `${dir}/home`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  await Deno.writeTextFile(`${home}/intent_map.json`, '{"Fault": "reading"}');
  const log = `${dir}/server.log`;
  const peer = new RawPeer(
    thothArgv(["run", "--agent-id", "fault", "--", ...faultArgv(["--log", log])]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const reply = await peer.next();
    assert.equal(reply["id"], 1);
    const message = (reply["error"] as { message: string }).message;
    assert.match(message, /^thoth cannot govern this server: /);
    assert.equal((await peer.finish()).code, 1);
    assert.match(
      peer.stderr,
      /has no entry for agent id "fault", but its entry "Fault" differs from it only by case/,
    );
    assert.match(peer.stderr, /hint: rename the entry "Fault" to "fault"/);
    await assert.rejects(Deno.stat(log), Deno.errors.NotFound, "no server ran");
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth status --check and doctor report a case-only intent map key as a refusal", async () => {
  const dir = await tempFolder("thoth-case-status-");
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  await Deno.writeTextFile(`${home}/intent_map.json`, '{"Fault": "reading"}');
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
        fault: {
          command: thothBinary,
          args: ["run", "--agent-id", "fault", "--enforcement-mode", "block", "--", "node"],
        },
      },
    }),
  );
  const env = { HOME: dir, THOTH_HOME: home };
  const status = await runThoth(["status", "--check", "--json", "--config", config], {
    env,
    cwd: dir,
  });
  assert.equal(status.code, 1, status.out + status.err);
  const report = JSON.parse(status.out);
  assert.equal(report.summary.refused, 1, status.out);
  assert.match(status.out, /its entry \\"Fault\\" differs from it only by case/);
  if (Deno.build.os === "linux") {
    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out);
    assert.match(doctor.out, /^✗ client_configs .*fault: thoth run will refuse to start/m);
  }
});
