/**
 * An id is refused as a key only when it has a key's issuer prefix in the
 * issuer's own case (`ASIA`, `AKIA`, `AIza` as AWS and Google issue them;
 * `sk-`, `hf_`, `npm_` lowercase) with a random key body right after it, or
 * when a key detector flags it. One test, shared: what `thoth run` takes,
 * `wrap-config` keeps as the agent id and `thoth status` shows in clear;
 * what it refuses, `wrap-config` renames and `status` shows by fingerprint.
 */
import assert from "node:assert/strict";
import { checkAgentId, checkTenantId } from "../../src/cli/check_run_ids.ts";
import { parseRunArgs } from "../../src/cli/run_flags.ts";
import { AppError } from "../../src/errors.ts";
import { flaggedAsKey, shownUnlessKey } from "../../src/identity/id_flagged_as_key.ts";
import { prefixedRandomKey } from "../../src/identity/shown_env_value.ts";
import { readThothEnv } from "../../src/identity/quick_thoth_env.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { agentIdFor, AgentIds } from "../../src/config/agent_id_for.ts";
import { shownIdentifier } from "../../src/config/status_drift.ts";
import { formatPlanReport } from "../../src/config/format_plan_report.ts";
import { agentIdWouldBeKey, deriveAgentId } from "../../src/proxy/derive_agent_id.ts";

/** Agent ids and server names `thoth run` takes: words after a prefix, a prefix in another case. */
const ORDINARY_AGENT_IDS = [
  "AsiaPacificFleet2024",
  "asia-fleet-7f3a9c2e1b4d5f6a",
  "AsiaPacificSalesDB2",
  "asia-kb-3f2a1b9c8d7e6f5a",
  "sk_TelecomBillingV2",
  "hf_InferenceEndpoint1",
  "npm_RegistryMirror01",
  "sk-telecom",
  "pg-asia-east",
  "asia-northeast1-bq",
  "hf_hub",
  "npm_search",
  "AzureDevOpsServer2",
  "notion-2f1e6b0d7c334b1a",
  "backup20241105db",
  "ap-southeast-asia",
  "MyGithubServer2024",
  "pg-9f8e7d6c5b4a3f2e1d",
  "fc-barcelona",
  "secret-manager",
  "xai-tools",
  "pplx-search",
  "123e4567e89b12d3a456426614174000",
];

/** Tenant ids (DNS labels) `thoth run` takes. */
const ORDINARY_TENANTS = [
  "asia-3f2a1b9c8d7e6f5a",
  "asia-fleet-7f3a9c2e1b4d5f6a",
  "123e4567e89b12d3a456426614174000",
  "pg-asia-east",
  "sk-telecom",
];

/** Server commands whose derived agent id is an ordinary name, with that id. */
const ORDINARY_COMMANDS: [string[], string][] = [
  [
    ["npx", "-y", "github:acme/asia-tools#3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c"],
    "asia-tools-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c",
  ],
  [["python3", "/srv/mcp/AsiaPacificSales2/build/index.py"], "asiapacificsales2"],
  [
    ["node", "/opt/mcp/asia-kb-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c/dist/index.js"],
    "asia-kb-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c",
  ],
  [["python", "-m", "AsiaPacificSales2"], "asiapacificsales2"],
];

/** Keys every check refuses: the known formats, and the popular MCP services' own. */
const KEYS = [
  "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2",
  "sk_live_SECRETSECRET0123456789",
  "sk_test_51HxYzAbCdEfGh1234IjKlMnOpQrStUv",
  "AKIAZ4XQ7M2PLK5RTS3B",
  "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
  "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456",
  "xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  "sk-ant-api03-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
  "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
];

/** Keys of popular MCP services, which the flag reader's own check refuses (no detector needed). */
const SERVICE_KEYS = [
  "lin_api_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
  "figd_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7b",
  "ntn_123456789012aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456",
  "ya29.a0AfH6SMBxkLmNpQrStUvWxYz12AbCdEf",
  "pplx-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghij",
  "tvly-aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
  "fc-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c",
  "gsk_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnop",
  "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",
  "glsa_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345_3f2a1b9c",
  "dop_v1_3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b",
  "xai-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzABCDEF",
  "sntrys_eyJpYXQiOjE3MDAwMDAwMDAuMCwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8ifQ_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567",
];

Deno.test("thoth run takes ordinary agent ids, at flag time and before the session starts", async () => {
  for (const id of ORDINARY_AGENT_IDS) {
    assert.equal(checkAgentId(id), id);
    assert.equal(prefixedRandomKey(id), false, id);
    assert.equal(flaggedAsKey(id), false, id);
    const parsed = parseRunArgs(["--agent-id", id, "--", "node", "s.js"]);
    assert.equal(parsed?.options.refusal, undefined, id);
    assert.equal(parsed?.options.agentId, id);
    // THOTH_FLEET_ID is judged by the same test: every server would refuse to start.
    const { env } = await readThothEnv({ THOTH_FLEET_ID: id }, "linux");
    assert.equal(env.fleetId, id);
    assert.ok(validateThothEnv({ THOTH_FLEET_ID: id }, "linux").ok, id);
  }
});

Deno.test("thoth run takes ordinary tenant ids, from --tenant-id and THOTH_TENANT_ID", async () => {
  for (const id of ORDINARY_TENANTS) {
    assert.equal(checkTenantId(id), id);
    assert.equal(flaggedAsKey(id), false, id);
    const { env } = await readThothEnv({ THOTH_TENANT_ID: id, THOTH_USER_ID: "a@b.c" }, "linux");
    assert.equal(env.tenantId, id);
  }
});

Deno.test("thoth run takes the ids it derives from ordinary server commands", () => {
  for (const [command, id] of ORDINARY_COMMANDS) {
    const [program, ...args] = command as [string, ...string[]];
    assert.equal(deriveAgentId(program, args), id, command.join(" "));
    assert.equal(agentIdWouldBeKey(program, args), undefined, command.join(" "));
    assert.equal(flaggedAsKey(id), false, id);
    assert.equal(parseRunArgs(["--", ...command])?.options.refusal, undefined, command.join(" "));
  }
});

Deno.test("wrap-config keeps an ordinary server name as its agent id, status shows it in clear", () => {
  for (const name of ORDINARY_AGENT_IDS) {
    assert.equal(agentIdFor(name, undefined, flaggedAsKey), name);
    const ids = new AgentIds(flaggedAsKey);
    assert.equal(ids.for(name), name);
    assert.equal(ids.whyNotPlain(name, { upstream: [] }), undefined);
    assert.equal(shownIdentifier(name), name);
    assert.equal(shownUnlessKey(name), name);
    const report = formatPlanReport({
      text: "",
      changed: false,
      warnings: [],
      servers: [{ name, action: "wrapped", reasons: [], warnings: [] }],
    });
    assert.ok(report.includes(name), report);
  }
  for (const tenant of ORDINARY_TENANTS) assert.equal(shownIdentifier(tenant), tenant);
});

Deno.test("every check refuses real keys: run's flags and variables, wrap-config, status", async () => {
  for (const key of [...KEYS, ...SERVICE_KEYS]) {
    assert.equal(flaggedAsKey(key), true, key);
    // A Slack token's random part has no digit: the Slack detector refuses it when the
    // session is prepared (prepare_session.ts), not the flag reader.
    if (!key.startsWith("xoxb-")) {
      assert.throws(() => checkAgentId(key), (error: unknown) => {
        if (SERVICE_KEYS.includes(key)) {
          assert.ok(error instanceof AppError && error.code === "usage.key_as_id", key);
        }
        return error instanceof AppError;
      }, key);
    }
    await assert.rejects(() => readThothEnv({ THOTH_FLEET_ID: key }, "linux"), AppError, key);
    assert.equal(agentIdFor(key, undefined, flaggedAsKey), "server", key);
    assert.equal(new AgentIds(flaggedAsKey).for(key), "server", key);
    for (const shown of [shownIdentifier(key)!, shownUnlessKey(key)]) {
      assert.ok(!shown.includes(key) && shown.includes(secretFingerprint(key)), shown);
    }
    const report = formatPlanReport({
      text: "",
      changed: false,
      warnings: [],
      servers: [{ name: key, action: "wrapped", reasons: [], warnings: [] }],
    });
    assert.ok(!report.includes(key.slice(0, 12)), report);
    assert.ok(report.includes(secretFingerprint(key)), report);
  }
  // The flag reader's own check (no detector) refuses the keys of the popular MCP services,
  // as a pasted command that names its server by one.
  for (const key of SERVICE_KEYS) {
    assert.equal(prefixedRandomKey(key), true, key);
    assert.notEqual(parseRunArgs(["--agent-id", key, "--", "node"])?.options.refusal, undefined);
    assert.equal(agentIdWouldBeKey("npx", ["-y", key]), key);
  }
});

Deno.test("a key's issuer prefix counts only in the issuer's case, with the random body right after it", () => {
  // The same random body after a prefix in another case, or after a word, is an id.
  assert.equal(prefixedRandomKey("ASIAZ4XQ7M2PLK5RTS3B"), true);
  assert.equal(prefixedRandomKey("asiaz4xq7m2plk5rts3b"), false);
  assert.equal(prefixedRandomKey("sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2"), true);
  assert.equal(prefixedRandomKey("SK-proj-a1b2c3d4e5f6a7b8c9d0e1f2"), false);
  assert.equal(prefixedRandomKey("sk-telecom-a1b2c3d4e5f6a7b8c9d0e1f2"), false);
  assert.equal(prefixedRandomKey("fc-barcelona-3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c"), false);
  // A key after a separator is still a key.
  assert.equal(prefixedRandomKey("prod-sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2"), true);
});
