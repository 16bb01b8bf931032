/**
 * A credential file past 64 KiB and an intent map past 1 MiB, through the
 * real CLI in a profile and HOME of their own: `doctor` and `health` say the
 * size, the limit and what to do (as for a policy over its limit), `health`
 * reports the servers `thoth run` would refuse for the map, and `thoth run`
 * refuses them: it reads no more of the map than `doctor` does.
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { faultArgv, initializeRequest, RawPeer, testEnv, thothArgv } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const KEY_SIZE = 65 * 1024;
/** A well-formed map, with one intent far longer than any real one. */
const MAP_TEXT = JSON.stringify({ other: "x".repeat(1024 * 1024 + 10) });
const MAP_SIZE = new TextEncoder().encode(MAP_TEXT).length;

/** A HOME with a profile holding the two files and a Claude config with one governed server. */
async function profile(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await tempFolder("thoth-oversized-");
  const home = `${dir}/.thoth`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/proxy_api_key.json`, "x".repeat(KEY_SIZE), { mode: 0o600 });
  await Deno.writeTextFile(`${home}/intent_map.json`, MAP_TEXT, { mode: 0o600 });
  await Deno.mkdir(`${dir}/bin`);
  const thothBinary = `${dir}/bin/thoth`;
  await Deno.writeTextFile(
    thothBinary,
    "#!/bin/sh\necho 'thoth 0.1.0 (x86_64-unknown-linux-gnu; commit abc123)'\n",
    { mode: 0o755 },
  );
  await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/.config/Claude/claude_desktop_config.json`,
    JSON.stringify({
      mcpServers: {
        fault: { command: thothBinary, args: ["run", "--agent-id", "fault", "--", "node"] },
      },
    }),
  );
  return { dir, env: { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: home } };
}

Deno.test({
  name: "thoth doctor says the size, the limit and what to do for a key file past 64 KiB",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { dir, env } = await profile();
    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out + doctor.err);
    const lines = doctor.out.split("\n");

    const key = lines.findIndex((line) => /^. credentials /.test(line));
    assert.match(
      lines[key] ?? "",
      new RegExp(
        `^✗ credentials .*proxy_api_key\\.json": it is ${KEY_SIZE} bytes, over the ` +
          "64 KiB \\(65536-byte\\) limit$",
      ),
    );
    assert.match(lines[key + 1] ?? "", /hint: it is not a key file thoth wrote/);
    assert.match(lines[key + 1] ?? "", /thoth set-api-key --api-key -/);
    assert.doesNotMatch(lines[key + 1] ?? "", /permissions/);
  },
});

Deno.test({
  name: "thoth doctor says the size, the limit and what to do for an intent map past 1 MiB",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { dir, env } = await profile();
    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out + doctor.err);
    const lines = doctor.out.split("\n");
    const map = lines.findIndex((line) => /^. intent_map /.test(line));
    assert.match(
      lines[map] ?? "",
      new RegExp(
        `^✗ intent_map +intent map ".*intent_map\\.json" is ${MAP_SIZE} bytes, over ` +
          "the 1 MiB \\(1048576-byte\\) limit; thoth run refuses",
      ),
    );
    assert.match(lines[map + 1] ?? "", /hint: .*move it aside \(mv .*intent_map\.json/);
  },
});

Deno.test({
  name: "thoth health --json reports a key file past 64 KiB with its size and what to do",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { dir, env } = await profile();
    const run = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.equal(run.code, 0, run.err + run.out);
    const report = HealthReportSchema.parse(JSON.parse(run.out));
    assert.match(
      report.credentials.problem ?? "",
      new RegExp(
        `it is ${KEY_SIZE} bytes, over the 64 KiB \\(65536-byte\\) limit: .*` +
          "thoth set-api-key --api-key -",
      ),
    );
  },
});

Deno.test({
  name: "thoth health --json reports the servers an intent map past 1 MiB refuses, and why",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const { dir, env } = await profile();
    const run = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.equal(run.code, 0, run.err + run.out);
    const report = HealthReportSchema.parse(JSON.parse(run.out));
    const claude = report.clients?.find((c) =>
      c.config_path.endsWith("claude_desktop_config.json")
    );
    assert.ok(claude !== undefined, run.out);
    assert.deepEqual(claude.refused.map((r) => r.name), ["fault"], run.out);
    const reasons = claude.refused[0]?.reasons.join("\n") ?? "";
    assert.match(reasons, new RegExp(`is ${MAP_SIZE} bytes, over the 1 MiB \\(1048576-byte\\)`));
    assert.match(reasons, /move it aside/);
  },
});

Deno.test("thoth run refuses a server with no --intent when the intent map is past 1 MiB", async () => {
  const dir = await tempFolder("thoth-oversized-run-");
  const home = `${dir}/home`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/intent_map.json`, MAP_TEXT);
  const log = `${dir}/server.log`;
  const peer = new RawPeer(
    thothArgv(["run", "--agent-id", "fault", "--", ...faultArgv(["--log", log])]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const reply = await peer.next();
    assert.equal(reply["id"], 1);
    assert.match((reply["error"] as { message: string }).message, /^thoth cannot govern this/);
    assert.equal((await peer.finish()).code, 1);
    assert.match(peer.stderr, new RegExp(`is ${MAP_SIZE} bytes, over the 1 MiB`));
    assert.match(peer.stderr, /hint: .*move it aside/);
    await assert.rejects(Deno.stat(log), Deno.errors.NotFound, "no server ran");
  } finally {
    await peer.finish();
  }
});
