/**
 * Review findings on status, doctor and health: key-like intents, flags, tenants and agent ids are shown by
 * fingerprint; the tenant in effect is reported with its source; a blank
 * --tenant-id is one refusal; status gives a reader's hints.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { checkIntentMap } from "../../src/doctor/check_intent_map.ts";
import { testContext } from "../doctor/_helpers.ts";
import { LocalEnforcer } from "../../src/enforcer/local_enforcer.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";

const KEY = "sk_live_51HxQabcdefghijklmnop";

function config(args: string[], env?: Record<string, string>): string {
  return JSON.stringify({
    mcpServers: {
      notes: {
        command: THOTH,
        args: ["run", "--enforcement-mode", "block", ...args, "--", "/usr/bin/mcp-clock"],
        ...(env === undefined ? {} : { env }),
      },
    },
  });
}

async function status(dir: string, text: string) {
  await Deno.writeTextFile(`${dir}/c.json`, text);
  const run = await thoth(["status", "--json", "--config", `${dir}/c.json`], { cwd: dir });
  return { run, row: run.code === 0 ? JSON.parse(run.out).servers[0] : undefined };
}

Deno.test("checkIntentMap() and LocalEnforcer show a key-like intent by fingerprint only", () =>
  inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/intent_map.json`, JSON.stringify({ notes: KEY }));
    await Deno.writeTextFile(`${dir}/policy.jsonc`, "{}");
    const check = await checkIntentMap(testContext(dir, {
      plugins: { validatePolicy: () => ({ ok: true, message: "ok", intents: ["a"] }) },
    }));
    assert.equal(check.status, "fail");
    assert.ok(!JSON.stringify(check).includes("sk_live"), check.message);
    assert.match(check.message, /"notes" → \(value hidden: it looks like a key or token/);
    const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "p.jsonc"));
    assert.throws(
      () => new LocalEnforcer({ policy, mode: "block", userId: "u", intent: KEY }),
      (error: Error) => !error.message.includes("sk_live") && /value hidden/.test(error.message),
    );
  }));

Deno.test("thoth status and wrap-config show a key-like flag, agent id or tenant by fingerprint", async () => {
  await inTempDir(async (dir) => {
    const flag = "--ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const { run, row } = await status(dir, config([flag, "--agent-id", KEY, "--tenant-id", KEY]));
    assert.equal(run.code, 0, run.err);
    assert.ok(!run.out.includes("ghp_") && !run.out.includes("sk_live"), run.out);
    assert.match(row.agentId, /^\(value hidden/);
    const table = await thoth(["status", "--config", `${dir}/c.json`], { cwd: dir });
    assert.ok(!table.out.includes("ghp_") && !table.out.includes("sk_live"), table.out);
    const wrap = await thoth([
      "wrap-config",
      "--thoth-path",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      `${dir}/c.json`,
    ], { cwd: dir });
    assert.equal(wrap.code, 2, wrap.err);
    assert.ok(!wrap.err.includes("ghp_"), wrap.err);
  });
});

Deno.test("thoth status reports the tenant of the entry's env, and a blank --tenant-id once", async () => {
  await inTempDir(async (dir) => {
    const env = { THOTH_TENANT_ID: "acme", THOTH_USER_ID: "ana@acme.com" };
    const fromEnv = await status(dir, config(["--agent-id", "notes"], env));
    assert.equal(fromEnv.row.tenantId, "acme");
    assert.equal(fromEnv.row.tenantIdSource, "env");
    const blank = await status(dir, config(["--agent-id", "notes", "--tenant-id", ""]));
    assert.equal(blank.row.refusals.length, 1, blank.row.refusals.join("\n"));
    assert.doesNotMatch(blank.row.refusals.join("\n"), /for tenant ""/);
  });
});

Deno.test("thoth status gives a reader's hints for a config it cannot read", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.json`, "{ broken");
    const run = await thoth(["status", "--json", "--config", `${dir}/c.json`], { cwd: dir });
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.out + run.err, /nothing was written/);
    assert.match(run.out + run.err, /check it again with: thoth status --config/);
    if (Deno.build.os === "windows") return;
    await Deno.remove(`${dir}/c.json`);
    const mk = new Deno.Command("mkfifo", { args: [`${dir}/c.json`] });
    if (!(await mk.output()).success) return;
    const fifo = await thoth(["status", "--json", "--config", `${dir}/c.json`], { cwd: dir });
    assert.equal(fifo.code, 1);
    const hints = JSON.stringify(JSON.parse(fifo.out || fifo.err).error?.hints ?? []);
    assert.match(fifo.out + fifo.err, /put the client's config back/, hints);
  });
});
