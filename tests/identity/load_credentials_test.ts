import assert from "node:assert/strict";
import { loadCredentials } from "../../src/identity/load_credentials.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { isAppError } from "../../src/errors.ts";
import { FIXED_NOW, makeJwt, withTempDir } from "../doctor/_helpers.ts";

const LIVE = makeJwt({ sub: "ana", exp: FIXED_NOW.getTime() / 1000 + 3600 });
const EXPIRED = makeJwt({ sub: "ana", exp: FIXED_NOW.getTime() / 1000 - 60 });

interface Setup {
  env: Record<string, string>;
  files: Record<string, string>;
}

/** Writes every credential source into a temp profile; `omit` drops some. */
async function fullSetup(home: string, omit: readonly string[]): Promise<Setup> {
  const env: Record<string, string> = {
    THOTH_TENANT_ID: "acme",
    THOTH_APEX_DOMAIN: "example.com",
    THOTH_RUNTIME_BEARER_TOKEN: "runtime-token",
    THOTH_AUTH_TOKEN: "auth-token",
    THOTH_AUTH_TOKEN_FILE: `${home}/token.txt`,
    THOTH_API_KEY: "env-api-key",
  };
  const files: Record<string, string> = {
    [`${home}/token.txt`]: "file-token\n",
    [`${home}/sessions/acme--acme.example.com--admin-token.jwt`]: LIVE,
    [`${home}/proxy_api_key.json`]: '{"version":1,"api_key":"file-api-key"}',
  };
  for (const name of omit) delete env[name];
  if (omit.includes("THOTH_AUTH_TOKEN_FILE")) delete files[`${home}/token.txt`];
  if (omit.includes("session_file")) {
    delete files[`${home}/sessions/acme--acme.example.com--admin-token.jwt`];
  }
  if (omit.includes("THOTH_API_KEY_FILE")) delete files[`${home}/proxy_api_key.json`];
  await Deno.mkdir(`${home}/sessions`, { recursive: true });
  for (const [path, text] of Object.entries(files)) await Deno.writeTextFile(path, text);
  return { env, files };
}

const table: { omit: string[]; source: string; secret: string | null; kind: string | null }[] = [
  { omit: [], source: "THOTH_RUNTIME_BEARER_TOKEN", secret: "runtime-token", kind: "bearer" },
  {
    omit: ["THOTH_RUNTIME_BEARER_TOKEN"],
    source: "THOTH_AUTH_TOKEN",
    secret: "auth-token",
    kind: "bearer",
  },
  {
    omit: ["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN"],
    source: "THOTH_AUTH_TOKEN_FILE",
    secret: "file-token",
    kind: "bearer",
  },
  {
    omit: ["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN", "THOTH_AUTH_TOKEN_FILE"],
    source: "session_file",
    secret: LIVE,
    kind: "bearer",
  },
  {
    omit: [
      "THOTH_RUNTIME_BEARER_TOKEN",
      "THOTH_AUTH_TOKEN",
      "THOTH_AUTH_TOKEN_FILE",
      "session_file",
    ],
    source: "THOTH_API_KEY",
    secret: "env-api-key",
    kind: "api_key",
  },
  {
    omit: [
      "THOTH_RUNTIME_BEARER_TOKEN",
      "THOTH_AUTH_TOKEN",
      "THOTH_AUTH_TOKEN_FILE",
      "session_file",
      "THOTH_API_KEY",
    ],
    source: "THOTH_API_KEY_FILE",
    secret: "file-api-key",
    kind: "api_key",
  },
  {
    omit: [
      "THOTH_RUNTIME_BEARER_TOKEN",
      "THOTH_AUTH_TOKEN",
      "THOTH_AUTH_TOKEN_FILE",
      "session_file",
      "THOTH_API_KEY",
      "THOTH_API_KEY_FILE",
    ],
    source: "none",
    secret: null,
    kind: null,
  },
];

for (const row of table) {
  Deno.test(`loadCredentials() picks ${row.source} when the sources above it are absent`, async () => {
    await withTempDir(async (home) => {
      const { env } = await fullSetup(home, row.omit);
      const { credential } = await loadCredentials(parseThothEnv(env).env, home, FIXED_NOW);
      assert.equal(credential?.source ?? "none", row.source);
      assert.equal(credential?.secret.reveal() ?? null, row.secret);
      assert.equal(credential?.kind ?? null, row.kind);
    });
  });
}

Deno.test("loadCredentials() lists the sources a higher one shadows", async () => {
  await withTempDir(async (home) => {
    const { env } = await fullSetup(home, ["THOTH_AUTH_TOKEN"]);
    const { shadowed } = await loadCredentials(parseThothEnv(env).env, home, FIXED_NOW);
    assert.deepEqual(shadowed, [
      "THOTH_AUTH_TOKEN_FILE",
      "session_file",
      "THOTH_API_KEY",
      "THOTH_API_KEY_FILE",
    ]);
  });
});

Deno.test("loadCredentials() reads an auth session JSON from THOTH_AUTH_TOKEN_FILE", async () => {
  await withTempDir(async (home) => {
    const path = `${home}/session.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ access_token: "opaque-abc", expires_at: "2026-06-01T11:00:00Z" }),
    );
    const { env } = parseThothEnv({ THOTH_AUTH_TOKEN_FILE: path });
    const { credential } = await loadCredentials(env, home, FIXED_NOW);
    assert.equal(credential?.secret.reveal(), "opaque-abc");
    assert.equal(credential?.expiresAt?.toISOString(), "2026-06-01T11:00:00.000Z");
    assert.equal(credential?.expired, true);
  });
});

Deno.test("loadCredentials() reports an expired session JWT without falling back", async () => {
  await withTempDir(async (home) => {
    await Deno.mkdir(`${home}/sessions`);
    await Deno.writeTextFile(
      `${home}/sessions/acme--acme.example.com--admin-token.jwt`,
      EXPIRED + "\n",
    );
    const { env } = parseThothEnv({
      THOTH_TENANT_ID: "acme",
      THOTH_APEX_DOMAIN: "example.com",
      THOTH_API_KEY: "k",
    });
    const { credential, shadowed } = await loadCredentials(env, home, FIXED_NOW);
    assert.equal(credential?.source, "session_file");
    assert.equal(credential?.expired, true);
    assert.deepEqual(shadowed, ["THOTH_API_KEY"]);
  });
});

Deno.test("loadCredentials() fails on a missing THOTH_AUTH_TOKEN_FILE, naming the path only", async () => {
  await withTempDir(async (home) => {
    const { env } = parseThothEnv({
      THOTH_AUTH_TOKEN_FILE: `${home}/nope.txt`,
      THOTH_API_KEY: "k",
    });
    await assert.rejects(loadCredentials(env, home, FIXED_NOW), (error) => {
      assert.ok(isAppError(error, "credentials.unreadable"));
      assert.match(error.message, /nope\.txt.*does not exist/);
      return true;
    });
  });
});

Deno.test("loadCredentials() fails on a malformed key file without showing its contents", async () => {
  await withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"apikey":"leaked-value"}');
    const { env } = parseThothEnv({});
    await assert.rejects(loadCredentials(env, home, FIXED_NOW), (error) => {
      assert.ok(isAppError(error, "credentials.malformed"));
      assert.ok(!error.message.includes("leaked-value"));
      assert.ok(!error.hints.join(" ").includes("leaked-value"));
      return true;
    });
  });
});

Deno.test("loadCredentials() treats a missing explicit THOTH_API_KEY_FILE as an error", async () => {
  await withTempDir(async (home) => {
    const { env } = parseThothEnv({ THOTH_API_KEY_FILE: `${home}/key.json` });
    await assert.rejects(
      loadCredentials(env, home, FIXED_NOW),
      (e) => isAppError(e, "credentials.unreadable"),
    );
  });
});

Deno.test("loadCredentials() decodes the expiry of a bearer token from the environment", async () => {
  await withTempDir(async (home) => {
    const { env } = parseThothEnv({ THOTH_RUNTIME_BEARER_TOKEN: LIVE });
    const { credential } = await loadCredentials(env, home, FIXED_NOW);
    assert.equal(credential?.expired, false);
    assert.equal(credential?.expiresAt?.getTime(), FIXED_NOW.getTime() + 3600_000);
    assert.equal(credential?.secret.fingerprint, secretFingerprint(LIVE));
  });
});

Deno.test("loadCredentials() refuses a bearer token whose exp is past the year 9999", async () => {
  const token = makeJwt({ exp: 253402300800 });
  const { env } = parseThothEnv({ THOTH_RUNTIME_BEARER_TOKEN: token }, "linux");
  await assert.rejects(() => loadCredentials(env, "/nonexistent", FIXED_NOW), (error: unknown) => {
    assert.ok(isAppError(error, "credentials.malformed"));
    assert.match(
      error.message,
      /^THOTH_RUNTIME_BEARER_TOKEN \(fingerprint [0-9a-f]{8}\) is not valid: the "exp" claim 253402300800 is after the year 9999$/,
    );
    assert.ok(!error.message.includes(token));
    return true;
  });
});
