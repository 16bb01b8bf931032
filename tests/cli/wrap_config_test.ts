import assert from "node:assert/strict";
import { fixture, inTempDir, THOTH, thoth } from "./_config_cli.ts";

const GOLDEN_FLAGS = [
  "--tenant-id",
  "acme",
  "--env",
  "THOTH_USER_ID=ana@example.com",
  "--intent-map",
  "intents.json",
];
const INTENTS = '{"gdrive": "calendar_management", "github": "code_review"}';

async function setup(dir: string, name = "claude-desktop"): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, fixture(`${name}.input.json`));
  await Deno.writeTextFile(`${dir}/intents.json`, INTENTS);
  return path;
}

Deno.test("thoth wrap-config wraps a config in place and backs up the original", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const run = await thoth(
      ["wrap-config", ...GOLDEN_FLAGS, "config.json"],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    assert.equal(await Deno.readTextFile(path), fixture("claude-desktop.expected.json"));
    assert.equal(
      await Deno.readTextFile(`${path}.thoth-backup`),
      fixture("claude-desktop.input.json"),
    );
    assert.match(run.out, /^ {2}wrapped {2}gdrive {10}now runs through thoth/m);
    assert.match(run.out, /^ {2}skipped {2}linear .*remote server/m);
    assert.match(run.out, /Backup of the original: .*config\.json\.thoth-backup/);
  });
});

Deno.test("thoth wrap-config run twice writes nothing the second time", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir, "cursor");
    // The fixture maps "github" to code_review, which the default policy does not define:
    // written, it will not start, so wrap-config exits 1 (each time: the file still holds it).
    const notStarting = (where: string) =>
      new RegExp(
        `^thoth: error: 1 server\\(s\\) ${where} .* will not start, because thoth run refuses ` +
          'them \\(as each line above says\\): "github"$',
        "m",
      );
    const once = await thoth(["wrap-config", ...GOLDEN_FLAGS, path], { cwd: dir });
    assert.equal(once.code, 1, once.err);
    assert.match(once.err, notStarting("written to"));
    const first = await Deno.stat(path);
    const again = await thoth(["wrap-config", ...GOLDEN_FLAGS, path], { cwd: dir });
    assert.equal(again.code, 1, again.err);
    // Nothing was written the second time, and neither output says it was.
    assert.match(again.err, notStarting("in"));
    assert.match(
      again.out,
      /^No changes written: .* needed none, but 1 server\(s\) in it will not start \(named on stderr with what to fix\)\.$/m,
    );
    assert.equal((await Deno.stat(path)).mtime?.getTime(), first.mtime?.getTime());
    assert.equal(await Deno.readTextFile(path), fixture("cursor.expected.json"));
  });
});

Deno.test("thoth wrap-config --dry-run prints a unified diff and writes nothing", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const run = await thoth(["wrap-config", ...GOLDEN_FLAGS, "--dry-run", path], { cwd: dir });
    assert.equal(run.code, 0);
    assert.match(run.out, new RegExp(`--- ${path}\\n\\+\\+\\+ ${path}\\n@@ `));
    assert.match(run.out, /^- {6}"command": "npx",$/m);
    assert.match(run.out, new RegExp(`^\\+      "command": "${THOTH}",$`, "m"));
    assert.match(run.out, /Dry run: nothing was written/);
    assert.equal(await Deno.readTextFile(path), fixture("claude-desktop.input.json"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "config.json",
      "intents.json",
    ]);
  });
});

Deno.test("thoth wrap-config never writes --api-key and says where credentials go", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const key = "aten_thoth_agent_prod_secret_value";
    const run = await thoth(["wrap-config", "--api-key", key, path], { cwd: dir });
    assert.equal(run.code, 0);
    assert.ok(!(await Deno.readTextFile(path)).includes(key));
    assert.ok(!run.out.includes(key) && !run.err.includes(key));
    assert.match(
      run.err,
      /^thoth: note: the key given to --api-key was not saved anywhere: it is not written into the config \(credentials stay under .*\.thoth/m,
    );
    // The hint reads the key from standard input ("-"), keeping it out of shell history.
    assert.match(
      run.err,
      /^thoth: hint: save it with "thoth set-api-key --api-key -" \(it goes to "[^"]*proxy_api_key\.json"\), which reads it from standard input$/m,
    );
    assert.doesNotMatch(run.err, /<key>/);
  });
});

Deno.test("thoth wrap-config takes the tenant from THOTH_TENANT_ID and warns without one", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    await thoth(["wrap-config", path], { cwd: dir, env: { THOTH_TENANT_ID: "from-env" } });
    assert.match(await Deno.readTextFile(path), /"--tenant-id", "from-env"/);
    const other = await setup(dir, "vscode");
    const run = await thoth(["wrap-config", other], { cwd: dir });
    assert.match(run.err, /no tenant id written/);
  });
});

Deno.test("thoth wrap-config rejects a bad --env key with a usage error", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const run = await thoth(["wrap-config", "--env", "1BAD=x", path], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.err, /^thoth: error: --env key "1BAD" is not a variable name$/m);
    assert.equal(await Deno.readTextFile(path), fixture("claude-desktop.input.json"));
  });
});

Deno.test("thoth wrap-config rejects an unknown enforcement mode", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--enforcement-mode", "strict", await setup(dir)], {
      cwd: dir,
    });
    assert.equal(run.code, 2);
    assert.match(run.err, /observe, progressive, step_up, block/);
  });
});

Deno.test("thoth wrap-config reports malformed JSON as file:line:column and writes nothing", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/bad.json`;
    await Deno.writeTextFile(
      path,
      '{\n  "mcpServers": {\n    "a": {"command": "x",}\n    "b": {}\n  }\n}\n',
    );
    const run = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.err,
      new RegExp(`^thoth: error: invalid JSON in config ${path}:4:5: expected ","$`, "m"),
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["bad.json"]);
  });
});

Deno.test("thoth wrap-config refuses when the config changes at every try while it works", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    // The client saves its servers again each time, a line longer: each try finds it changed.
    const original = await Deno.readTextFile(path);
    let saves = 0;
    const saved = () => `${original}${"\n".repeat(saves)}`;
    const run = await thoth(["wrap-config", path], {
      cwd: dir,
      deps: {
        beforeCommit: async () => {
          saves++;
          await Deno.writeTextFile(path, saved());
        },
      },
    });
    assert.equal(run.code, 1);
    assert.match(run.err, /changed on disk while thoth was working; nothing was written/);
    assert.match(run.err, /^thoth: hint: thoth tried \d+ times/m);
    assert.equal(await Deno.readTextFile(path), saved());
  });
});

Deno.test("thoth wrap-config reports an unwritable --output", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const run = await thoth(["wrap-config", "--output", "no/such/dir/out.json", path], {
      cwd: dir,
    });
    assert.equal(run.code, 1);
    assert.match(
      run.err,
      /^thoth: error: cannot write ".*no\/such\/dir\/out\.json": the directory does not exist$/m,
    );
    assert.match(run.err, /^thoth: hint: /m);
  });
});

Deno.test("thoth wrap-config --output leaves the input alone", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir);
    const run = await thoth(
      ["wrap-config", ...GOLDEN_FLAGS, "--output", "governed.json", path],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    assert.equal(
      await Deno.readTextFile(`${dir}/governed.json`),
      fixture("claude-desktop.expected.json"),
    );
    assert.equal(await Deno.readTextFile(path), fixture("claude-desktop.input.json"));
  });
});

Deno.test("thoth wrap-config finds the client's default config under HOME", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/home/.cursor`, { recursive: true });
    const path = `${dir}/home/.cursor/mcp.json`;
    await Deno.writeTextFile(path, fixture("cursor.input.json"));
    await Deno.writeTextFile(`${dir}/intents.json`, INTENTS);
    const run = await thoth(["wrap-config", "--client", "cursor", ...GOLDEN_FLAGS], { cwd: dir });
    // Written, but "github"'s intent code_review is not in the default policy: exit 1.
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /^thoth: error: "github" will not start: intent "code_review"/m);
    assert.equal(await Deno.readTextFile(path), fixture("cursor.expected.json"));
    const missing = await thoth(["wrap-config", "--client", "windsurf"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /\.codeium\/windsurf\/mcp_config\.json": no such file/);
  });
});

Deno.test("thoth wrap-config warns when npx is not on the GUI client's PATH", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--dry-run", await setup(dir)], { cwd: dir });
    assert.match(run.err, /^thoth: warning: gdrive: "npx" is not on the minimal PATH/m);
  });
});

Deno.test("thoth unwrap-config gives back the original file byte for byte", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir, "windsurf");
    assert.equal((await thoth(["wrap-config", ...GOLDEN_FLAGS, path], { cwd: dir })).code, 0);
    assert.equal(await Deno.readTextFile(path), fixture("windsurf.expected.json"));
    const run = await thoth(["unwrap-config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^ {2}unwrapped {2}brave-search/m);
    assert.equal(await Deno.readTextFile(path), fixture("windsurf.input.json"));
    const again = await thoth(["unwrap-config", path], { cwd: dir });
    assert.match(again.out, /No changes: .* has no wrapped servers/);
  });
});

Deno.test("thoth unwrap-config --dry-run shows the diff and writes nothing", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, fixture("cursor.input.json"));
    const run = await thoth(["unwrap-config", "--dry-run", path], { cwd: dir });
    assert.match(run.out, /^-\t\t\t"command": "thoth",$/m);
    assert.equal(await Deno.readTextFile(path), fixture("cursor.input.json"));
  });
});

Deno.test("thoth wrap-config --help teaches with examples", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--help"], { cwd: dir });
    assert.equal(run.code, 0);
    for (
      const text of [
        "--tenant-id",
        "--intent-map",
        "--dry-run",
        "Examples:",
        "thoth set-api-key",
        "unwrap-config",
      ]
    ) {
      assert.ok(run.out.includes(text), text);
    }
    const unwrap = await thoth(["unwrap-config", "--help"], { cwd: dir });
    assert.match(unwrap.out, /Examples:\n {2}thoth unwrap-config --dry-run/);
  });
});

Deno.test("thoth wrap-config warns when a mapped intent is not in the policy that server's thoth run reads", async () => {
  await inTempDir(async (dir) => {
    await setup(dir);
    await Deno.writeTextFile(
      `${dir}/chat.json`,
      '{"gdrive": "calendar_management", "slack": "team_chat"}',
    );
    const wrap = () =>
      thoth(["wrap-config", "--intent-map", "chat.json", "--dry-run", "config.json"], { cwd: dir });
    // No policy file: thoth run would use the default one, which defines calendar_management.
    const first = await wrap();
    // A server that would not start fails the dry run too, as a server left without thoth does.
    assert.equal(first.code, 1, first.err);
    assert.match(
      first.err,
      /^thoth: error: 1 server\(s\) that would be written to .*config\.json will not start, .*: "slack"$/m,
    );
    assert.match(
      first.err,
      /^thoth: error: "slack" will not start: intent "team_chat" is not in the policy \(the default policy, which defines: calendar_management, phi_eligibility_check\); map the server to a defined intent/m,
    );
    // Said once: the error line, not a warning before it too.
    assert.doesNotMatch(first.err, /slack: thoth run will refuse/);
    assert.doesNotMatch(first.err, /gdrive: thoth run will refuse/);

    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    await Deno.writeTextFile(
      `${home}/policy.jsonc`,
      JSON.stringify({
        version: 1,
        default: "allow",
        intents: { calendar_management: { tools: ["list_events"] }, team_chat: { tools: [] } },
      }),
    );
    assert.doesNotMatch((await wrap()).err, /intent "team_chat"/);

    await Deno.writeTextFile(`${home}/policy.jsonc`, "{ not a policy");
    const broken = await wrap();
    // A broken policy does not stop the wrap (the diff is printed), but the server would not
    // start: exit 1.
    assert.match(broken.out, /Dry run: nothing was written/);
    assert.equal(broken.code, 1, broken.err);
    // Said once, after the names of all the servers it refuses.
    assert.match(
      broken.err,
      /^thoth: error: "gdrive", "slack", "notes-café", "clock", "old-experiment" will not start: .*policy\.jsonc.*; fix the policy file/m,
    );
    assert.equal(broken.err.split("fix the policy file").length - 1, 1, broken.err);
    assert.doesNotMatch(broken.err, /slack: thoth run will refuse/);

    // A server whose env names its own THOTH_HOME is judged by that profile's policy.
    await Deno.mkdir(`${dir}/own`);
    await Deno.writeTextFile(
      `${dir}/own/policy.jsonc`,
      JSON.stringify({
        version: 1,
        default: "allow",
        intents: { team_chat: { tools: ["post_message"] } },
      }),
    );
    await Deno.writeTextFile(
      `${dir}/own.json`,
      JSON.stringify({
        mcpServers: { slack: { command: "/usr/bin/env", env: { THOTH_HOME: `${dir}/own` } } },
      }),
    );
    const own = await thoth(
      ["wrap-config", "--intent-map", "chat.json", "--dry-run", "own.json"],
      { cwd: dir },
    );
    assert.equal(own.code, 0, own.err);
    assert.doesNotMatch(own.err, /will refuse/, `its own policy defines team_chat: ${own.err}`);
  });
});

/** A Claude Desktop config with two plain stdio servers, as the reviewer's base.json. */
const BASE = JSON.stringify(
  {
    mcpServers: {
      fs: { command: "/usr/bin/mcp-clock", args: ["/data"] },
      clock: { command: "/usr/bin/mcp-clock" },
    },
  },
  null,
  2,
);

Deno.test("thoth wrap-config refuses a --tenant-id thoth run would refuse, and writes nothing", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    const run = await thoth(
      ["wrap-config", "--tenant-id", "Bad_Tenant", "--output", "g2.json", "base.json"],
      { cwd: dir },
    );
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, /^thoth: error: --tenant-id: "Bad_Tenant" is not a DNS label$/m);
    assert.match(run.err, /^thoth: hint: use lowercase letters, digits and dashes/m);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["base.json"]);

    // The same value taken from THOTH_TENANT_ID says where it came from.
    const fromEnv = await thoth(["wrap-config", "--output", "g2.json", "base.json"], {
      cwd: dir,
      env: { THOTH_TENANT_ID: "Bad_Tenant" },
    });
    assert.equal(fromEnv.code, 2, fromEnv.err);
    assert.match(
      fromEnv.err,
      /^thoth: error: --tenant-id: "Bad_Tenant" is not a DNS label \(taken from THOTH_TENANT_ID, the default for --tenant-id\)$/m,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["base.json"]);
  });
});

Deno.test("thoth wrap-config refuses the reference's wrap in a shell without THOTH_USER_ID and THOTH_APEX_DOMAIN", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    // --env THOTH_USER_ID="$THOTH_USER_ID" --env THOTH_APEX_DOMAIN="${THOTH_APEX_DOMAIN:-<apex-domain>}"
    const reference = await thoth([
      "wrap-config",
      "--tenant-id",
      "acme",
      "--enforcement-mode",
      "block",
      "--env",
      "THOTH_USER_ID=",
      "--env",
      "THOTH_APEX_DOMAIN=<apex-domain>",
      "--output",
      "g2.json",
      "base.json",
    ], { cwd: dir });
    assert.equal(reference.code, 2, reference.err);
    assert.match(
      reference.err,
      /^thoth: error: --env THOTH_APEX_DOMAIN "<apex-domain>" is not valid: it must be a lowercase domain name/m,
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["base.json"]);

    // With a real apex domain, the empty THOTH_USER_ID is what thoth run refuses.
    const blankUser = await thoth([
      "wrap-config",
      "--tenant-id",
      "acme",
      "--env",
      "THOTH_USER_ID=",
      "--env",
      "THOTH_APEX_DOMAIN=example.com",
      "--output",
      "g2.json",
      "base.json",
    ], { cwd: dir });
    assert.equal(blankUser.code, 2, blankUser.err);
    assert.match(
      blankUser.err,
      /^thoth: error: thoth run would refuse to start "fs" \(and "clock"\) as wrapped: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it/m,
    );
    assert.match(blankUser.err, /^thoth: hint: "--env THOTH_USER_ID=" has an empty value/m);
    assert.match(blankUser.err, /^thoth: hint: nothing was written$/m);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["base.json"]);

    const good = await thoth([
      "wrap-config",
      "--tenant-id",
      "acme",
      "--env",
      "THOTH_USER_ID=ana@example.com",
      "--env",
      "THOTH_APEX_DOMAIN=example.com",
      "--output",
      "g2.json",
      "base.json",
    ], { cwd: dir });
    assert.equal(good.code, 0, good.err);
    const status = await thoth(["status", "--check", "--config", "g2.json"], { cwd: dir });
    assert.equal(status.code, 0, status.out + status.err);
  });
});

Deno.test("thoth wrap-config refuses to blank THOTH_USER_ID of a server that keeps its tenant", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir, "cursor");
    // "memory" is already wrapped with --tenant-id acme; no tenant is selected now.
    const run = await thoth(["wrap-config", "--env", "THOTH_USER_ID=", path], { cwd: dir });
    assert.equal(run.code, 2, run.err);
    assert.match(
      run.err,
      /would refuse to start "memory" \(and "jira"\) as wrapped: THOTH_USER_ID is not set/,
    );
    assert.equal(await Deno.readTextFile(path), fixture("cursor.input.json"));
  });
});

Deno.test("thoth wrap-config gives a server whose name thoth run refuses as --agent-id a valid id", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--dry-run", await setup(dir)], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^ {2}wrapped {2}notes-café {6}agent id "notes-cafe" \(thoth run takes no "notes-café"\); now runs through thoth/m,
    );
    assert.match(run.out, /"--agent-id", "notes-cafe"/);
    assert.doesNotMatch(run.err, /not a valid agent id/);
  });
});

Deno.test("thoth wrap-config counts a tenant given with --env THOTH_TENANT_ID as written", async () => {
  await inTempDir(async (dir) => {
    const path = await setup(dir, "vscode");
    const run = await thoth(
      ["wrap-config", "--env", "THOTH_TENANT_ID=acme", "--env", "THOTH_USER_ID=a@b.co", path],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /no tenant id written/);
    assert.match(await Deno.readTextFile(path), /"THOTH_TENANT_ID": "acme"/);

    // A server whose own env names the tenant has one too.
    await Deno.writeTextFile(
      `${dir}/own.json`,
      JSON.stringify({
        mcpServers: {
          a: { command: "/usr/bin/mcp-clock", env: { THOTH_TENANT_ID: "acme" } },
        },
      }),
    );
    const own = await thoth(["wrap-config", "--dry-run", "own.json"], { cwd: dir });
    // Its tenant has no user in its env: only the client's own environment could supply one,
    // so a warning, not exit 1 (changed back from 8815ea2).
    assert.equal(own.code, 0, own.err);
    assert.match(own.err, /^thoth: warning: no THOTH_USER_ID written for tenant "acme"/m);
    assert.doesNotMatch(own.err, /will not start/);
    assert.doesNotMatch(own.err, /no tenant id written/);

    // An empty one is no tenant.
    await Deno.writeTextFile(`${dir}/base.json`, BASE);
    const none = await thoth(
      ["wrap-config", "--dry-run", "--env", "THOTH_TENANT_ID=", "base.json"],
      { cwd: dir },
    );
    assert.equal(none.code, 0, none.err);
    assert.match(none.err, /^thoth: warning: no tenant id written/m);
  });
});

Deno.test("thoth wrap-config --help lists where each client keeps its config here", async () => {
  await inTempDir(async (dir) => {
    const run = await thoth(["wrap-config", "--help"], { cwd: dir });
    assert.equal(run.code, 0);
    assert.match(run.out, /^Where each client keeps its config on this machine/m);
    assert.ok(
      run.out.includes(`  claude-desktop  ${dir}/home/.config/Claude/claude_desktop_config.json\n`),
      run.out,
    );
    assert.ok(run.out.includes(`  cursor          ${dir}/home/.cursor/mcp.json\n`), run.out);
  });
});
