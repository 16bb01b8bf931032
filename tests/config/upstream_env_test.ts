import assert from "node:assert/strict";
import { upstreamEnvChanges } from "../../src/config/upstream_env.ts";

Deno.test("upstreamEnvChanges() removes what wrap added and restores what it replaced", () => {
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_WRAP: `v1;added=THOTH_USER_ID,THOTH_APEX_DOMAIN;was.LOG_LEVEL=${
        encodeURIComponent('"debug"')
      }`,
      THOTH_USER_ID: "ana@example.com",
      LOG_LEVEL: "info",
    }),
    { remove: ["THOTH_USER_ID", "THOTH_APEX_DOMAIN", "THOTH_WRAP"], set: { LOG_LEVEL: "debug" } },
  );
});

Deno.test("upstreamEnvChanges() changes nothing without a record", () => {
  assert.deepEqual(upstreamEnvChanges({ PATH: "/bin" }), { remove: [], set: {} });
});

Deno.test("CREDENTIAL_VARIABLES lists each secret thoth reads and the files that hold them", async () => {
  const { CREDENTIAL_VARIABLES } = await import("../../src/identity/credential_variables.ts");
  const { THOTH_ENV_VARIABLES, buildThothEnv } = await import(
    "../../src/identity/quick_thoth_env.ts"
  );
  const { Secret } = await import("../../src/identity/secret.ts");
  assert.deepEqual([...CREDENTIAL_VARIABLES].sort(), [
    "THOTH_API_KEY",
    "THOTH_API_KEY_FILE",
    "THOTH_AUTH_TOKEN",
    "THOTH_AUTH_TOKEN_FILE",
    "THOTH_RUNTIME_BEARER_TOKEN",
  ]);
  // Every variable thoth holds as a secret is listed, and only those and their files.
  for (const name of THOTH_ENV_VARIABLES) {
    const secret = Object.values(buildThothEnv({ [name]: "x" })).some((v) => v instanceof Secret);
    if (secret) assert.ok(CREDENTIAL_VARIABLES.includes(name), name);
  }
});

Deno.test("upstreamEnvChanges() removes thoth's credentials even without a record", () => {
  assert.deepEqual(
    upstreamEnvChanges({
      PATH: "/bin",
      THOTH_API_KEY: "k-1",
      THOTH_AUTH_TOKEN: "t-1",
      THOTH_RUNTIME_BEARER_TOKEN: "b-1",
      THOTH_API_KEY_FILE: "/k.json",
      THOTH_AUTH_TOKEN_FILE: "/t",
      THOTH_TENANT_ID: "acme",
      THOTH_USER_ID: "ana@example.com",
      THOTH_HOME: "/h",
    }, "linux"),
    {
      remove: [
        "THOTH_API_KEY",
        "THOTH_AUTH_TOKEN",
        "THOTH_RUNTIME_BEARER_TOKEN",
        "THOTH_API_KEY_FILE",
        "THOTH_AUTH_TOKEN_FILE",
      ],
      set: {},
    },
  );
});

Deno.test("upstreamEnvChanges() refuses a record it cannot read: no server starts without it", () => {
  assert.throws(
    () => upstreamEnvChanges({ THOTH_WRAP: "v9;garbled", THOTH_API_KEY: "k-1" }, "linux"),
    /THOTH_WRAP in the server's "env" cannot be read: unknown version "v9"/,
  );
});

Deno.test("upstreamEnvChanges() gives back a credential variable's original, and only then", () => {
  const was = (text: string) => encodeURIComponent(text);
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_WRAP: `v1;added=THOTH_API_KEY_FILE;was.THOTH_AUTH_TOKEN_FILE=${
        was('"/srv/own"')
      };was.THOTH_API_KEY=${was('"server-own-key"')}`,
      THOTH_AUTH_TOKEN_FILE: "/thoth/token",
      THOTH_API_KEY_FILE: "/thoth/key.json",
      THOTH_API_KEY: "thoth-key",
    }, "linux"),
    {
      remove: ["THOTH_API_KEY_FILE", "THOTH_WRAP"],
      set: { THOTH_AUTH_TOKEN_FILE: "/srv/own", THOTH_API_KEY: "server-own-key" },
    },
  );
});

Deno.test("upstreamEnvChanges() matches a credential in any case on Windows only", () => {
  const env = { thoth_api_key: "k-1", Thoth_Auth_Token: "t-1", THOTH_TENANT_ID: "acme" };
  assert.deepEqual(upstreamEnvChanges(env, "windows"), {
    remove: ["thoth_api_key", "Thoth_Auth_Token"],
    set: {},
  });
  assert.deepEqual(upstreamEnvChanges(env, "linux"), { remove: [], set: {} });
  assert.deepEqual(
    upstreamEnvChanges({
      THOTH_WRAP: `v1;was.THOTH_API_KEY=${encodeURIComponent('"own"')}`,
      thoth_api_key: "thoth-key",
    }, "windows"),
    { remove: ["THOTH_WRAP"], set: { THOTH_API_KEY: "own" } },
  );
});
