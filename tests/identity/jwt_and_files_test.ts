import assert from "node:assert/strict";
import { decodeJwtExpiry } from "../../src/identity/jwt_expiry.ts";
import { parseAuthTokenFile } from "../../src/identity/parse_auth_token_file.ts";
import { parseApiKeyFile } from "../../src/identity/parse_api_key_file.ts";
import { encodeApiKeyFile } from "../../src/identity/encode_api_key_file.ts";
import { Secret } from "../../src/identity/secret.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { isAppError } from "../../src/errors.ts";
import { makeJwt } from "../doctor/_helpers.ts";

Deno.test("decodeJwtExpiry() reads exp without checking the signature", () => {
  assert.deepEqual(decodeJwtExpiry(makeJwt({ exp: 1700000000 })), {
    isJwt: true,
    expiresAt: new Date(1700000000 * 1000),
  });
});

Deno.test("decodeJwtExpiry() returns no expiry for a JWT without exp or an opaque token", () => {
  assert.deepEqual(decodeJwtExpiry(makeJwt({ sub: "x" })), { isJwt: true, expiresAt: null });
  assert.deepEqual(decodeJwtExpiry("aten_thoth_agent_prod_key"), { isJwt: false, expiresAt: null });
  assert.deepEqual(decodeJwtExpiry("a.b.c"), { isJwt: false, expiresAt: null });
  assert.deepEqual(decodeJwtExpiry(makeJwt({ exp: "soon" })), { isJwt: true, expiresAt: null });
});

Deno.test("parseAuthTokenFile() accepts a bare token with a trailing newline", () => {
  assert.equal(parseAuthTokenFile("tok-123\n", "/t").token.reveal(), "tok-123");
});

Deno.test("parseAuthTokenFile() accepts each documented session JSON member", () => {
  for (const member of ["access_token", "token", "bearer_token", "runtime_bearer_token"]) {
    assert.equal(
      parseAuthTokenFile(JSON.stringify({ [member]: "t-1" }), "/t").token.reveal(),
      "t-1",
    );
  }
});

Deno.test("parseAuthTokenFile() prefers the JWT's exp over expires_at", () => {
  const jwt = makeJwt({ exp: 2000000000 });
  const parsed = parseAuthTokenFile(JSON.stringify({ access_token: jwt, expires_at: 1 }), "/t");
  assert.equal(parsed.expiresAt?.getTime(), 2000000000 * 1000);
});

Deno.test("parseAuthTokenFile() rejects empty, broken and tokenless files by path", () => {
  for (
    const text of [
      "",
      "  \n",
      "{not json",
      '{"user":"ana"}',
      "two words",
      '{"token":"t","expires_at":true}',
    ]
  ) {
    assert.throws(() => parseAuthTokenFile(text, "/p/session.json"), (e) => {
      assert.ok(isAppError(e, "credentials.malformed"));
      assert.match(e.message, /"\/p\/session\.json"/);
      return true;
    });
  }
});

Deno.test("encodeApiKeyFile() output reads back with parseApiKeyFile()", () => {
  const text = encodeApiKeyFile(new Secret("aten_key_1"), new Date("2026-01-02T03:04:05Z"));
  assert.deepEqual(JSON.parse(text), {
    version: 1,
    api_key: "aten_key_1",
    fingerprint: secretFingerprint("aten_key_1"),
    saved_at: "2026-01-02T03:04:05.000Z",
  });
  assert.equal(parseApiKeyFile(text, "/k").reveal(), "aten_key_1");
});

Deno.test("parseApiKeyFile() rejects other versions and shapes", () => {
  for (
    const text of ['{"version":2,"api_key":"k"}', "[]", '"k"', '{"api_key":5}', '{"api_key":"a b"}']
  ) {
    assert.throws(() => parseApiKeyFile(text, "/k"), (e) => isAppError(e, "credentials.malformed"));
  }
});

Deno.test("Secret prints only its fingerprint", () => {
  const secret = new Secret("hunter2-secret");
  const shown = [String(secret), `${secret}`, JSON.stringify({ secret }), Deno.inspect(secret)]
    .join(" ");
  assert.ok(!shown.includes("hunter2"));
  assert.equal(String(secret), `[secret ${secretFingerprint("hunter2-secret")}]`);
});

Deno.test("secretFingerprint() is the first 8 hex digits of SHA-256", () => {
  assert.equal(secretFingerprint("hello"), "2cf24dba");
});
