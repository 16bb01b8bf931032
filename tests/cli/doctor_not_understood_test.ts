/**
 * `thoth doctor` and `thoth health` name a thoth entry that `thoth status`
 * calls not understood apart from the servers that run without thoth, with
 * the reason `thoth status` gives, discovered from a real client config.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { runProgram } from "../../src/cli/program.ts";
import { thothMain } from "../../src/cli/thoth.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

// A real file named thoth: a thoth path that is not there would make every entry one that cannot start.
const THOTH_DIR = Deno.makeTempDirSync({ prefix: "thoth_bin_" });
const THOTH = `${THOTH_DIR}/thoth`;
Deno.writeTextFileSync(THOTH, "#!/bin/sh\n", { mode: 0o755 });
globalThis.addEventListener("unload", () => Deno.removeSync(THOTH_DIR, { recursive: true }));
const EXECUTABLES = [THOTH, "/bin/x", "/usr/bin/mcp-plain"];
const ODD_NOTE = 'thoth entry not understood: its arguments start with "serve", not "run"';

/** A Claude Desktop config under `dir` (as HOME) with one server of each kind. */
async function desktopConfig(dir: string): Promise<string> {
  const configDir = `${dir}/.config/Claude`;
  await Deno.mkdir(configDir, { recursive: true });
  const path = `${configDir}/claude_desktop_config.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      mcpServers: {
        plain: { command: "/usr/bin/mcp-plain" },
        governed: {
          command: THOTH,
          args: ["run", "--agent-id", "governed", "--enforcement-mode", "block", "--", "/bin/x"],
        },
        odd: { command: THOTH, args: ["serve", "--port", "8080"] },
        off: { command: THOTH, args: ["serve"], disabled: true },
        remote: { url: "https://example.com/mcp" },
      },
    }),
  );
  return path;
}

/** `thoth <command> …` with this build's client discovery, HOME set to `dir`. */
async function withDiscovery(
  dir: string,
  make: (io: CliIo, discover: ReturnType<typeof discovery>) => Command,
  args: string[],
) {
  const io = fakeIo(`${dir}/.thoth`, { HOME: dir });
  const program = new Command("thoth").addCommand(make(io, discovery(io)));
  const code = await runProgram("thoth", program, args, io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

function discovery(io: CliIo) {
  const discoverClients = thothDoctorPlugins({ ...io, selfCommand: [THOTH] }).discoverClients;
  assert.ok(discoverClients);
  return {
    plugins: { discoverClients },
    context: (cliIo: CliIo, plugins: Partial<DoctorPlugins>) =>
      testContext(cliIo.thothHome, {
        env: { ...cliIo.env },
        host: { isExecutable: (path) => Promise.resolve(EXECUTABLES.includes(path)) },
        plugins,
      }),
  };
}

Deno.test("thothDoctorPlugins() carries the note of a thoth entry not understood, as status gives it", async () => {
  await withTempDir(async (dir) => {
    await desktopConfig(dir);
    const io = fakeIo(`${dir}/.thoth`, { HOME: dir });
    const discover = thothDoctorPlugins({ ...io, selfCommand: [THOTH] }).discoverClients!;
    const reports = await discover({ env: { HOME: dir }, thothHome: io.thothHome, os: "linux" });
    const desktop = reports.find((r) => r.client === "claude-desktop");
    assert.ok(desktop, JSON.stringify(reports));
    assert.deepEqual(
      desktop.servers.map((s) => [s.name, s.governed, s.notUnderstood ?? null]),
      [
        ["plain", false, null],
        ["governed", true, null],
        ["odd", false, ODD_NOTE],
        // Disabled, but Claude Code ignores that: listed like the others.
        ["off", false, `disabled; ${ODD_NOTE}`],
      ],
    );
  });
});

Deno.test("thoth doctor lists a thoth entry not understood on its own, with the status note and a fix", async () => {
  await withTempDir(async (dir) => {
    const path = await desktopConfig(dir);
    const text = await withDiscovery(dir, (io, d) => doctorCommand(io, d), ["doctor"]);
    assert.equal(text.code, 1, text.stdout);
    assert.match(
      text.stdout,
      new RegExp(
        "^✗ client_configs +1 client config, 1 of 4 servers governed; not governed: plain; " +
          `odd: ${ODD_NOTE}; off: disabled; ${ODD_NOTE}; ` +
          "1 remote server not governed \\(thoth governs stdio servers only\\): remote\n" +
          ` +hint: wrap them \\(adding the options your other servers were wrapped with, ` +
          `such as --tenant-id\\) with: thoth wrap-config --client claude-desktop ${path}; ` +
          `fix the thoth entries not understood by hand in "${path}" to read ` +
          `"thoth run \\[flags\\] -- <command>" \\(wrap-config leaves them alone\\), ` +
          `then run: thoth status --config "${path}"; thoth does not check calls to a remote ` +
          "server; remove it from the client's config if its calls must be governed$",
        "m",
      ),
    );

    const json = await withDiscovery(dir, (io, d) => doctorCommand(io, d), ["doctor", "--json"]);
    const check = JSON.parse(json.stdout).checks.find((c: { id: string }) =>
      c.id === "client_configs"
    );
    assert.equal(check.status, "fail");
    assert.ok(check.message.includes(`; odd: ${ODD_NOTE}; `), check.message);

    // The same words as thoth status.
    const io = fakeIo(`${dir}/.thoth`, { HOME: dir });
    assert.equal(await thothMain(["status", "--json", "--config", path], io), 0);
    const odd = JSON.parse(io.stdout.join("")).servers.find((s: { name: string }) =>
      s.name === "odd"
    );
    assert.deepEqual([odd.state, odd.note], ["not_understood", ODD_NOTE]);
  });
});

Deno.test("thoth health --json lists a thoth entry not understood with its note, still as not governed", async () => {
  await withTempDir(async (dir) => {
    const path = await desktopConfig(dir);
    const json = await withDiscovery(dir, (io, d) => healthCommand(io, d), ["health", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = HealthReportSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(report.clients, [{
      client: "claude-desktop",
      config_path: path,
      scope: null,
      governed: ["governed"],
      ungoverned: ["plain", "odd", "off"],
      disabled: ["off"],
      remote: ["remote"],
      not_applicable: [{
        name: "remote",
        kind: "remote",
        note: "remote server: thoth governs stdio servers only",
      }],
      not_understood: [{ name: "odd", note: ODD_NOTE }, {
        name: "off",
        note: `disabled; ${ODD_NOTE}`,
      }],
      not_startable: [],
      refused: [],
      warnings: [],
      problem: null,
      hint: null,
    }]);

    const text = await withDiscovery(dir, (io, d) => healthCommand(io, d), ["health"]);
    assert.match(
      text.stdout,
      /^clients +claude-desktop: 1 governed, 3 not \(2 thoth entries not understood\), 1 remote \(not governed\), 1 disabled \(counted as if enabled\)$/m,
    );
  });
});
