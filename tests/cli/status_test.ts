import assert from "node:assert/strict";
import { fixture, inTempDir, THOTH, thoth } from "./_config_cli.ts";

async function config(dir: string, file: string): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, fixture(file));
  return path;
}

/** Writes the profile's policy (the one thoth run reads) with these intents. */
async function policyWithIntents(dir: string, intents: string[]): Promise<string> {
  const home = `${dir}/home/.thoth`;
  await Deno.mkdir(home, { recursive: true });
  const path = `${home}/policy.jsonc`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      version: 1,
      default: "allow",
      intents: Object.fromEntries(intents.map((name) => [name, { tools: ["list_events"] }])),
    }),
  );
  return path;
}

Deno.test("thoth status prints the table with ✓ for governed servers", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "claude-desktop.expected.json");
    const run = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const lines = run.out.split("\n");
    assert.equal(lines[0], path);
    assert.match(
      lines[2]!,
      /^Server {12}Governed {4}Agent ID {10}Session Intent {9}Enforcement {4}Notes$/,
    );
    assert.match(run.out, /^gdrive {12}✓ {11}gdrive {12}calendar_management {4}block$/m);
    // wrap-config gave the golden's server "notes-café" an agent id thoth run takes.
    assert.match(run.out, /^notes-café {8}✓ {11}notes-cafe /m);
    assert.match(run.out, /^5 governed, 0 ungoverned stdio, 0 drifted$/m);
    // Written by hand, its name as agent id is refused by thoth run, and status says so.
    await Deno.writeTextFile(
      path,
      (await Deno.readTextFile(path)).replace('"notes-cafe"', '"notes-café"'),
    );
    const byHand = await thoth(["status", "--config", path], { cwd: dir });
    assert.match(
      byHand.out,
      /^notes-café .* {10}thoth run will refuse to start: --agent-id: "notes-café" is not a valid agent id; fix it by hand \(use letters, digits, dot, dash or underscore, starting with a letter or digit\)$/m,
    );
    assert.match(
      byHand.out,
      /^5 governed, 0 ungoverned stdio, 1 drifted \(1 that will not start\)$/m,
    );
  });
});

Deno.test("thoth status shows drift when the thoth path is not there", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "cursor.expected.json");
    const run = await thoth(["status", "--config", path], {
      cwd: dir,
      deps: { isFile: () => false },
    });
    assert.match(
      run.out,
      new RegExp(
        `^memory .*observe +the client cannot start it: thoth path "${THOTH}" is not a file ` +
          'on this machine; install thoth there, or run "thoth wrap-config .*" to write ' +
          "this thoth's path$",
        "m",
      ),
    );
    assert.match(run.out, /4 drifted \(4 that will not start\)/);
  });
});

Deno.test("thoth status --check exits 1 when a stdio server is ungoverned", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "cursor.input.json");
    const run = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.err,
      /^thoth: error: 2 stdio server\(s\) run without thoth: filesystem, github$/m,
    );
    assert.match(run.err, /^thoth: hint: run "thoth wrap-config [^"]*config\.json"/m);
    await config(dir, "cursor.expected.json");
    await policyWithIntents(dir, ["calendar_management", "code_review"]);
    const governed = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(governed.code, 0);
    assert.equal(governed.err, "");
  });
});

Deno.test("thoth status --check ignores remote servers, and counts wrapped disabled ones", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "windsurf.expected.json");
    const run = await thoth(["status", "--check", "--json", "--config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    const scratch = JSON.parse(run.out).servers.find((s: { name: string }) => s.name === "scratch");
    assert.deepEqual([scratch.disabled, scratch.state], [true, "governed"]);
  });
});

Deno.test("thoth status --json prints a stable shape for scripts", async () => {
  await inTempDir(async (dir) => {
    const path = await config(dir, "claude-code-user.expected.json");
    const run = await thoth(["status", "--json", "--config", path], { cwd: dir });
    assert.equal(run.code, 0);
    const doc = JSON.parse(run.out);
    assert.deepEqual(Object.keys(doc), [
      "schemaVersion",
      "config",
      "configs",
      "userConfigMissing",
      "servers",
      "summary",
      "projectConfigs",
      "notLookedIn",
      "profile",
    ]);
    // A file given with --config is read alone: no project configs are looked at.
    assert.equal(doc.projectConfigs, null);
    assert.equal(doc.userConfigMissing, null);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.config, path);
    assert.deepEqual(doc.configs, [path]);
    assert.deepEqual(doc.summary, {
      servers: 3,
      governed: 2,
      ungoverned: 0,
      notUnderstood: 0,
      notApplicable: 1,
      drifted: 0,
      refused: 0,
      cannotStart: 0,
      notStartable: 0,
    });
    assert.deepEqual(doc.servers[2], {
      name: "postgres",
      project: "/home/ana/app",
      transport: "stdio",
      disabled: false,
      governed: true,
      state: "governed",
      agentId: "postgres",
      tenantId: "acme",
      tenantIdSource: "--tenant-id",
      intent: null,
      intentSource: null,
      enforcementMode: "block",
      command: THOTH,
      upstreamCommand: "/usr/bin/postgres-mcp",
      drift: [],
      refusals: [],
      cannotStart: [],
      warnings: [],
      note: null,
      enforcementModeUsed: "block",
      enforcementModeSource: "--enforcement-mode",
      decisions: "local",
      config: path,
      scope: "user",
      notStartable: [],
    });
    assert.equal(doc.servers[1].transport, "remote");
  });
});

Deno.test("thoth status tells a thoth entry it does not understand apart, in the table, --json and --check", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/config.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        mcpServers: {
          ok: {
            command: THOTH,
            args: ["run", "--agent-id", "ok", "--enforcement-mode", "block", "--", "/bin/ok"],
          },
          odd: { command: THOTH, args: ["run", "--agent-id", "odd", "--", ""] },
        },
      }),
    );
    const table = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(table.code, 0, table.err);
    assert.match(
      table.out,
      /^odd {7}\? {11}— {11}— {17}— {14}thoth entry not understood: the upstream command after "--" is empty$/m,
    );
    assert.match(table.out, /^1 governed, 0 ungoverned stdio, 1 not understood, 0 drifted$/m);

    const json = JSON.parse(
      (await thoth(["status", "--json", "--config", path], { cwd: dir })).out,
    );
    assert.deepEqual(
      [json.servers[1].state, json.servers[1].governed, json.servers[1].note],
      [
        "not_understood",
        false,
        'thoth entry not understood: the upstream command after "--" is empty',
      ],
    );
    assert.equal(json.summary.notUnderstood, 1);
    assert.equal(json.summary.ungoverned, 0);

    const check = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(check.code, 1, "an entry thoth cannot read is not taken as governed");
    assert.equal(
      check.err,
      "thoth: error: 1 thoth entry(ies) not understood, so not known to be governed: odd\n" +
        `thoth: hint: run "thoth status --config ${path}" to see why, fix the entries by hand, ` +
        `then run "thoth wrap-config ${path}"\n`,
    );
  });
});

Deno.test("thoth status reads each client's default config", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.config/Code/User`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/home/.config/Code/User/mcp.json`,
      fixture("vscode.expected.json"),
    );
    const run = await thoth(["status", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^github .*✓ .*code_review/m);
    const missing = await thoth(["status"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Claude\/claude_desktop_config\.json": no such file/);
  });
});

Deno.test("thoth status --help explains the columns and --check", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["status", "--help"], { cwd: dir });
    assert.match(run.out, /--check/);
    assert.match(run.out, /Governed ✓/);
    assert.match(run.out, /thoth status --check/);
  });
});

/** A config with one wrapped server per entry of `servers`: [name, flags before "--", env]. */
function wrapped(servers: [string, string[], Record<string, string>?][]): string {
  return JSON.stringify({
    mcpServers: Object.fromEntries(servers.map(([name, flags, env]) => [name, {
      command: THOTH,
      args: ["run", "--agent-id", name, ...flags, "--enforcement-mode", "block", "--", "/bin/x"],
      ...(env === undefined ? {} : { env }),
    }])),
  });
}

Deno.test("thoth status shows a flag or env value thoth run would refuse as drift, and --check fails", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/g2.json`,
      wrapped([
        ["bad-tenant", ["--tenant-id", "Bad_Tenant"], { THOTH_USER_ID: "ana@example.com" }],
        ["blank", ["--tenant-id", "acme"], {
          THOTH_USER_ID: "",
          THOTH_APEX_DOMAIN: "<apex-domain>",
        }],
        ["fine", ["--tenant-id", "acme"], { THOTH_USER_ID: "ana@example.com" }],
      ]),
    );
    const table = await thoth(["status", "--config", "g2.json"], { cwd: dir });
    assert.equal(table.code, 0, table.err);
    assert.match(
      table.out,
      /^bad-tenant .*thoth run will refuse to start: --tenant-id: "Bad_Tenant" is not a DNS label; wrap again with a valid --tenant-id \(use lowercase letters, digits and dashes, for example "your-org"\)$/m,
    );
    assert.match(
      table.out,
      /^blank .*thoth run will refuse to start: THOTH_APEX_DOMAIN "<apex-domain>" is not valid: it must be a lowercase domain name .*; set a valid value with "thoth wrap-config \S+\/g2\.json --env THOTH_APEX_DOMAIN=<value>", or remove it from the server's "env"; thoth run will refuse to start: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it \(its "env" sets THOTH_USER_ID to "", which counts as unset\); set it with "thoth wrap-config \S+\/g2\.json --env THOTH_USER_ID=you@company.com"$/m,
    );
    assert.match(table.out, /^fine .*block$/m);
    assert.match(
      table.out,
      /^3 governed, 0 ungoverned stdio, 2 drifted \(2 that will not start\)$/m,
    );

    const json = JSON.parse(
      (await thoth(["status", "--json", "--config", "g2.json"], { cwd: dir })).out,
    );
    assert.equal(json.summary.refused, 2);
    assert.deepEqual(json.servers.map((s: { refusals: string[] }) => s.refusals.length), [1, 2, 0]);

    const check = await thoth(["status", "--check", "--config", "g2.json"], { cwd: dir });
    assert.equal(check.code, 1);
    assert.equal(
      check.err,
      "thoth: error: 2 governed server(s) that will not start: bad-tenant, blank\n" +
        `thoth: hint: run "thoth status --config ${dir}/g2.json" to see what stops each ` +
        "(thoth run's refusals, a thoth path that is not there), and the fix\n",
    );
  });
});

Deno.test("thoth status checks flags as thoth run reads them: agent id, mode, repeats, unknown flags", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({
        mcpServers: {
          twice: {
            command: THOTH,
            args: [
              "run",
              "--intent",
              "a",
              "--intent",
              "b",
              "--enforcement-mode",
              "block",
              "--",
              "/bin/x",
            ],
          },
          mode: { command: THOTH, args: ["run", "--enforcement-mode", "strict", "--", "/bin/x"] },
          id: {
            command: THOTH,
            args: ["run", "--agent-id", "a b", "--enforcement-mode", "block", "--", "/bin/x"],
          },
          old: {
            command: THOTH,
            args: [
              "run",
              "--enforcement-mode",
              "block",
              "--fleet-id",
              "f",
              "--enforcer-url",
              "u",
              "--",
              "/bin/x",
            ],
          },
        },
      }),
    );
    const { servers } = JSON.parse(
      (await thoth(["status", "--json", "--config", "c.json"], { cwd: dir })).out,
    );
    const refusals = Object.fromEntries(
      servers.map((s: { name: string; refusals: string[] }) => [s.name, s.refusals]),
    );
    assert.match(
      refusals.twice[0],
      /^thoth run will refuse to start: --intent is given more than once; /,
    );
    assert.match(
      refusals.mode[0],
      /^thoth run will refuse to start: option '--enforcement-mode <mode>' argument 'strict' is invalid\. Allowed choices are observe, .*; wrap again with a valid --enforcement-mode/,
    );
    assert.match(
      refusals.id[0],
      /^thoth run will refuse to start: --agent-id: "a b" is not a valid agent id; /,
    );
    // --enforcer-url is an older flag thoth run still takes and ignores; --fleet-id it refuses.
    assert.deepEqual(refusals.old, [
      "thoth run will refuse to start: unknown option '--fleet-id' (an older flag set); " +
      `run "thoth wrap-config ${dir}/c.json" to write the current flag set`,
    ]);
    const old = servers.find((s: { name: string }) => s.name === "old");
    assert.ok(old.drift.includes("older flag set: --enforcer-url"), old.drift);
  });
});

Deno.test("thoth status reports an intent the policy thoth run reads does not define", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/c.json`,
      wrapped([["chat", ["--intent", "team_chat"]], ["cal", ["--intent", "calendar_management"]]]),
    );
    const status = (...args: string[]) =>
      thoth(["status", ...args, "--config", "c.json"], { cwd: dir });

    // No policy file in the profile: thoth run writes and uses the default policy.
    const table = await status();
    assert.match(
      table.out,
      /^chat .*thoth run will refuse to start: intent "team_chat" is not in the policy \(the default policy, which defines: calendar_management, phi_eligibility_check\); map the server to a defined intent \(wrap again with --intent-map\), or add "team_chat" under "intents" in the policy$/m,
    );
    assert.match(table.out, /^cal .*calendar_management {4}block$/m);
    const check = await status("--check");
    assert.equal(check.code, 1);
    assert.match(check.err, /will not start: chat$/m);

    // The profile's own policy defines it.
    const policy = await policyWithIntents(dir, ["calendar_management", "team_chat"]);
    assert.equal((await status("--check")).code, 0);

    // A policy thoth run cannot use refuses every server that reads it.
    await Deno.writeTextFile(policy, "{ not a policy");
    const broken = await status();
    assert.match(
      broken.out,
      /^chat .*block {10}thoth run will refuse to start: .*policy\.jsonc.*; fix the policy file/m,
    );
    assert.match(broken.out, /^cal .*thoth run will refuse to start: .*policy\.jsonc/m);
    assert.match(
      broken.out,
      /^2 governed, 0 ungoverned stdio, 2 drifted \(2 that will not start\)$/m,
    );
    assert.equal((await status("--check")).code, 1);

    // An entry's own THOTH_HOME and --policy are where its thoth run looks.
    await Deno.mkdir(`${dir}/other`);
    await Deno.writeTextFile(`${dir}/other/policy.jsonc`, '{"version": 1, "default": "allow"}');
    await Deno.writeTextFile(
      `${dir}/c.json`,
      wrapped([
        ["home", ["--intent", "team_chat"], { THOTH_HOME: `${dir}/other` }],
        ["explicit", ["--intent", "team_chat", "--policy", `${dir}/other/policy.jsonc`]],
        ["relative", ["--intent", "team_chat", "--policy", "policy.jsonc"]],
      ]),
    );
    const json = JSON.parse((await status("--json")).out);
    const [home, explicit, relative] = json.servers;
    assert.match(home.refusals[0], /\(the policy ".*\/other\/policy\.jsonc", which defines none\)/);
    assert.match(
      explicit.refusals[0],
      /\(the policy ".*\/other\/policy\.jsonc", which defines none\)/,
    );
    // A relative --policy is read in the client's folder, which status cannot see: refused.
    assert.equal(relative.refusals.length, 1);
    assert.match(
      relative.refusals[0],
      /^thoth run will refuse to start: --policy "policy\.jsonc" is a relative path: thoth run reads it in the folder the client starts it in/,
    );
    assert.equal(
      relative.note,
      'policy not checked: --policy "policy.jsonc" is relative to the folder the client starts ' +
        'thoth in; intent "team_chat" not checked: the policy is not known (a relative --policy)',
    );
  });
});

Deno.test("thoth status --help lists where each client keeps its config here, as the missing-config hint says", async () => {
  await inTempDir(async (dir) => {
    const missing = await thoth(["status", "--client", "cursor"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(
      missing.err,
      /^thoth: hint: run "thoth status --help" to see where each client keeps its config$/m,
    );
    const help = await thoth(["status", "--help"], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.out, /^Where each client keeps its config on this machine/m);
    for (
      const line of [
        `  claude-desktop  ${dir}/home/.config/Claude/claude_desktop_config.json`,
        `  cursor          ${dir}/home/.cursor/mcp.json`,
        `  vscode          ${dir}/home/.config/Code/User/mcp.json`,
        `  claude-code     ${dir}/home/.claude.json`,
        `  windsurf        ${dir}/home/.codeium/windsurf/mcp_config.json`,
      ]
    ) {
      assert.ok(help.out.includes(`${line}\n`), line);
    }
    const mac = await thoth(["status", "--help"], { cwd: dir, deps: { os: "darwin" } });
    assert.ok(
      mac.out.includes(
        `  claude-desktop  ${dir}/home/Library/Application Support/Claude/claude_desktop_config.json\n`,
      ),
      mac.out,
    );
  });
});
