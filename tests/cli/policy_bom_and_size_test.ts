/**
 * Every reader of a policy reads the same text: one saved with a UTF-8
 * byte-order mark (Windows editors, PowerShell 5) is governed by `thoth run`
 * and judged valid by `status` alike, and its hash in the audit records is
 * over the file as it is, as `health` shows it; a policy larger than any
 * policy can be is refused by `status` as by `thoth run`, without reading
 * it whole.
 */
import assert from "node:assert/strict";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { readPolicy } from "../../src/policy/read_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { sha256 } from "../../src/audit/sha256.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

const BOM = "\uFEFF";

/** One server wrapped with the default policy's intent, for `status`. */
const CONFIG = JSON.stringify({
  mcpServers: {
    everything: {
      command: THOTH,
      args: [
        "run",
        "--agent-id",
        "everything",
        "--intent",
        "calendar_management",
        "--",
        "npx",
        "x",
      ],
    },
  },
});

Deno.test("a policy with a byte-order mark reads the same as without, in every reader", async () => {
  const plain = await readPolicy(DEFAULT_POLICY_JSONC, "p.jsonc");
  assert.deepEqual(await readPolicy(BOM + DEFAULT_POLICY_JSONC, "p.jsonc"), plain);
  assert.deepEqual(parsePolicy(BOM + DEFAULT_POLICY_JSONC, "p.jsonc"), plain);
});

Deno.test("thoth run governs with a BOM policy, hashing the file as it is; status agrees", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    const bytes = new TextEncoder().encode(BOM + DEFAULT_POLICY_JSONC);
    await Deno.writeFile(`${home}/policy.jsonc`, bytes);
    const prepared = await prepareSession(fakeCliIo(home, { PATH: "" }), {
      server: "fs",
      mode: "block",
    });
    assert.equal(prepared.enforcer.kind, "local");
    if (prepared.enforcer.kind !== "local") return;
    assert.equal(prepared.enforcer.policyHash, toHex(sha256(bytes)));
    await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
    const status = await thoth(["status", "--check", "--config", `${dir}/c.json`], { cwd: dir });
    assert.equal(status.code, 0, status.out + status.err);
  });
});

Deno.test("status refuses a policy over the limit as thoth run does, without reading it whole", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    const file = await Deno.open(`${home}/policy.jsonc`, { write: true, create: true });
    await file.truncate(600 * 1024 * 1024);
    file.close();
    await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
    const status = await thoth(["status", "--check", "--config", `${dir}/c.json`], { cwd: dir });
    assert.equal(status.code, 1, status.out);
    assert.match(status.out + status.err, /is 629145600 bytes, over the 12 MiB/);
  });
});
