import assert from "node:assert/strict";
import { thothHomeError } from "../../src/identity/thoth_home_error.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("thothHomeError() refuses a THOTH_HOME that is not absolute on this OS", () => {
  const tilde = thothHomeError({ THOTH_HOME: "~/.thoth" }, "linux");
  assert.ok(isAppError(tilde, "identity.invalid_env"));
  assert.match(tilde.message, /^THOTH_HOME "~\/\.thoth" is not valid: it must be an absolute path/);
  assert.match(tilde.hints[0] ?? "", /THOTH_HOME="\$HOME\/\.thoth"/);
  const windowsOnLinux = thothHomeError({ THOTH_HOME: "C:\\Users\\ana\\.thoth" }, "linux");
  assert.ok(isAppError(windowsOnLinux, "identity.invalid_env"));
  const posixOnWindows = thothHomeError({ THOTH_HOME: "/home/ana/.thoth" }, "windows");
  assert.match(posixOnWindows?.hints[0] ?? "", /%USERPROFILE%\\\.thoth/);
  assert.equal(thothHomeError({ THOTH_HOME: "/home/ana/.thoth" }, "linux"), null);
  assert.equal(thothHomeError({ THOTH_HOME: "C:\\Users\\ana\\.thoth" }, "windows"), null);
  assert.equal(thothHomeError({ THOTH_HOME: "" }, "linux"), null);
  assert.equal(thothHomeError({}, "linux"), null);
});

Deno.test("thothHomeError() never shows a key put in THOTH_HOME", () => {
  const error = thothHomeError({ THOTH_HOME: "aten_thoth_agent_prod_SUPERSECRET" }, "linux");
  assert.ok(error !== null && !error.message.includes("SUPERSECRET"), error?.message);
});
