import assert from "node:assert/strict";
import { deriveAgentId } from "../../src/proxy/derive_agent_id.ts";

const cases: [string, string[], string][] = [
  ["npx", ["-y", "@modelcontextprotocol/server-gdrive"], "server-gdrive"],
  [
    "npx",
    ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/data"],
    "server-filesystem",
  ],
  [
    "deno",
    ["run", "-A", "npm:@modelcontextprotocol/server-everything@2026.8.31", "stdio"],
    "server-everything",
  ],
  ["uvx", ["mcp-server-git==1.2", "--repository", "."], "mcp-server-git"],
  ["node", ["/home/ana/servers/slack.js"], "slack"],
  ["/usr/local/bin/Jira MCP", [], "jira-mcp"],
  ["C:\\tools\\weather.exe", ["--port", "1"], "weather"],
  ["python3", ["-m"], "python3"],
];

for (const [command, args, expected] of cases) {
  Deno.test(`deriveAgentId() names ${JSON.stringify([command, ...args].join(" "))} "${expected}"`, () => {
    assert.equal(deriveAgentId(command, args), expected);
  });
}
