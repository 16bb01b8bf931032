import assert from "node:assert/strict";
import { decodeJwtExpiry } from "../../src/identity/jwt_expiry.ts";
import { checkedTime, LATEST_TIME_MS } from "../../src/identity/checked_time.ts";
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
    problem: null,
  });
});

Deno.test("decodeJwtExpiry() returns no expiry for a JWT without exp or an opaque token", () => {
  const none = { expiresAt: null, problem: null };
  assert.deepEqual(decodeJwtExpiry(makeJwt({ sub: "x" })), { isJwt: true, ...none });
  assert.deepEqual(decodeJwtExpiry("aten_thoth_agent_prod_key"), { isJwt: false, ...none });
  assert.deepEqual(decodeJwtExpiry("a.b.c"), { isJwt: false, ...none });
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

Deno.test("checkedTime() keeps times from 1970 to the year 9999 and explains the rest", () => {
  assert.equal(
    checkedTime(1_893_456_000, "s").date?.toISOString(),
    "2030-01-01T00:00:00.000Z",
  );
  assert.equal(checkedTime(LATEST_TIME_MS, "ms").date?.toISOString(), "9999-12-31T23:59:59.999Z");
  assert.match(checkedTime(1_893_456_000_000, "s").problem ?? "", /looks like milliseconds/);
  assert.equal(checkedTime(253_402_300_800, "s").problem, "is after the year 9999");
  assert.equal(checkedTime(1e300, "s").problem, "is after the year 9999");
  assert.equal(checkedTime(Number.MAX_SAFE_INTEGER, "ms").problem, "is after the year 9999");
  assert.equal(checkedTime(-1, "s").problem, "is before 1970");
  assert.match(checkedTime(Infinity, "s").problem ?? "", /not a number/);
});

Deno.test("decodeJwtExpiry() reports an exp that is not a usable time instead of a date", () => {
  for (const exp of [253402300800, 1e300, 1_893_456_000_000]) {
    const decoded = decodeJwtExpiry(makeJwt({ exp }));
    assert.equal(decoded.expiresAt, null);
    assert.match(decoded.problem ?? "", /^the "exp" claim \S+ is after the year 9999/);
  }
});

Deno.test("parseAuthTokenFile() refuses an expiry past the year 9999, naming the file and why", () => {
  const cases: [string, RegExp][] = [
    [
      '{"access_token":"opaque","expires_at":1893456000000}',
      /"expires_at" 1893456000000 is after the year 9999 as seconds since 1970; it looks like milliseconds \(divide by 1000\)$/,
    ],
    ['{"access_token":"opaque","expires_at":"+061971-01-01T00:00:00Z"}', /not an ISO 8601 time/],
    ['{"access_token":"opaque","expires_at":"253402300800"}', /after the year 9999$/],
    [makeJwt({ exp: 253402300800 }), /the token's the "exp" claim 253402300800 is after/],
    [makeJwt({ exp: 1e300 }), /"exp" claim 1e\+300 is after the year 9999$/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseAuthTokenFile(text, "/k/s.json"), (error: unknown) => {
      assert.ok(isAppError(error, "credentials.malformed"));
      assert.match(error.message, /^token file "\/k\/s\.json" is not valid: /);
      assert.match(error.message, why);
      assert.doesNotMatch(error.hints.join(" "), /auth login/);
      return true;
    });
  }
});
