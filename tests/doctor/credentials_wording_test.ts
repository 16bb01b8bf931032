/**
 * What `thoth doctor` says about a credential it cannot use reads as plain
 * English and says what is true: the owner a named file must have, what a
 * file Deno refuses to thoth is, an empty key file, and, for an expired
 * session file, the API key already set that is used once the file is gone
 * (rather than asking for one with `set-api-key`).
 */
import assert from "node:assert/strict";
import { checkCredentials } from "../../src/doctor/check_credentials.ts";
import { sessionFilePath } from "../../src/identity/session_file_path.ts";
import { deriveTenantUrls } from "../../src/identity/tenant_urls.ts";
import { makeJwt, testContext, withTempDir } from "./_helpers.ts";

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@example.com",
  THOTH_APEX_DOMAIN: "example.com",
};

Deno.test("a named token file in a folder others may write to: a file owned by you or by root", () =>
  withTempDir(async (dir) => {
    const shared = `${dir}/shared`;
    await Deno.mkdir(shared);
    await Deno.chmod(shared, 0o777);
    await Deno.writeTextFile(`${shared}/token`, "opaque-token-1", { mode: 0o600 });
    const home = `${dir}/home`;
    await Deno.mkdir(home, { mode: 0o700 });
    const check = await checkCredentials(
      testContext(home, { env: { THOTH_AUTH_TOKEN_FILE: `${shared}/token` } }),
    );
    assert.equal(check.status, "fail");
    assert.match(
      check.hint ?? "",
      /point THOTH_AUTH_TOKEN_FILE at a file owned by you \(uid \d+\) or by root, mode 0600/,
    );
    assert.doesNotMatch(check.hint ?? "", /a file of you/);
  }));

Deno.test("a token file Deno refuses to thoth is named for what it is, not NotCapable", () =>
  withTempDir(async (home) => {
    const check = await checkCredentials(
      testContext(home, { env: { THOTH_AUTH_TOKEN_FILE: "/proc/self/environ" } }),
    );
    assert.equal(check.status, "fail");
    assert.doesNotMatch(check.message, /NotCapable/);
    assert.match(check.message, /thoth is not permitted to read it: Deno lets only a program/);
  }));

Deno.test("an empty API key file is said to be empty", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/proxy_api_key.json`, "", { mode: 0o600 });
    const check = await checkCredentials(testContext(home));
    assert.equal(check.status, "fail");
    assert.match(check.message, /is not valid: it is empty/);
    assert.doesNotMatch(check.message, /not JSON/);
  }));

Deno.test("an expired session file names the API key set that is used once it is removed", () =>
  withTempDir(async (home) => {
    await Deno.chmod(home, 0o700);
    const session = sessionFilePath(
      home,
      "acme",
      deriveTenantUrls("acme", "example.com").govapiHost,
    );
    await Deno.mkdir(`${home}/sessions`, { mode: 0o700 });
    await Deno.writeTextFile(session, makeJwt({ exp: 1_000_000_000 }), { mode: 0o600 });
    const withKey = await checkCredentials(
      testContext(home, { env: { ...TENANT, THOTH_API_KEY: "k-set-in-env" } }),
    );
    assert.equal(withKey.status, "fail");
    assert.match(withKey.hint ?? "", /the API key in THOTH_API_KEY is used once it is gone/);
    assert.doesNotMatch(withKey.hint ?? "", /set-api-key/);

    await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"api_key":"k-1"}', { mode: 0o600 });
    const withFile = await checkCredentials(testContext(home, { env: TENANT }));
    assert.match(withFile.hint ?? "", /the API key in the default API key file is used once/);

    await Deno.remove(`${home}/proxy_api_key.json`);
    const none = await checkCredentials(testContext(home, { env: TENANT }));
    assert.match(none.hint ?? "", /save one with "thoth set-api-key --api-key -"/);
  }));
