/**
 * `thoth doctor`, `thoth health --json` and `thoth status --client` look at
 * every project folder `~/.claude.json` lists, not the first 100 only:
 * Claude Code adds a folder as it is first opened, so the last listed may be
 * the ones in use. Most listed folders are gone, as on a machine used for a
 * while; an unwrapped `.mcp.json` in the 150th folder fails doctor, is
 * ungoverned in health, and fails `status --check`. Real `thoth` processes,
 * a temp HOME.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

const UNIX = Deno.build.os !== "windows";

/** How many folders `~/.claude.json` lists; the last holds the unwrapped `.mcp.json`. */
const FOLDERS = 150;

/**
 * A temp HOME whose `~/.claude.json` lists {@linkcode FOLDERS} project
 * folders: every tenth is there (empty), the others are gone, and the last
 * holds a `.mcp.json` with a server that runs without thoth.
 */
async function manyFoldersHome() {
  const home = await tempFolder("thoth-many-folders-");
  const folders = Array.from({ length: FOLDERS }, (_, i) => `${home}/src/p${i + 1}`);
  for (const [i, folder] of folders.entries()) {
    if (i % 10 === 0) await Deno.mkdir(folder, { recursive: true });
  }
  const last = folders[FOLDERS - 1]!;
  await Deno.mkdir(last, { recursive: true });
  const mcpJson = `${last}/.mcp.json`;
  await Deno.writeTextFile(
    mcpJson,
    JSON.stringify({ mcpServers: { "late-fs": { command: "/usr/bin/env", args: ["x"] } } }),
  );
  await Deno.writeTextFile(
    `${home}/.claude.json`,
    JSON.stringify({
      mcpServers: {},
      projects: Object.fromEntries(folders.map((folder) => [folder, { history: [] }])),
    }),
  );
  const env = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, THOTH_HOME: `${home}/.thoth` };
  return { home, env, mcpJson };
}

/** The doctor line of `id`, and the hint under it. */
function doctorLine(out: string, id: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^[✓✗!] ${id} `).test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  return { line: lines[at]!, hint: /^ +hint: /.test(next) ? next.trim() : "" };
}

Deno.test({
  name: "doctor fails on an unwrapped .mcp.json in the 150th folder ~/.claude.json lists, " +
    "and says no folder went unlooked at",
  ignore: !UNIX,
  fn: async () => {
    const { home, env, mcpJson } = await manyFoldersHome();
    const doctor = await runThoth(["doctor"], { env, cwd: home });
    assert.equal(doctor.code, 1, doctor.out);
    const { line, hint } = doctorLine(doctor.out, "client_configs");
    assert.match(line, /^✗ client_configs +2 client configs, 0 of 1 servers governed; /);
    assert.match(line, /not governed: late-fs \(claude-code "[^"]+\/p150\/\.mcp\.json"\)/);
    // Where it looked is listed under the check, a line each.
    assert.match(doctor.out, new RegExp(`\n +${FOLDERS * 3} project config places of the folders`));
    assert.doesNotMatch(doctor.out, /more project folders|were looked at\)/);
    assert.ok(hint.endsWith(`with: thoth wrap-config --client claude-code ${mcpJson}`), hint);
  },
});

Deno.test({
  name: "health --json lists the server of the 150th folder as ungoverned, and every place " +
    "of every listed folder as checked",
  ignore: !UNIX,
  fn: async () => {
    const { home, env, mcpJson } = await manyFoldersHome();
    const health = await runThoth(["health", "--json"], { env, cwd: home });
    assert.equal(health.code, 0, health.err);
    const report = JSON.parse(health.out);
    const project = report.clients.filter((c: { scope: string }) => c.scope === "project");
    assert.deepEqual(
      project.map((c: { config_path: string; ungoverned: string[] }) => [
        c.config_path,
        c.ungoverned,
      ]),
      [[mcpJson, ["late-fs"]]],
    );
    const checked = report.client_places.checked.filter(
      (p: { scope: string }) => p.scope === "project",
    );
    // Three clients' files in each folder, found or not: the gone folders' too.
    assert.equal(checked.length, FOLDERS * 3);
    assert.deepEqual(
      checked.filter((p: { found: boolean }) => p.found).map((p: { path: string }) => p.path),
      [mcpJson],
    );
    assert.equal(
      report.client_places.not_checked.some((t: string) => /more project folders/.test(t)),
      false,
    );
  },
});

Deno.test({
  name: "status --client claude-code --check fails on the server of the 150th folder, and " +
    "--json lists every folder's place",
  ignore: !UNIX,
  fn: async () => {
    const { home, env, mcpJson } = await manyFoldersHome();
    const check = await runThoth(["status", "--client", "claude-code", "--check"], {
      env,
      cwd: home,
    });
    assert.equal(check.code, 1, check.out + check.err);
    assert.match(
      check.err,
      new RegExp(
        `^thoth: error: 1 stdio server\\(s\\) run without thoth: late-fs \\(in "${mcpJson}"\\)$`,
        "m",
      ),
    );
    const json = await runThoth(["status", "--client", "claude-code", "--json"], {
      env,
      cwd: home,
    });
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out);
    const places = doc.projectConfigs.places;
    assert.equal(places.length, FOLDERS);
    assert.deepEqual(places.at(-1), {
      client: "claude-code",
      folder: mcpJson.slice(0, -"/.mcp.json".length),
      path: mcpJson,
      state: "found",
      problem: null,
    });
    // The gone folders are said gone; the ones there hold no .mcp.json.
    const count = (state: string) =>
      places.filter((p: { state: string }) => p.state === state).length;
    assert.equal(count("folder_missing"), FOLDERS - 16);
    assert.equal(count("none"), 15);
    assert.equal(
      doc.projectConfigs.notChecked.some((t: string) => /more project folders/.test(t)),
      false,
    );
  },
});
