/**
 * Ordinary ids that share letters with a key's issuer prefix, through the
 * real `thoth`: `thoth run` starts the server with `THOTH_FLEET_ID` set to
 * `AsiaPacificFleet2024`, with such an `--agent-id` and with such a derived
 * id; `wrap-config` keeps `pg-asia-east` as the agent id, on a first wrap and
 * a re-wrap, without saying thoth run refuses it; `thoth status` shows it,
 * and a dashless UUID tenant, in clear. A config entry named by a real key is
 * shown by fingerprint only on every line wrap-config and status print.
 */
import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { pathExists } from "../../src/platform/path_exists.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const INITIALIZE = initializeLine();
const GITHUB = "ghp_R8x2Kq7LmN4pZ9tW3vY6bC1dF5hJ0sA2eG7k";
const UUID_TENANT = "123e4567e89b12d3a456426614174000";

async function setup(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await tempFolder("thoth-ordinary-ids-");
  return { dir, env: { THOTH_HOME: `${dir}/thoth`, HOME: dir } };
}

/** A server script that leaves `marker` behind the moment it starts. */
async function markerScript(path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, "Deno.writeTextFileSync(Deno.args[0], 'started');\n");
}

Deno.test("thoth run starts the server with ordinary ids that share letters with a key prefix", async () => {
  const cases: {
    name: string;
    args: (script: string, marker: string) => string[];
    env?: Record<string, string>;
  }[] = [
    {
      name: "THOTH_FLEET_ID",
      args: (
        script,
        marker,
      ) => ["--agent-id", "fleet", "--", Deno.execPath(), "run", "-A", script, marker],
      env: { THOTH_FLEET_ID: "AsiaPacificFleet2024" },
    },
    {
      name: "THOTH_FLEET_ID with a hex part",
      args: (
        script,
        marker,
      ) => ["--agent-id", "fleet", "--", Deno.execPath(), "run", "-A", script, marker],
      env: { THOTH_FLEET_ID: "asia-fleet-7f3a9c2e1b4d5f6a" },
    },
    {
      name: "--agent-id",
      args: (script, marker) => [
        "--agent-id",
        "hf_InferenceEndpoint1",
        "--",
        Deno.execPath(),
        "run",
        "-A",
        script,
        marker,
      ],
    },
    {
      // The agent id is derived from the script's package folder: AsiaPacificSales2.
      name: "derived",
      args: (script, marker) => ["--", Deno.execPath(), "run", "-A", script, marker],
    },
  ];
  for (const { name, args, env } of cases) {
    const { dir, env: base } = await setup();
    const script = `${dir}/AsiaPacificSales2/build/index.js`;
    await markerScript(script);
    const marker = `${dir}/started`;
    const result = await runThoth(["run", ...args(script, marker)], {
      env: { ...base, ...env },
      cwd: dir,
      stdin: INITIALIZE,
    });
    assert.ok(
      !/looks like a key|key_as_id|not a key or token/.test(result.err),
      `${name}:\n${result.err}`,
    );
    assert.ok(!/refused to start|cannot govern/.test(result.out), `${name}:\n${result.out}`);
    assert.equal(
      await pathExists(marker),
      true,
      `${name}: the server did not start:\n${result.err}`,
    );
  }
});

/** `thoth wrap-config` of the Claude Desktop config `file`, run in `dir`. */
function wrapConfig(file: string, dir: string, env: Record<string, string>, more: string[] = []) {
  return runThoth(["wrap-config", file, "--client", "claude-desktop", ...more], {
    env,
    cwd: dir,
  });
}

/** `thoth status` of the Claude Desktop config `file`. */
function statusOf(file: string, dir: string, env: Record<string, string>, flags: string[]) {
  return runThoth(["status", "--config", file, "--client", "claude-desktop", ...flags], {
    env,
    cwd: dir,
  });
}

/** The `--agent-id` each server of a wrapped Claude Desktop config has. */
async function agentIds(file: string): Promise<Record<string, string>> {
  const servers = JSON.parse(await Deno.readTextFile(file)).mcpServers as Record<
    string,
    { args: string[] }
  >;
  return Object.fromEntries(
    Object.entries(servers).map((
      [name, { args }],
    ) => [name, args[args.indexOf("--agent-id") + 1]!]),
  );
}

Deno.test("wrap-config keeps pg-asia-east and other ordinary names, on a wrap and a re-wrap; status shows them", async () => {
  const { dir, env } = await setup();
  const file = `${dir}/claude.json`;
  const names = [
    "pg-asia-east",
    "sk-telecom",
    "hf_hub",
    "AzureDevOpsServer2",
    "notion-2f1e6b0d7c334b1a",
  ];
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      mcpServers: Object.fromEntries(
        names.map((name) => [name, { command: "node", args: [`${name}.js`] }]),
      ),
    }),
  );
  const more = ["--tenant-id", UUID_TENANT, "--env", "THOTH_USER_ID=ana@example.com"];
  const wrap = await wrapConfig(file, dir, env, more);
  assert.equal(wrap.code, 0, wrap.err);
  assert.deepEqual(await agentIds(file), Object.fromEntries(names.map((name) => [name, name])));
  assert.ok(!/thoth run (refuses|takes no)/.test(wrap.out + wrap.err), wrap.out + wrap.err);
  const again = await wrapConfig(file, dir, env, more);
  assert.equal(again.code, 0, again.err);
  assert.deepEqual(await agentIds(file), Object.fromEntries(names.map((name) => [name, name])));
  assert.ok(
    !/thoth run refuses it|value hidden/.test(again.out + again.err),
    again.out + again.err,
  );
  const json = await statusOf(file, dir, env, ["--json"]);
  const rows = JSON.parse(json.out).servers as {
    name: string;
    agentId: string;
    tenantId: string;
  }[];
  for (const row of rows) {
    assert.equal(row.agentId, row.name, json.out);
    assert.equal(row.tenantId, UUID_TENANT, json.out);
  }
  const table = await statusOf(file, dir, env, []);
  assert.ok(!table.out.includes("value hidden"), table.out);
  assert.ok(table.out.includes("pg-asia-east"), table.out);
});

Deno.test("a wrapped --agent-id pg-asia-east is kept on a re-wrap", async () => {
  const { dir, env } = await setup();
  const file = `${dir}/claude.json`;
  // Wrapped once by hand-free means, then the id is as the config says.
  await Deno.writeTextFile(
    file,
    JSON.stringify({ mcpServers: { "Sales DB": { command: "node", args: ["s.js"] } } }),
  );
  const first = await wrapConfig(file, dir, env);
  assert.equal(first.code, 0, first.err);
  const text = (await Deno.readTextFile(file)).replace('"Sales-DB"', '"pg-asia-east"');
  assert.ok(text.includes('"pg-asia-east"'), text);
  await Deno.writeTextFile(file, text);
  const again = await wrapConfig(file, dir, env);
  assert.equal(again.code, 0, again.err);
  assert.equal((await agentIds(file))["Sales DB"], "pg-asia-east");
  assert.ok(!/thoth run refuses it/.test(again.out + again.err), again.out + again.err);
});

Deno.test("a config entry named by a key is shown by fingerprint on every wrap-config and status line", async () => {
  const { dir, env } = await setup();
  const file = `${dir}/claude.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({ mcpServers: { [GITHUB]: { command: "node", args: ["g.js"] } } }),
  );
  // A tenant without THOTH_USER_ID: the warning names the servers thoth run will refuse.
  const wrap = await wrapConfig(file, dir, env, ["--tenant-id", "acme"]);
  const wrapText = wrap.out + wrap.err;
  assert.ok(!wrapText.includes(GITHUB.slice(4, 16)), wrapText);
  assert.ok(wrapText.includes(secretFingerprint(GITHUB)), wrapText);
  assert.match(wrapText, /THOTH_USER_ID/);
  assert.equal((await agentIds(file))[GITHUB], "server");
  for (const flags of [[], ["--check"], ["--json"]]) {
    const status = await statusOf(file, dir, env, flags);
    const text = status.out + status.err;
    assert.ok(!text.includes(GITHUB.slice(4, 16)), `${flags.join(" ")}:\n${text}`);
    assert.ok(text.includes(secretFingerprint(GITHUB)), `${flags.join(" ")}:\n${text}`);
  }
});
