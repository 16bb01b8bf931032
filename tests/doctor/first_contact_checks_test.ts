/**
 * The checks a fresh install meets: no audit log yet passes (a spool left
 * behind still warns), and `client_configs` gives where it looked as
 * details, which the report shows a line each under the check and its hint.
 */
import assert from "node:assert/strict";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { checkClientConfigs } from "../../src/doctor/check_client_configs.ts";
import { formatDoctorReport } from "../../src/doctor/format_doctor_report.ts";

const NO_LOG = {
  status: "missing",
  lastSequence: null,
  lastCheckpointAt: null,
  verified: null,
  message: "no audit log yet: it starts with the first governed session",
} as const;

Deno.test("checkAudit() passes a profile with no audit log yet, and says why", () => {
  const check = checkAudit(NO_LOG);
  assert.deepEqual(check, {
    id: "audit",
    status: "pass",
    message: "no audit log yet: it starts with the first governed session",
    hint: null,
  });
});

Deno.test("checkAudit() still warns of spool files beside no log", () => {
  const check = checkAudit({
    ...NO_LOG,
    spool: { files: 2, due: 2, oldestMs: 600_000, orphanAfterMs: 60_000 },
  });
  assert.equal(check.status, "warn");
});

Deno.test("checkClientConfigs() lists the places it looked in as details, one each", () => {
  const check = checkClientConfigs([], {
    places: [
      { client: "claude-desktop", path: "/h/.config/Claude/c.json", scope: "user", found: false },
      { client: "claude-code", path: "/h/.claude.json", scope: "user", found: true },
      { client: "claude-code", path: "/p/a/.mcp.json", scope: "project", found: true },
      { client: "cursor", path: "/p/a/.cursor/mcp.json", scope: "project", found: false },
    ],
    notChecked: ["VS Code workspace files", "configs an administrator installs"],
  });
  assert.equal(check.message, "no MCP client configs found");
  assert.deepEqual(check.details, [
    "looked in:",
    '  claude-desktop "/h/.config/Claude/c.json" (none)',
    '  claude-code "/h/.claude.json"',
    "  2 project config places of the folders ~/.claude.json lists, 1 found:",
    '    claude-code "/p/a/.mcp.json"',
    "not looked in:",
    "  VS Code workspace files",
    "  configs an administrator installs",
  ]);
  const report = formatDoctorReport([check]).split("\n");
  assert.deepEqual(report.slice(0, 4), [
    "! client_configs  no MCP client configs found",
    '                  hint: install Claude Desktop and add an MCP server, then run "thoth wrap-config"',
    "                  looked in:",
    '                    claude-desktop "/h/.config/Claude/c.json" (none)',
  ]);
});
