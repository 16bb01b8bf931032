/**
 * `thoth status` and `wrap-config` know the agent and tenant ids `thoth run`
 * refuses as keys (its key detectors flag them): status reports each as a
 * refusal, value by fingerprint, and `--check` fails; wrap-config never
 * writes a key-shaped agent id (a server named by a key gets the stand-in
 * `server`, numbered when taken, and a rewrap replaces a key-shaped id).
 */
import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

// Flagged by thoth run's detectors, though not all by the flag readers' own check.
const GITHUB_PLAIN = "ghp_abcdefghijklmnopqrstuvwxyzabcdefghij";
const SLACK = "xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx";
const STRIPE_LIKE = "sk_live_SECRETSECRET0123456789";

async function setup(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await tempFolder("thoth-key-agent-ids-");
  // The profile a client's thoth run finds in HOME: status --check judges the servers by it.
  return { dir, env: { THOTH_HOME: `${dir}/.thoth`, HOME: dir } };
}

/** `thoth status` of the Claude Desktop config `file`, run in `dir` with `flag`. */
function statusOf(
  file: string,
  flag: "--check" | "--json",
  dir: string,
  env: Record<string, string>,
) {
  return runThoth(["status", "--config", file, "--client", "claude-desktop", flag], {
    env,
    cwd: dir,
  });
}

/** `thoth wrap-config` of the Claude Desktop config `file`, run in `dir`. */
function wrapConfig(file: string, dir: string, env: Record<string, string>) {
  return runThoth(["wrap-config", file, "--client", "claude-desktop"], { env, cwd: dir });
}

/** The thoth command wrap-config writes, taken from a config it wrapped. */
async function thothCommand(dir: string, env: Record<string, string>): Promise<string[]> {
  const file = `${dir}/probe.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({ mcpServers: { p: { command: "node", args: ["p.js"] } } }),
  );
  const wrap = await wrapConfig(file, dir, env);
  assert.equal(wrap.code, 0, wrap.err);
  const entry = JSON.parse(await Deno.readTextFile(file)).mcpServers.p;
  const args: string[] = entry.args;
  return [entry.command, ...args.slice(0, args.lastIndexOf("run", args.indexOf("--agent-id")))];
}

Deno.test("status --check fails on agent and tenant ids thoth run refuses as keys", async () => {
  const { dir, env } = await setup();
  const thoth = await thothCommand(dir, env);
  const [command, ...pre] = thoth;
  const entry = (run: string[]) => ({
    command,
    args: [...pre, "run", "--enforcement-mode", "block", ...run],
  });
  const cases: Record<string, [unknown, string]> = {
    flag: [entry(["--agent-id", GITHUB_PLAIN, "--", "node", "a.js"]), GITHUB_PLAIN],
    derived: [entry(["--", "npx", "-y", SLACK]), SLACK],
    tenant: [entry(["--agent-id", "t", "--tenant-id", SLACK, "--", "node", "t.js"]), SLACK],
  };
  for (const [name, [server, key]] of Object.entries(cases)) {
    const file = `${dir}/${name}.json`;
    await Deno.writeTextFile(file, JSON.stringify({ mcpServers: { [name]: server } }));
    const status = await statusOf(file, "--check", dir, env);
    assert.equal(status.code, 1, `${name}:\n${status.out}${status.err}`);
    assert.match(
      status.out,
      /thoth run will refuse to start: [^]*looks like a key or token/,
      `${name}:\n${status.out}`,
    );
    assert.ok(status.out.includes(secretFingerprint(key)), `${name}:\n${status.out}`);
    assert.ok(!status.out.includes(key) && !status.err.includes(key), `${name} shown in clear`);
    const json = await statusOf(file, "--json", dir, env);
    assert.equal(JSON.parse(json.out).servers[0].refusals.length > 0, true, `${name}: ${json.out}`);
  }
});

Deno.test("wrap-config gives a server named by a key the stand-in id, and replaces a key-shaped id", async () => {
  const { dir, env } = await setup();
  const file = `${dir}/claude.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      mcpServers: {
        [STRIPE_LIKE]: { command: "node", args: ["x.js"] },
        server: { command: "node", args: ["z.js"] },
        gh: { command: "node", args: ["g.js"] },
      },
    }),
  );
  const wrap = await wrapConfig(file, dir, env);
  assert.equal(wrap.code, 0, wrap.err);
  const servers = JSON.parse(await Deno.readTextFile(file)).mcpServers;
  const idOf = (name: string) => {
    const args: string[] = servers[name].args;
    return args[args.indexOf("--agent-id") + 1];
  };
  assert.equal(idOf(STRIPE_LIKE), "server-2");
  assert.equal(idOf("server"), "server");
  assert.ok(!JSON.stringify(servers[STRIPE_LIKE].args).includes(STRIPE_LIKE));
  assert.ok(wrap.out.includes(secretFingerprint(STRIPE_LIKE)), wrap.out);
  // A key-shaped id written by hand is replaced on the next wrap, never kept.
  const text = (await Deno.readTextFile(file)).replace(
    '"--agent-id", "gh"',
    `"--agent-id", "${GITHUB_PLAIN}"`,
  );
  await Deno.writeTextFile(file, text);
  const again = await wrapConfig(file, dir, env);
  assert.equal(again.code, 0, again.err);
  const after = await Deno.readTextFile(file);
  assert.ok(!after.includes(GITHUB_PLAIN), after);
  assert.equal(JSON.parse(after).mcpServers.gh.args.includes("gh"), true);
  const status = await statusOf(file, "--check", dir, env);
  assert.equal(status.code, 0, status.out + status.err);
});
