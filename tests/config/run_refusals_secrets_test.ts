/** A key pasted into a path or domain variable of a client config's "env" never shows in a refusal. */
import assert from "node:assert/strict";
import { runRefusals } from "../../src/config/run_refusals.ts";
import { describeRefusal } from "../../src/config/run_refusal.ts";

Deno.test("runRefusals() hides a key, a JWT and a URL password put in path or domain variables", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.SIGSECRET";
  const check = runRefusals({
    flags: [],
    flagArgs: [],
    unknownFlags: [],
    env: {
      THOTH_API_KEY_FILE: "aten_thoth_agent_prod_SUPERSECRET",
      THOTH_AUTH_TOKEN_FILE: jwt,
      THOTH_APEX_DOMAIN: "https://admin:hunter2@example.com",
    },
  });
  assert.deepEqual(check.refusals.map((r) => r.subject), [
    "THOTH_AUTH_TOKEN_FILE",
    "THOTH_API_KEY_FILE",
    "THOTH_APEX_DOMAIN",
  ]);
  const text = check.refusals.map(describeRefusal).join("\n");
  for (const secret of ["SUPERSECRET", "SIGSECRET", "hunter2"]) {
    assert.ok(!text.includes(secret), text);
  }
  assert.match(
    text,
    /THOTH_API_KEY_FILE \(value hidden: it looks like a key or token, fingerprint/,
  );
  assert.match(text, /THOTH_APEX_DOMAIN "https:\/\/example\.com" \(user and password removed\)/);
});

Deno.test("runRefusals() never tells wrap-config to write a bad credential into a config", () => {
  const check = runRefusals({
    flags: [],
    flagArgs: [],
    unknownFlags: [],
    env: {
      THOTH_RUNTIME_BEARER_TOKEN: "has a space",
      THOTH_AUTH_TOKEN: "line\nbreak",
      THOTH_API_KEY: "with space",
      THOTH_FLEET_ID: "-bad",
    },
  });
  const bySubject = new Map(check.refusals.map((r) => [r.subject, describeRefusal(r)]));
  for (const variable of ["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN", "THOTH_API_KEY"]) {
    const text = bySubject.get(variable);
    assert.ok(text !== undefined, `${variable} is refused: ${[...bySubject.keys()]}`);
    assert.doesNotMatch(text, /wrap-config --env/, text);
    assert.match(text, new RegExp(`remove ${variable} from the server's "env"`), text);
    assert.match(text, /thoth set-api-key --api-key -/, text);
    assert.match(text, /THOTH_AUTH_TOKEN_FILE/, text);
  }
  // Any other variable is still fixed with wrap-config.
  assert.match(bySubject.get("THOTH_FLEET_ID") ?? "", /wrap-config --env THOTH_FLEET_ID=<value>/);
});
