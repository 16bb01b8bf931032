/**
 * An entry whose THOTH_WRAP record `thoth run` cannot read (a hand edit) is
 * one it will refuse to start: `thoth status` says so and `--check` fails,
 * and `thoth doctor` and `thoth health` follow status's reading. The same
 * entry with the record wrap-config wrote passes all three.
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

const GOOD = "v1;was.LOG=%22debug%22";
const BAD = "v1;was.LOG=%22debug%22;intent=%E0";

/** A Claude Desktop config with one governed server, its record as given, under `dir`. */
async function desktopConfig(dir: string, thothPath: string, record: string): Promise<string> {
  const configDir = `${dir}/.config/Claude`;
  await Deno.mkdir(configDir, { recursive: true });
  const path = `${configDir}/claude_desktop_config.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      mcpServers: {
        git: {
          command: thothPath,
          args: ["run", "--agent-id", "git", "--enforcement-mode", "block", "--", "/bin/x"],
          env: { THOTH_WRAP: record, LOG: "info" },
        },
      },
    }),
  );
  return path;
}

Deno.test("thoth status --check fails on a THOTH_WRAP record thoth run cannot read", () =>
  withTempDir(async (dir) => {
    const path = await desktopConfig(dir, "/opt/thoth/bin/thoth", GOOD);
    const good = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(good.code, 0, good.err);
    await desktopConfig(dir, "/opt/thoth/bin/thoth", BAD);
    const bad = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(bad.code, 1, bad.out);
    const report = JSON.parse(bad.out);
    const row = report.servers[0];
    assert.equal(row.state, "governed");
    assert.equal(report.summary.refused, 1);
    assert.equal(row.refusals.length, 1);
    assert.match(
      row.refusals[0],
      /^thoth run will refuse to start: THOTH_WRAP in the server's "env" cannot be read: "intent" is not URI-encoded; /,
    );
    assert.match(row.refusals[0], /fix THOTH_WRAP in the server's "env" by hand/);
    const table = await thoth(["status", "--config", path], { cwd: dir });
    assert.match(table.out, /thoth run will refuse to start: THOTH_WRAP/);
  }));

for (const record of [GOOD, BAD]) {
  const bad = record === BAD;
  Deno.test(`thoth doctor and health ${bad ? "fail" : "pass"} a server whose record ${bad ? "cannot" : "can"} be read`, () =>
    withTempDir(async (dir) => {
      // A real file: a thoth path that is not there is another reason not to start.
      const thothPath = `${dir}/thoth`;
      await Deno.writeTextFile(thothPath, "#!/bin/sh\n", { mode: 0o755 });
      await desktopConfig(dir, thothPath, record);
      const plugins = (io: CliIo): Partial<DoctorPlugins> => ({
        validatePolicy: thothDoctorPlugins(io).validatePolicy!,
        discoverClients: thothDoctorPlugins({ ...io, selfCommand: [thothPath] }).discoverClients!,
      });
      const context = (cliIo: CliIo, p: Partial<DoctorPlugins>) =>
        testContext(cliIo.thothHome, {
          env: { ...cliIo.env },
          plugins: p,
          // thoth and the server's command are there: only the record may stop it.
          host: { isExecutable: () => Promise.resolve(true) },
        });

      const doctorIo = fakeIo(`${dir}/.thoth`, { HOME: dir });
      const doctor = new Command("thoth").addCommand(
        doctorCommand(doctorIo, { plugins: plugins(doctorIo), context }),
      );
      await runProgram("thoth", doctor, ["doctor"], doctorIo);
      const line = doctorIo.stdout.join("").split("\n").find((l) => l.includes("client_configs"));
      if (bad) {
        assert.match(
          line ?? "",
          /^✗ client_configs .*1 of 1 servers governed \(1 that will not start\)/,
        );
        assert.match(line ?? "", /git: thoth run will refuse to start: THOTH_WRAP in the server's/);
      } else {
        assert.match(line ?? "", /^✓ client_configs /);
      }

      const healthIo = fakeIo(`${dir}/.thoth`, { HOME: dir });
      const health = new Command("thoth").addCommand(
        healthCommand(healthIo, { plugins: plugins(healthIo), context }),
      );
      await runProgram("thoth", health, ["health", "--json"], healthIo);
      const report = JSON.parse(healthIo.stdout.join(""));
      assert.deepEqual(report.clients.map((c: { governed: string[] }) => c.governed), [["git"]]);
      const refused = report.clients.flatMap((c: { refused: { name: string }[] }) => c.refused);
      assert.deepEqual(
        refused.map((r: { name: string }) => r.name),
        bad ? ["git"] : [],
        healthIo.stdout.join(""),
      );
      if (bad) {
        assert.match(
          JSON.stringify(refused),
          /THOTH_WRAP in the server's \\"env\\" cannot be read/,
        );
      }
    }));
}
