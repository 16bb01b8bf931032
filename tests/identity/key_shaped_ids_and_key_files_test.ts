/**
 * A credential pasted where a path or an id belongs:
 *
 * - in `THOTH_API_KEY_FILE` or `THOTH_AUTH_TOKEN_FILE`, a value that is not
 *   an absolute path is shown by fingerprint only, whatever its shape (an
 *   OAuth access token, a client secret with a `~`, a long run of letters
 *   escape the key detectors);
 * - in `THOTH_TENANT_ID`, a key is refused by the test `THOTH_FLEET_ID`
 *   passes (`flaggedAsKey`), shown by fingerprint only, and derives no host;
 * - as a derived agent id, a key falls back to a stand-in name.
 *
 * Ordinary ids (`acme`, `your-org`, `everything`, `gdrive`, a UUID) pass.
 */
import assert from "node:assert/strict";
import { showEnvValue } from "../../src/identity/shown_env_value.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { quickThothEnv, readThothEnv } from "../../src/identity/quick_thoth_env.ts";
import { flaggedAsKey } from "../../src/identity/id_flagged_as_key.ts";
import { deriveTenantUrls } from "../../src/identity/tenant_urls.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import {
  agentIdWouldBeKey,
  deriveAgentId,
  KEY_FALLBACK_ID,
} from "../../src/proxy/derive_agent_id.ts";
import { AppError } from "../../src/errors.ts";

/** Credentials whose shape no key detector knows. */
const ODD_CREDENTIALS = [
  "ya29.a0AfH6SMBx3kLmN0pQrStUvWxYz12AbCdEfGhIjKlMnOp",
  "Xy8Q~kLmN0pQrStUvWxYz12.AbCdEfGhIjKlMnOp",
  "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdf",
];

const FILE_VARIABLES = ["THOTH_API_KEY_FILE", "THOTH_AUTH_TOKEN_FILE"];

/** Keys the tenant and agent id checks must refuse. */
const KEYS = [
  "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2",
  "sk_live_SECRETSECRET0123456789",
  "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5",
];

/** Ids that are not keys, and must stay accepted. */
const ORDINARY_IDS = [
  "acme",
  "acme-prod",
  "your-org",
  "everything",
  "gdrive",
  "123e4567-e89b-12d3-a456-426614174000",
  "sk-telecom",
];

Deno.test("a credential file variable that is not an absolute path is shown by fingerprint only", () => {
  for (const variable of FILE_VARIABLES) {
    for (const value of ODD_CREDENTIALS) {
      const shown = showEnvValue(variable, value, "linux");
      assert.ok(!shown.includes(value.slice(0, 6)), `${variable}: ${shown}`);
      assert.ok(shown.includes(secretFingerprint(value)), shown);
      const result = validateThothEnv({ [variable]: value }, "linux");
      assert.equal(result.ok, false);
      if (result.ok) continue;
      const [problem] = result.problems;
      assert.equal(problem?.variable, variable);
      assert.ok(!problem.message.includes(value.slice(0, 6)), problem.message);
      assert.match(
        problem.message,
        /fingerprint [0-9a-f]{8}\) is not valid: it must be an absolute/,
      );
    }
  }
});

Deno.test("a credential file variable's absolute path is still shown, and other variables are not hidden by it", () => {
  assert.equal(
    showEnvValue("THOTH_API_KEY_FILE", "/etc/thoth/key.json", "linux"),
    '"/etc/thoth/key.json"',
  );
  assert.equal(
    showEnvValue("THOTH_AUTH_TOKEN_FILE", "C:\\Users\\ana\\token", "windows"),
    JSON.stringify("C:\\Users\\ana\\token"),
  );
  // The same odd value in a variable that holds no credential is shown as before.
  assert.equal(
    showEnvValue("THOTH_ENV", "qwertzuiopasdfghjklyxcvbnmqwertzuiopasdf"),
    '"qwertzuiopasdfghjklyxcvbnmqwertzuiopasdf"',
  );
});

Deno.test("flaggedAsKey() refuses the keys and passes ordinary ids", () => {
  for (const key of KEYS) assert.equal(flaggedAsKey(key), true, key);
  for (const id of ORDINARY_IDS) assert.equal(flaggedAsKey(id), false, id);
  // A hex device id stays an id, as it was for THOTH_FLEET_ID.
  assert.equal(flaggedAsKey("2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f"), false);
});

Deno.test("THOTH_TENANT_ID holding a key is refused by every reader, by fingerprint only", async () => {
  for (const key of ["sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2", "sk-live-a1b2c3d4e5f6a7b8c9d0e1f2a3"]) {
    const result = validateThothEnv({ THOTH_TENANT_ID: key }, "linux");
    assert.equal(result.ok, false, key);
    if (result.ok) continue;
    const [problem] = result.problems;
    assert.equal(problem?.variable, "THOTH_TENANT_ID");
    assert.ok(!problem.message.includes(key), problem.message);
    assert.ok(problem.message.includes(secretFingerprint(key)), problem.message);
    assert.match(problem.message, /not a key or token/);
    assert.equal(quickThothEnv({ THOTH_TENANT_ID: key }, "linux"), undefined);
    await assert.rejects(
      () => readThothEnv({ THOTH_TENANT_ID: key }, "linux"),
      (error: unknown) => error instanceof AppError && !error.message.includes(key),
    );
  }
});

Deno.test("THOTH_TENANT_ID keeps ordinary tenant ids", async () => {
  for (const id of ORDINARY_IDS) {
    const result = validateThothEnv({ THOTH_TENANT_ID: id }, "linux");
    assert.ok(result.ok, id);
    assert.equal(result.env.tenantId, id);
    assert.equal((await readThothEnv({ THOTH_TENANT_ID: id }, "linux")).env.tenantId, id);
  }
});

Deno.test("deriveTenantUrls() derives no host from a key, and names no key", () => {
  const key = "sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2";
  assert.throws(
    () => deriveTenantUrls(key, "example.com"),
    (error: unknown) =>
      error instanceof AppError && error.code === "identity.invalid_env" &&
      !error.message.includes(key) && error.message.includes(secretFingerprint(key)),
  );
  assert.equal(
    deriveTenantUrls("acme-prod", "example.com").enforcerHost,
    "enforce.acme-prod.example.com",
  );
});

Deno.test("an agent id derived from a key falls back to a stand-in, and is reported", () => {
  const token = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5";
  for (
    const [command, args] of [
      ["npx", ["-y", token]],
      [`/opt/bin/${token}`, []],
      ["uvx", ["sk_live_SECRETSECRET0123456789"]],
      ["cmd", ["/c", "npx", "-y", "AKIAZ4XQ7M2PLK5RTS3B"]],
    ] as [string, string[]][]
  ) {
    assert.equal(deriveAgentId(command, args), KEY_FALLBACK_ID, `${command} ${args.join(" ")}`);
    assert.notEqual(agentIdWouldBeKey(command, args), undefined);
  }
  for (
    const [command, args, id] of [
      ["npx", ["-y", "@modelcontextprotocol/server-everything"], "server-everything"],
      ["npx", ["-y", "@modelcontextprotocol/server-gdrive"], "server-gdrive"],
      ["/usr/local/bin/gdrive", [], "gdrive"],
    ] as [string, string[], string][]
  ) {
    assert.equal(deriveAgentId(command, args), id);
    assert.equal(agentIdWouldBeKey(command, args), undefined);
  }
});
