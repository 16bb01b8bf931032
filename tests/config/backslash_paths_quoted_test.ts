/**
 * A Windows path in a message keeps its backslashes as written, as doctor's
 * checks show it: quoted, never JSON-escaped (`C:\\Program Files`), in
 * health's `not_startable` problems and in wrap-config's reasons.
 */
import assert from "node:assert/strict";
import { planWrap } from "../../src/config/plan_wrap.ts";
import { missingCommandText, serverPath } from "../../src/doctor/server_path.ts";

const NODE = "C:\\Program Files\\nodejs\\node.exe";

Deno.test("missingCommandText() quotes a Windows command with its backslashes as written", () => {
  const where = serverPath("claude-desktop", "windows", {}, { envPath: [] });
  assert.equal(
    missingCommandText(NODE, where, "claude-desktop", "windows"),
    `"${NODE}" does not exist or is not an executable file`,
  );
  // As health lists it for a Linux client's config that names a Windows path.
  const linux = serverPath("claude-desktop", "linux", {}, { envPath: [] });
  assert.match(
    missingCommandText(NODE, linux, "claude-desktop", "linux"),
    /^"C:\\Program Files\\nodejs\\node\.exe" is not found on the desktop client's PATH/,
  );
});

Deno.test("planWrap() names an old Windows thoth path with its backslashes as written", () => {
  const old = "C:\\Program Files\\Thoth\\thoth.exe";
  const text = JSON.stringify({
    mcpServers: {
      gdrive: {
        command: old,
        args: [
          ...["run", "--agent-id", "gdrive", "--tenant-id", "acme", "--enforcement-mode", "block"],
          ...["--", "npx", "server-gdrive"],
        ],
      },
    },
  });
  const plan = planWrap(text, { thothCommand: ["/opt/thoth/bin/thoth"], tenantId: "acme" });
  assert.deepEqual(plan.servers[0]?.reasons, [
    `thoth path "${old}" → "/opt/thoth/bin/thoth"`,
  ]);
});
