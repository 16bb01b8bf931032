/**
 * A credential is not read leniently: a JWT `exp` that is there but is no
 * number, or a member given twice (in a JWT's payload, a session JSON or an
 * API key file), makes the credential malformed, naming what is wrong, rather
 * than a token that never expires or the last of two keys.
 */
import assert from "node:assert/strict";
import { decodeJwtExpiry } from "../../src/identity/jwt_expiry.ts";
import { parseApiKeyFile } from "../../src/identity/parse_api_key_file.ts";
import { parseAuthTokenFile } from "../../src/identity/parse_auth_token_file.ts";
import { loadCredentials } from "../../src/identity/load_credentials.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { isAppError } from "../../src/errors.ts";
import { makeJwt, withTempDir } from "../doctor/_helpers.ts";

const b64 = (text: string) =>
  btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
/** A JWT whose payload is `payload` as written (it may repeat a member). */
const rawJwt = (payload: string) => `${b64('{"alg":"HS256"}')}.${b64(payload)}.c2ln`;

Deno.test("decodeJwtExpiry() reports an exp that is a string or null instead of no expiry", () => {
  for (const [exp, what] of [["1600000000", "a string"], [null, "null"], [true, "a boolean"]]) {
    const decoded = decodeJwtExpiry(makeJwt({ exp }));
    assert.equal(decoded.isJwt, true);
    assert.equal(decoded.expiresAt, null);
    assert.equal(decoded.problem, `the "exp" claim is ${what}, not a number of seconds`);
  }
});

Deno.test("decodeJwtExpiry() reports a payload that gives exp twice instead of taking the last", () => {
  const decoded = decodeJwtExpiry(rawJwt('{"exp":1600000000,"exp":4102444800}'));
  assert.equal(decoded.expiresAt, null);
  assert.equal(decoded.problem, 'the payload gives the member "exp" twice');
  // A repeated member written another way (an escape) is the same member.
  assert.match(decodeJwtExpiry(rawJwt('{"sub":"a","\\u0073ub":"b"}')).problem ?? "", /"sub" twice/);
  // Without a repeat, nothing changes.
  assert.deepEqual(decodeJwtExpiry(rawJwt('{"exp":4102444800,"sub":"a"}')).problem, null);
});

Deno.test("parseAuthTokenFile() refuses a token whose exp is a string, and a session JSON with a member twice", () => {
  assert.throws(
    () => parseAuthTokenFile(makeJwt({ exp: "1600000000" }), "/t/tok"),
    (error) =>
      isAppError(error, "credentials.malformed") &&
      /"\/t\/tok" is not valid: .*"exp" claim is a string/.test(error.message),
  );
  const token = makeJwt({ exp: 4102444800 });
  assert.throws(
    () =>
      parseAuthTokenFile(`{"access_token":"${token}","access_token":"other-token"}`, "/t/s.json"),
    (error) =>
      isAppError(error, "credentials.malformed") &&
      error.message.includes('gives the member "access_token" twice') &&
      !error.message.includes(token),
  );
});

Deno.test("parseApiKeyFile() refuses a key file that gives api_key twice", () => {
  assert.throws(
    () => parseApiKeyFile('{"api_key":"k-first","api_key":"k-second"}', "/t/key.json"),
    (error) =>
      isAppError(error, "credentials.malformed") &&
      error.message ===
        'API key file "/t/key.json" is not valid: it gives the member "api_key" twice' &&
      !error.message.includes("k-second"),
  );
  assert.equal(parseApiKeyFile('{"api_key":"k-only"}', "/t/key.json").reveal(), "k-only");
});

Deno.test("loadCredentials() reports a token file whose exp is null or repeated as malformed, not as never expiring", () =>
  withTempDir(async (dir) => {
    await Deno.chmod(dir, 0o700);
    for (const token of [makeJwt({ exp: null }), rawJwt('{"exp":1600000000,"exp":4102444800}')]) {
      const path = `${dir}/token`;
      await Deno.writeTextFile(path, token, { mode: 0o600 });
      const validated = validateThothEnv({ THOTH_AUTH_TOKEN_FILE: path }, Deno.build.os);
      assert.ok(validated.ok);
      await assert.rejects(
        () => loadCredentials(validated.env, `${dir}/home`, new Date("2026-06-01T00:00:00Z")),
        (error) => isAppError(error, "credentials.malformed") && /"exp"/.test(error.message),
      );
    }
  }));
