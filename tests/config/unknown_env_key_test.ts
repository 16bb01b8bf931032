import assert from "node:assert/strict";
import { unknownEnvKeyError } from "../../src/config/unknown_env_key.ts";
import { KNOWN_THOTH_VARIABLES } from "../../src/identity/quick_thoth_env.ts";

Deno.test("unknownEnvKeyError() passes every variable thoth knows, and names not thoth's", () => {
  for (const name of [...KNOWN_THOTH_VARIABLES, "PATH", "NODE_OPTIONS", "THOTHX"]) {
    assert.equal(unknownEnvKeyError(name), undefined, name);
  }
});

Deno.test("unknownEnvKeyError() names wrap-config's flag for a variable that stands for one", () => {
  const cases: [string, RegExp][] = [
    ["THOTH_INTENT", /--intent-map FILE/],
    ["THOTH_SESSION_INTENT", /--intent-map FILE/],
    ["THOTH_ENFORCEMENT_MODE", /^use --enforcement-mode MODE/],
    ["THOTH_MODE", /^use --enforcement-mode MODE/],
    ["THOTH_AGENT_ID", /--agent-id from its name in the config/],
  ];
  for (const [name, hint] of cases) {
    const error = unknownEnvKeyError(name);
    assert.equal(error?.code, "usage.unknown_env", name);
    assert.equal(error?.exitCode, 2);
    assert.match(error?.hints[0] ?? "", hint, name);
    assert.equal(error?.hints[1], "nothing was written");
  }
});

Deno.test("unknownEnvKeyError() points a near miss or another case at the variable thoth reads", () => {
  for (const name of ["THOTH_TENNANT_ID", "thoth_tenant_id"]) {
    assert.equal(
      unknownEnvKeyError(name)?.hints[0],
      "did you mean THOTH_TENANT_ID? give it as --env THOTH_TENANT_ID=VALUE",
    );
  }
});

Deno.test("unknownEnvKeyError() shows a key-shaped name by fingerprint only", () => {
  const name = "THOTH_aten_thoth_agent_prod_0123456789abcdef";
  const error = unknownEnvKeyError(name);
  assert.ok(error !== undefined);
  const said = [error.message, ...error.hints].join("\n");
  assert.ok(!said.includes("0123456789abcdef"), said);
  assert.match(error.message, /fingerprint [0-9a-f]{8}/);
});
