/**
 * `thoth doctor` with HOME unset: the client_configs check says that no
 * config was looked for because HOME is not set, and that setting it is the
 * fix, not "install Claude Desktop". The environment is injected: the real
 * home folder is never read.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { runProgram } from "../../src/cli/program.ts";
import { checkClientConfigs } from "../../src/doctor/check_client_configs.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

Deno.test("thoth doctor without HOME says HOME is not set and how to set it", () =>
  withTempDir(async (dir) => {
    // No HOME in the environment doctor is given.
    const io = fakeIo(`${dir}/.thoth`, { PATH: Deno.env.get("PATH") ?? "" });
    const own = thothDoctorPlugins(io, 1000);
    const plugins: Partial<DoctorPlugins> = {
      discoverClients: own.discoverClients!,
      discoverClientPlaces: own.discoverClientPlaces!,
    };
    const program = new Command("thoth").addCommand(doctorCommand(io, {
      plugins,
      context: (cliIo, p) => testContext(cliIo.thothHome, { env: { ...cliIo.env }, plugins: p }),
    }));
    const code = await runProgram("thoth", program, ["doctor", "--json"], io);
    const { checks } = JSON.parse(io.stdout.join("")) as {
      checks: { id: string; status: string; message: string; hint: string | null }[];
    };
    const check = checks.find((c) => c.id === "client_configs")!;
    assert.equal(check.status, "warn");
    assert.match(check.message, /^no MCP client config looked for: HOME is not set/);
    assert.match(check.hint ?? "", /^set HOME to your home folder \(export HOME=/);
    assert.doesNotMatch(check.hint ?? "", /install Claude Desktop/);
    assert.equal(code, 0);
  }));

Deno.test("checkClientConfigs() names USERPROFILE on Windows, and keeps its hint with a home", () => {
  const windows = checkClientConfigs([], { places: [], notChecked: [] }, "USERPROFILE");
  assert.match(windows.message, /USERPROFILE is not set/);
  assert.match(windows.hint ?? "", /^set USERPROFILE to your home folder/);
  const withHome = checkClientConfigs([], { places: [], notChecked: [] }, null);
  assert.match(withHome.hint ?? "", /install Claude Desktop/);
});
