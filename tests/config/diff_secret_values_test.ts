/**
 * `diffSecretValues()` finds what a printed diff of a client config must
 * mask beyond the secret `"env"` values: URL passwords and secret query
 * values anywhere, token-shaped words and secret flags' values in `"args"`,
 * and credential headers. Names, paths and plain values are left.
 */
import assert from "node:assert/strict";
import { diffSecretValues } from "../../src/config/diff_secret_values.ts";

Deno.test("diffSecretValues() finds a URL's password, or the whole string when it is short", () => {
  assert.deepEqual(
    diffSecretValues('{"env": {"DB": "postgresql://admin:S3cretPassw0rd!@db.internal/prod"}}'),
    ["S3cretPassw0rd!"],
  );
  assert.deepEqual(diffSecretValues('{"url": "redis://:pw@cache:6379/0"}'), [
    "redis://:pw@cache:6379/0",
  ]);
  assert.deepEqual(
    diffSecretValues('{"url": "https://mcp.example.com/sse?access_token=Zm9vYmFyYmF6MTIz&v=2"}'),
    ["Zm9vYmFyYmF6MTIz"],
  );
  assert.deepEqual(diffSecretValues('{"url": "https://ana@example.com/p?page=2"}'), []);
});

Deno.test("diffSecretValues() finds token-shaped words and secret flags' values in args", () => {
  const text = JSON.stringify({
    mcpServers: {
      s: {
        command: "/usr/bin/node",
        args: [
          "server.js",
          "--token",
          "abc",
          "--client-secret=s3cr3t-value-long",
          "--header=X-Key: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
          "--max-tokens",
          "1000",
          "--agent-id",
          "calendar_management_v2",
          "/home/ana/projects/2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f",
        ],
      },
    },
  });
  assert.deepEqual(diffSecretValues(text).sort(), [
    "abc",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "s3cr3t-value-long",
  ]);
});

Deno.test("diffSecretValues() finds credential headers, keeping the scheme word", () => {
  const text = JSON.stringify({
    servers: {
      r: {
        url: "https://mcp.example.com/mcp",
        headers: {
          Authorization: "Bearer sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz",
          "X-API-Key": "k-1",
          "X-Trace": "t-1",
          Accept: "application/json",
        },
      },
    },
  });
  assert.deepEqual(diffSecretValues(text).sort(), [
    "k-1",
    "sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz",
  ]);
});
