/**
 * `checkClientConfigs()` on a governed entry whose thoth command is no
 * executable file: governed (as `thoth status` and `thoth health` count it),
 * failed as one that will not start, with `wrap-config` as the fix; and one
 * whose thoth command answers as something else: not governed, with a thoth
 * binary in `command` as the fix. No count of "governed" says two things.
 */
import assert from "node:assert/strict";
import { checkClientConfigs, type CheckedServer } from "../../src/doctor/check_client_configs.ts";
import { SAME_OPTIONS } from "../../src/doctor/wrap_config_line.ts";
import type { ThothCheck } from "../../src/doctor/doctor_plugins.ts";

const server = (name: string, thothCheck: ThothCheck): CheckedServer => ({
  name,
  governed: true,
  command: "/usr/local/bin/thoth",
  upstreamCommand: "npx",
  thothCheck,
});

const MISSING = {
  outcome: "missing" as const,
  detail: '"/usr/local/bin/thoth" is not an executable file: the client cannot start this server',
};

Deno.test("checkClientConfigs() fails a governed entry with no thoth at its path, with wrap-config as the fix", () => {
  const check = checkClientConfigs([{
    client: "claude-desktop",
    configPath: "/cfg/a.json",
    servers: [
      server("gdrive", MISSING),
      server("fs", { outcome: "verified", detail: "the same file as this thoth" }),
    ],
  }]);
  assert.equal(check.status, "fail");
  assert.equal(
    check.message,
    "1 client config, 2 of 2 servers governed (1 that will not start); " +
      `gdrive: governed, but will not start: ${MISSING.detail}; ` +
      "thoth command checked for 2 of 2 entries written as thoth run (it is the same file as " +
      'this thoth, or "--version" answers like thoth); not checked: that it is an unmodified ' +
      "thoth release",
  );
  assert.equal(
    check.hint,
    `write this thoth's path into the entry of gdrive ${SAME_OPTIONS} with: ` +
      "thoth wrap-config --client claude-desktop /cfg/a.json",
  );
});

Deno.test("checkClientConfigs() keeps a thoth command that is not thoth not governed, with its own fix", () => {
  const check = checkClientConfigs([{
    client: "claude-desktop",
    configPath: "/cfg/a.json",
    servers: [server("fs", { outcome: "not_thoth", detail: "it printed nothing" })],
  }]);
  assert.equal(check.status, "fail");
  assert.equal(
    check.message,
    "1 client config, 0 of 1 servers governed; fs: not governed: it printed nothing; " +
      "thoth command checked for 1 of 1 entry written as thoth run (it is the same file as " +
      'this thoth, or "--version" answers like thoth); not checked: that it is an unmodified ' +
      "thoth release",
  );
  assert.equal(
    check.hint,
    'set "command" of fs in "/cfg/a.json" to the absolute path of a thoth binary (see ' +
      '"command -v thoth"), then run: thoth doctor',
  );
});
