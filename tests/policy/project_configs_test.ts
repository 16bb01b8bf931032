import assert from "node:assert/strict";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import type { PathOptions } from "../../src/policy/compile_predicate.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { compileProjectConfigs } from "../../src/policy/project_configs.ts";
import { toolCall } from "./_call.ts";

const LINUX: PathOptions = { os: "linux", home: "/home/ana", bases: ["/srv/app"] };
const DARWIN: PathOptions = { os: "darwin", home: "/Users/ana", bases: ["/Users/ana/app"] };
const WINDOWS: PathOptions = { os: "windows", home: "C:\\Users\\ana", bases: ["C:\\src\\app"] };

function reaches(options: PathOptions, values: readonly string[], expected: boolean): void {
  const configs = compileProjectConfigs(options);
  for (const value of values) {
    assert.equal(configs.reaches({ path: value }), expected, `${options.os}: ${value}`);
    assert.equal(configs.reaches({ [value]: 1 }), expected, `${options.os} key: ${value}`);
  }
}

Deno.test("project configs: each client's, in any folder, however the path is written", () => {
  reaches(LINUX, [
    ".mcp.json",
    "./.mcp.json",
    "/srv/app/.mcp.json",
    "/home/ana/src/web/.mcp.json",
    "sub/dir/.cursor/mcp.json",
    ".vscode/mcp.json",
    "/srv/app/.claude/settings.json",
    ".claude/settings.local.json",
    "~/src/x/.vscode/mcp.json",
    "/srv/app/%2emcp.json",
    "/srv/app/.vscode/%6dcp.json",
    "file:///srv/app/.mcp.json",
    "src/../.mcp.json",
    "//srv//app/./.cursor/mcp.json",
  ], true);
  reaches(DARWIN, [".MCP.json", "/Users/ana/app/.VSCode/MCP.JSON", ".Claude/Settings.json"], true);
  reaches(WINDOWS, [
    ".mcp.json",
    "C:\\src\\app\\.vscode\\mcp.json",
    ".MCP.JSON",
    ".mcp.json.",
    ".mcp.json::$DATA",
    "D:/other/.cursor/mcp.json",
    ".claude\\settings.local.json",
  ], true);
});

Deno.test("project configs: the folders themselves, not what else they hold", () => {
  reaches(
    LINUX,
    [".vscode", ".vscode/", "/srv/app/.cursor", "/srv/app/.claude/", "x/.vscode/."],
    true,
  );
  reaches(WINDOWS, [".vscode.", "C:\\src\\app\\.cursor\\"], true);
  reaches(LINUX, [
    ".vscode/launch.json",
    ".vscode/settings.json",
    ".vscode/tasks.json",
    ".claude/commands/review.md",
    ".cursorrules",
    ".cursor-old",
    "mcp.json",
    "a.mcp.json",
    ".mcp.json.bak",
    ".mcp.json.d/x",
    "/srv/app/.vscodeignore",
    "/srv/app/docs/settings.json",
  ], false);
});

Deno.test("project configs: a text that mentions one, or a shell command, is no path", () => {
  const configs = compileProjectConfigs(LINUX);
  for (
    const text of [
      "Add this server to your .mcp.json to use it.",
      "see .vscode/mcp.json and .cursor/mcp.json",
      "echo '{}' > .mcp.json",
      "cat .claude/settings.json",
    ]
  ) {
    assert.equal(configs.reaches({ content: text }), false, text);
  }
});

Deno.test("project configs: JSON a string holds, and a server folder inside a config folder", () => {
  const configs = compileProjectConfigs(LINUX);
  assert.equal(configs.reaches({ edits: '[{"path": "\\u002emcp.json"}]' }), true);
  assert.equal(configs.reaches({ edits: '[{"path": "notes.md"}]' }), false);
  const options: PathOptions = { os: "linux", home: "/home/ana", bases: ["/srv/app"] };
  const inside = compileProjectConfigs(options);
  assert.equal(inside.reaches({ path: "." }), false);
  assert.equal(inside.reaches({ path: "launch.json" }), false);
  // The client's roots arrive: the server now works inside a project's .vscode folder.
  options.bases = ["/srv/app/.vscode"];
  assert.equal(inside.reaches({ path: "." }), true);
  assert.equal(inside.reaches({ path: "mcp.json" }), true);
  assert.equal(inside.reaches({ path: "launch.json" }), false);
});

const HOME = "/home/ana";

function sessionPolicy(mode: "profile" | "none") {
  const text = JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{ id: "allow-all", match: { tool: "*" }, decision: "allow" }],
  });
  return compilePolicy(
    parsePolicy(text, "p.jsonc"),
    mode === "none" ? {} : {
      home: HOME,
      os: "linux",
      bases: ["/srv/app"],
      ownFolders: [`${HOME}/.thoth`],
      clientConfigs: protectedClientConfigs({ os: "linux", env: { HOME } }),
    },
  );
}

Deno.test("project configs: blocked as a client config before the policy, and explained", () => {
  const policy = sessionPolicy("profile");
  const evaluation = evaluate(
    policy,
    toolCall("fs", "write_file", { path: ".mcp.json", content: "{}" }),
    {},
  );
  assert.equal(evaluation.decision, "block");
  assert.deepEqual(evaluation.ruleIds, [CLIENT_CONFIG_RULE]);
  assert.match(evaluation.reasons[0]!, /project config/);
  assert.match(evaluation.reasons[0]!, /write project configs yourself/i);
  // The profile's protection still comes first.
  const both = evaluate(
    policy,
    toolCall("fs", "move_file", { source: "~/.thoth/keys", destination: ".mcp.json" }),
    {},
  );
  assert.deepEqual(both.ruleIds, [OWN_FILES_RULE]);
  const explained = explainCall(
    policy,
    toolCall("fs", "write_file", { path: ".vscode/mcp.json" }),
    {
      intent: undefined,
      mode: "observe",
    },
  );
  assert.equal(explained.action.action, "block");
  // A policy compiled without the clients' configs (a library user's) has no such protection.
  const plain = evaluate(
    sessionPolicy("none"),
    toolCall("fs", "write_file", { path: ".mcp.json" }),
    {},
  );
  assert.equal(plain.decision, "allow");
});
