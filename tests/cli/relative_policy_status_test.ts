/**
 * A relative `--policy` is read by `thoth run` in the folder the client
 * starts it in, which no check can see (a desktop client's is not the
 * shell's): `thoth status` says it is not checked, with or without an
 * intent, and counts the server as refused, so `--check` fails; `thoth
 * doctor` and `thoth health` follow status's reading. The same entry with an
 * absolute `--policy` passes all three.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";
import { thoth } from "./_config_cli.ts";

/** A Claude Desktop config with one governed server run with `--policy policy`, under `dir`. */
async function desktopConfig(dir: string, thothPath: string, policy: string): Promise<string> {
  const configDir = `${dir}/.config/Claude`;
  await Deno.mkdir(configDir, { recursive: true });
  const path = `${configDir}/claude_desktop_config.json`;
  const flags = ["--agent-id", "git", "--enforcement-mode", "block", "--policy", policy];
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      mcpServers: { git: { command: thothPath, args: ["run", ...flags, "--", "/bin/x"] } },
    }),
  );
  // The policy is there, beside the config and in the folder status runs in: still unknown.
  await Deno.writeTextFile(`${dir}/policy.jsonc`, '{"version": 1, "default": "allow"}');
  await Deno.writeTextFile(`${configDir}/policy.jsonc`, '{"version": 1, "default": "allow"}');
  return path;
}

Deno.test("thoth status --check fails on a relative --policy, and says it is not checked", () =>
  withTempDir(async (dir) => {
    const path = await desktopConfig(dir, "/opt/thoth/bin/thoth", `${dir}/policy.jsonc`);
    const good = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(good.code, 0, good.err);
    assert.equal(JSON.parse(good.out).servers[0].note, null);

    await desktopConfig(dir, "/opt/thoth/bin/thoth", "policy.jsonc");
    const bad = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(bad.code, 1, bad.out);
    const report = JSON.parse(bad.out);
    const row = report.servers[0];
    assert.equal(row.state, "governed");
    assert.equal(report.summary.refused, 1);
    assert.deepEqual(row.refusals, [
      'thoth run will refuse to start: --policy "policy.jsonc" is a relative path: thoth run ' +
      "reads it in the folder the client starts it in, which no check can see (a desktop " +
      "client's is not your shell's), so it may find no policy there, or another one; give " +
      "--policy an absolute path",
    ]);
    assert.equal(
      row.note,
      'policy not checked: --policy "policy.jsonc" is relative to the folder the client starts ' +
        "thoth in",
    );
    assert.match(bad.err, /^thoth: error: 1 governed server\(s\) that will not start: git$/m);
    const table = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /policy not checked: --policy "policy\.jsonc" is relative/);
    // wrap-config keeps it with a warning, as it does what only the client's side can settle.
    const wrap = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.err);
    assert.match(
      wrap.err,
      /^thoth: warning: git: --policy "policy\.jsonc" is a relative path: .*; give --policy an absolute path \("thoth status --check" fails on it\)$/m,
    );
    assert.doesNotMatch(wrap.err, /policy not checked/);
  }));

for (const relative of [false, true]) {
  Deno.test(`thoth doctor and health ${relative ? "fail" : "pass"} a server with ${relative ? "a relative" : "an absolute"} --policy`, () =>
    withTempDir(async (dir) => {
      // A real file: a thoth path that is not there is another reason not to start.
      const thothPath = `${dir}/thoth`;
      await Deno.writeTextFile(thothPath, "#!/bin/sh\n", { mode: 0o755 });
      await desktopConfig(dir, thothPath, relative ? "policy.jsonc" : `${dir}/policy.jsonc`);
      const plugins = (io: CliIo): Partial<DoctorPlugins> => ({
        validatePolicy: thothDoctorPlugins(io).validatePolicy!,
        discoverClients: thothDoctorPlugins({ ...io, selfCommand: [thothPath] }).discoverClients!,
      });
      const context = (cliIo: CliIo, p: Partial<DoctorPlugins>) =>
        testContext(cliIo.thothHome, {
          env: { ...cliIo.env },
          plugins: p,
          host: { isExecutable: () => Promise.resolve(true) },
        });

      const doctorIo = fakeIo(`${dir}/.thoth`, { HOME: dir });
      const doctor = new Command("thoth").addCommand(
        doctorCommand(doctorIo, { plugins: plugins(doctorIo), context }),
      );
      await runProgram("thoth", doctor, ["doctor"], doctorIo);
      const line = doctorIo.stdout.join("").split("\n").find((l) => l.includes("client_configs"));
      if (relative) {
        assert.match(
          line ?? "",
          /^✗ client_configs .*1 of 1 servers governed \(1 that will not start\); git: thoth run will refuse to start: --policy "policy\.jsonc" is a relative path/,
        );
      } else {
        assert.match(line ?? "", /^✓ client_configs /);
      }

      const healthIo = fakeIo(`${dir}/.thoth`, { HOME: dir });
      const health = new Command("thoth").addCommand(
        healthCommand(healthIo, { plugins: plugins(healthIo), context }),
      );
      await runProgram("thoth", health, ["health", "--json"], healthIo);
      const report = JSON.parse(healthIo.stdout.join(""));
      const refused = report.clients.flatMap((c: { refused: { name: string }[] }) => c.refused);
      assert.deepEqual(
        refused.map((r: { name: string }) => r.name),
        relative ? ["git"] : [],
        healthIo.stdout.join(""),
      );
      if (relative) assert.match(JSON.stringify(refused), /give --policy an absolute path/);
    }));
}
