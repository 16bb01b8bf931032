import assert from "node:assert/strict";
import { looksLikeSecret, showEnvValue } from "../../src/identity/shown_env_value.ts";

const HIDDEN = /^\(value hidden: it looks like a key or token, fingerprint [0-9a-f]{8}\)$/;

Deno.test("showEnvValue() hides a long base64 token with a / or +, such as an AWS secret key", () => {
  for (
    const value of [
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
      "Zm9vYmFyYmF6cXV4+Zm9vYmFy",
      "dGhpcyBpcyBh/c2VjcmV0IGtleQ==",
    ]
  ) {
    assert.ok(looksLikeSecret(value), value);
    const shown = showEnvValue("THOTH_API_KEY_FILE", value);
    assert.match(shown, HIDDEN);
    for (const part of value.split(/[/+=]/)) {
      if (part.length >= 4) assert.ok(!shown.includes(part), shown);
    }
  }
});

Deno.test("showEnvValue() still shows a path: absolute, or relative of plain names", () => {
  for (
    const value of [
      "/home/ana/.thoth/proxy_api_key.json",
      "/opt/Thoth/keys/K7MDENGbPxRfiCYEXAMPLE",
      "home/ana/thoth_keys",
      "relative/.thoth",
      "~/.thoth",
      "C:\\Users\\ana\\.thoth",
    ]
  ) {
    assert.equal(looksLikeSecret(value), false, value);
    assert.equal(showEnvValue("THOTH_HOME", value), JSON.stringify(value));
  }
});

Deno.test("showEnvValue() removes a URL's query string and fragment and says so", () => {
  const cases: [string, string][] = [
    ["https://ex.com/?access_token=Zm9vYmFyYmF6", '"https://ex.com/" (query string removed)'],
    ["https://ex.com/cb#access_token=Zm9vYmFyYmF6", '"https://ex.com/cb" (fragment removed)'],
    [
      "https://ex.com/p?token=Zm9vYmFyYmF6#state=c2VjcmV0",
      '"https://ex.com/p" (query string, fragment removed)',
    ],
    [
      "https://admin:hunter2@ex.com/?access_token=Zm9vYmFyYmF6",
      '"https://ex.com/" (user and password, query string removed)',
    ],
    ["ex.com/?access_token=Zm9vYmFyYmF6", '"ex.com/" (query string removed)'],
    ["ex.com:8443?key=Zm9vYmFyYmF6", '"ex.com:8443" (query string removed)'],
    ["https://admin:hunter2@example.com", '"https://example.com" (user and password removed)'],
    ["https://example.com/path", '"https://example.com/path"'],
  ];
  for (const [value, shown] of cases) {
    const text = showEnvValue("THOTH_APEX_DOMAIN", value);
    assert.equal(text, shown);
    for (const secret of ["Zm9vYmFyYmF6", "c2VjcmV0", "hunter2"]) {
      assert.ok(!text.includes(secret), text);
    }
  }
});
