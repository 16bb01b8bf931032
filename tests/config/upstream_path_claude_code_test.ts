/**
 * Claude Code is a terminal program: the servers it starts inherit the user's
 * PATH. `wrap-config --client claude-code` (`upstreamPathWarning` with
 * `client`) judges an upstream command against that PATH, as `thoth doctor`
 * does (`clientPath`), not against the minimal PATH of a desktop app.
 */
import assert from "node:assert/strict";
import { upstreamPathWarning } from "../../src/config/upstream_path_warning.ts";
import { clientPath } from "../../src/doctor/gui_client_path.ts";
import { findExecutable } from "../../src/platform/find_executable.ts";

const USER_PATH = "/home/ana/.local/bin:/usr/bin";
const MY_SERVER = "/home/ana/.local/bin/myserver";
const isFile = (path: string) => path === MY_SERVER;

Deno.test("upstreamPathWarning() finds a Claude Code server's command on the user's PATH", () => {
  for (const os of ["linux", "darwin"]) {
    const check = { os, isFile, userPath: USER_PATH, client: "claude-code" };
    assert.equal(upstreamPathWarning("myserver", check), undefined);
    // A desktop client (or none named) still gets the minimal PATH.
    assert.match(
      upstreamPathWarning("myserver", { ...check, client: "cursor" }) ?? "",
      /is not on the minimal PATH a GUI client gives its servers/,
    );
  }
});

Deno.test("upstreamPathWarning() names Claude Code's PATH for a command not on it", () => {
  const warning = upstreamPathWarning("nothere", {
    os: "linux",
    isFile,
    userPath: USER_PATH,
    client: "claude-code",
  });
  assert.equal(
    warning,
    `"nothere" is not found on Claude Code's PATH (yours: the servers it starts inherit it); ` +
      "install it on your PATH, or use its absolute path",
  );
});

Deno.test("wrap-config and doctor agree on what Claude Code finds", async () => {
  const env = { PATH: USER_PATH };
  for (const command of ["myserver", "nothere"]) {
    const doctor = await findExecutable(
      command,
      clientPath("claude-code", "linux", env),
      "linux",
      (path) => Promise.resolve(isFile(path)),
    );
    const wrap = upstreamPathWarning(command, {
      os: "linux",
      isFile,
      userPath: USER_PATH,
      client: "claude-code",
    });
    assert.equal(doctor !== null, wrap === undefined, command);
  }
});
