/**
 * Review findings on `thoth doctor` and `thoth health`, against real client
 * configs under a temp HOME: a disabled stdio server that is not wrapped is
 * not governed (Claude Code ignores `disabled`); VS Code's settings.json and
 * the project folders ~/.claude.json lists are looked at, and both commands
 * say where they looked and where not; remote servers are counted; a server
 * that runs without thoth fails the check, named with its config, with one
 * wrap command per config.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { runProgram } from "../../src/cli/program.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

/** `thoth doctor|health …` with this build's discovery (no thoth check), HOME set to `dir`. */
async function run(dir: string, args: string[]) {
  const io = fakeIo(`${dir}/.thoth`, { HOME: dir });
  const own = thothDoctorPlugins(io);
  const plugins: Partial<DoctorPlugins> = {
    discoverClients: own.discoverClients!,
    discoverClientPlaces: own.discoverClientPlaces!,
  };
  const options = {
    plugins,
    context: (cliIo: CliIo, p: Partial<DoctorPlugins>) =>
      testContext(cliIo.thothHome, {
        env: { ...cliIo.env },
        host: { isExecutable: () => Promise.resolve(true) },
        plugins: p,
      }),
  };
  const make = args[0] === "health" ? healthCommand(io, options) : doctorCommand(io, options);
  const code = await runProgram("thoth", new Command("thoth").addCommand(make), args, io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, typeof value === "string" ? value : JSON.stringify(value));
}

function clientLine(stdout: string): string {
  return stdout.split("\n").find((line) => /^. client_configs /.test(line)) ?? "";
}

Deno.test("doctor and health count a disabled server that runs without thoth as not governed", () =>
  withTempDir(async (dir) => {
    await write(`${dir}/.claude.json`, {
      mcpServers: { sneaky: { command: "/usr/bin/env", args: ["x"], disabled: true } },
    });
    const doctor = await run(dir, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.stdout);
    assert.match(
      clientLine(doctor.stdout),
      /^✗ client_configs +1 client config, 0 of 1 servers governed; not governed: sneaky \[disabled\]; a server marked \[disabled\] still runs without thoth: Claude Code ignores "disabled"/,
    );
    const health = await run(dir, ["health", "--json"]);
    const report = HealthReportSchema.parse(JSON.parse(health.stdout));
    assert.deepEqual(
      report.clients?.map((c) => [c.client, c.governed, c.ungoverned, c.disabled]),
      [["claude-code", [], ["sneaky"], ["sneaky"]]],
    );
  }));

Deno.test("doctor and health read VS Code's settings.json and the project configs ~/.claude.json lists, and say where they looked", () =>
  withTempDir(async (dir) => {
    const project = `${dir}/work/app`;
    await write(`${dir}/.claude.json`, { projects: { [project]: { mcpServers: {} } } });
    await write(
      `${dir}/.config/Code/User/settings.json`,
      '{ // VS Code keeps comments\n "editor.fontSize": 12,\n' +
        ' "mcp": { "servers": { "vs": { "command": "/usr/bin/env" } } },\n}\n',
    );
    await write(`${project}/.mcp.json`, { mcpServers: { proj: { command: "/usr/bin/env" } } });
    const doctor = await run(dir, ["doctor"]);
    const line = clientLine(doctor.stdout);
    assert.match(
      line,
      /not governed: vs \(vscode\), proj \(claude-code "[^"]+\/work\/app\/\.mcp\.json"\)/,
    );
    // Where it looked: a line each under the check.
    assert.match(
      doctor.stdout,
      new RegExp(
        `\n +looked in:\n(?: +.*\n)* +vscode "${dir}/\\.config/Code/User/settings\\.json"\n`,
      ),
    );
    assert.match(
      doctor.stdout,
      /\n +3 project config places of the folders ~\/\.claude\.json lists, 1 found:\n +claude-code "[^"]+\/work\/app\/\.mcp\.json"\n/,
    );
    assert.match(
      doctor.stdout,
      /\n +not looked in:\n +project configs \(\.mcp\.json, \.cursor\/mcp\.json, \.vscode\/mcp\.json\) in folders ~\/\.claude\.json does not list/,
    );

    const health = await run(dir, ["health", "--json"]);
    const report = HealthReportSchema.parse(JSON.parse(health.stdout));
    assert.deepEqual(
      report.clients?.map((c) => [c.config_path, c.scope, c.ungoverned]),
      [
        [`${dir}/.config/Code/User/settings.json`, "user", ["vs"]],
        [`${dir}/.claude.json`, "user", []],
        [`${project}/.mcp.json`, "project", ["proj"]],
      ],
    );
    const places = report.client_places;
    assert.ok(places !== null);
    assert.deepEqual(
      places.checked.filter((p) => p.found).map((p) => p.path),
      [`${dir}/.config/Code/User/settings.json`, `${dir}/.claude.json`, `${project}/.mcp.json`],
    );
    assert.ok(places.checked.some((p) => p.path === `${project}/.vscode/mcp.json` && !p.found));
    assert.ok(places.not_checked.length > 0);
  }));

Deno.test("a settings.json without MCP servers is no client config", () =>
  withTempDir(async (dir) => {
    await write(`${dir}/.config/Code/User/settings.json`, '{ "editor.fontSize": 12 }');
    const doctor = await run(dir, ["doctor"]);
    assert.match(
      clientLine(doctor.stdout),
      /^! client_configs +no MCP client configs found$/,
    );
    assert.match(doctor.stdout, /\n +hint: install Claude Desktop .*\n +looked in:\n/);
  }));

Deno.test("doctor counts remote servers and health lists them apart", () =>
  withTempDir(async (dir) => {
    await write(`${dir}/.cursor/mcp.json`, {
      mcpServers: { linear: { url: "https://mcp.example.com/sse" }, broken: { args: ["x"] } },
    });
    const doctor = await run(dir, ["doctor"]);
    assert.equal(doctor.code, 0, doctor.stdout);
    assert.match(
      clientLine(doctor.stdout),
      /^! client_configs +1 client config, 0 of 0 servers governed; 1 remote server not governed \(thoth governs stdio servers only\): linear; not started by the client \(no command\): broken \(no "command" string\)/,
    );
    const health = await run(dir, ["health", "--json"]);
    const [cursor] = HealthReportSchema.parse(JSON.parse(health.stdout)).clients ?? [];
    assert.deepEqual(cursor?.remote, ["linear"]);
    assert.deepEqual(cursor?.not_applicable.map((s) => [s.name, s.kind]), [
      ["linear", "remote"],
      ["broken", "invalid"],
    ]);
  }));

Deno.test("doctor fails on servers that run without thoth, each named with its config and one wrap command per config", () =>
  withTempDir(async (dir) => {
    const desktop = `${dir}/.config/Claude/claude_desktop_config.json`;
    const code = `${dir}/.claude.json`;
    await write(desktop, { mcpServers: { gh: { command: "/usr/bin/env" } } });
    await write(code, { mcpServers: { gh: { command: "/usr/bin/env" } } });
    const doctor = await run(dir, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.stdout);
    assert.match(
      clientLine(doctor.stdout),
      /^✗ client_configs +2 client configs, 0 of 2 servers governed; not governed: gh \(claude-desktop\), gh \(claude-code\)$/,
    );
    const hint = doctor.stdout.split("\n").find((l) => l.includes("hint: wrap")) ?? "";
    assert.ok(
      hint.includes(`with: thoth wrap-config --client claude-desktop ${desktop}; `) &&
        hint.includes(`with: thoth wrap-config --client claude-code ${code}`),
      hint,
    );
  }));
