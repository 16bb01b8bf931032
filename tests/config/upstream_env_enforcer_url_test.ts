/**
 * `THOTH_ENFORCER_URL`, deprecated and ignored by thoth, may carry a
 * credential in its URL: the governed server's environment does not get it.
 */
import assert from "node:assert/strict";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";

Deno.test("upstreamEnvChanges() removes THOTH_ENFORCER_URL as it does a credential", () => {
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_ENFORCER_URL: "https://admin:hunter2@enforcer.example.com/?access_token=t-1",
      THOTH_TENANT_ID: "acme",
    }, "linux"),
    { remove: ["THOTH_ENFORCER_URL"], set: {} },
  );
});

Deno.test("upstreamEnvChanges() removes thoth_enforcer_url in any case on Windows only", () => {
  const env = { thoth_enforcer_url: "https://u:p@example.com/" };
  assert.deepEqual(upstreamEnvChanges(env, "windows"), {
    remove: ["thoth_enforcer_url"],
    set: {},
  });
  assert.deepEqual(upstreamEnvChanges(env, "linux"), { remove: [], set: {} });
});

Deno.test("a THOTH_ENFORCER_URL the entry had before wrap-config replaced it is given back", () => {
  const original = "https://server-own.example.com/";
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_WRAP: `v1;was.THOTH_ENFORCER_URL=${encodeURIComponent(JSON.stringify(original))}`,
      THOTH_ENFORCER_URL: "https://u:p@thoth.example.com/",
    }, "linux"),
    { remove: ["THOTH_WRAP"], set: { THOTH_ENFORCER_URL: original } },
  );
});
