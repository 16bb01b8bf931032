import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { tempDir } from "../e2e/_harness.ts";

Deno.test("thothDoctorPlugins() discovers Claude Desktop's servers at their standard place", async () => {
  await using dir = await tempDir();
  const configDir = `${dir.path}/.config/Claude`;
  await Deno.mkdir(configDir, { recursive: true });
  await Deno.writeTextFile(
    `${configDir}/claude_desktop_config.json`,
    JSON.stringify({
      mcpServers: {
        plain: { command: "/usr/bin/mcp-plain", args: [] },
        governed: {
          command: "/opt/thoth/bin/thoth",
          args: [
            "run",
            "--agent-id",
            "governed",
            "--enforcement-mode",
            "block",
            "--",
            "/usr/bin/mcp-x",
          ],
        },
        remote: { url: "https://example.com/mcp" },
      },
    }),
  );
  const env = { HOME: dir.path };
  const io = { selfCommand: ["/opt/thoth/bin/thoth"] } as unknown as CliIo;
  const discover = thothDoctorPlugins(io).discoverClients;
  assert.ok(discover);
  const reports = await discover({ env, thothHome: `${dir.path}/.thoth`, os: "linux" });
  const desktop = reports.find((r) => r.client === "claude-desktop");
  assert.ok(desktop, JSON.stringify(reports));
  assert.deepEqual(
    desktop.servers.map((s) => [s.name, s.governed, s.upstreamCommand]),
    [["plain", false, null], ["governed", true, "/usr/bin/mcp-x"]],
  );
});
