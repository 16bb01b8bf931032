// A governed server must not reach an MCP client's own config file: editing one
// could take the server out of thoth's governance at its next start, and
// reading one shows other servers' credentials. Blocked in every mode, like
// thoth's own profile folder, under its own rule.
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { ENFORCEMENT_MODES } from "../../src/policy/enforcement_mode.ts";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { toolCall } from "./_call.ts";

const HOME = "/home/ana";
const CONFIGS = protectedClientConfigs({ os: "linux", env: { HOME } });

function compiled() {
  return compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"), {
    home: HOME,
    os: "linux",
    bases: ["/srv/app"],
    ownFolders: [`${HOME}/.thoth`],
    clientConfigs: CONFIGS,
  });
}

Deno.test("protectedClientConfigs lists each client's user config, and none without a home", () => {
  assert.deepEqual([...CONFIGS].sort(), [
    `${HOME}/.claude.json`,
    `${HOME}/.claude/settings.json`,
    `${HOME}/.claude/settings.local.json`,
    `${HOME}/.codeium/windsurf/mcp_config.json`,
    `${HOME}/.config/Claude/claude_desktop_config.json`,
    `${HOME}/.config/Code - Insiders/User/mcp.json`,
    `${HOME}/.config/Code - Insiders/User/profiles`,
    `${HOME}/.config/Code - Insiders/User/settings.json`,
    `${HOME}/.config/Code/User/mcp.json`,
    `${HOME}/.config/Code/User/profiles`,
    `${HOME}/.config/Code/User/settings.json`,
    `${HOME}/.config/VSCodium/User/mcp.json`,
    `${HOME}/.config/VSCodium/User/profiles`,
    `${HOME}/.config/VSCodium/User/settings.json`,
    `${HOME}/.cursor/mcp.json`,
  ]);
  const mac = protectedClientConfigs({ os: "darwin", env: { HOME: "/Users/ana" } });
  assert.ok(
    mac.includes("/Users/ana/Library/Application Support/Claude/claude_desktop_config.json"),
  );
  const windows = protectedClientConfigs({
    os: "windows",
    env: { USERPROFILE: "C:\\Users\\ana", APPDATA: "C:\\Users\\ana\\AppData\\Roaming" },
  });
  assert.ok(
    windows.includes("C:\\Users\\ana\\AppData\\Roaming\\Claude\\claude_desktop_config.json"),
  );
  assert.ok(windows.includes("C:\\Users\\ana\\AppData\\Roaming\\Code\\User\\profiles"));
  assert.ok(windows.includes("C:\\Users\\ana\\.claude\\settings.json"));
  assert.ok(
    mac.includes("/Users/ana/Library/Application Support/VSCodium/User/settings.json"),
  );
  assert.deepEqual(protectedClientConfigs({ os: "linux", env: {} }), []);
});

Deno.test("a call that writes or reads a client's config is blocked in every mode", () => {
  const policy = compiled();
  const reaching = [
    { path: `${HOME}/.config/Claude/claude_desktop_config.json`, content: "{}" },
    { path: "~/.claude.json" },
    { source: "/tmp/x.json", destination: "~/.cursor/mcp.json" },
    { command: "sed -i s/thoth// ~/.config/Code/User/mcp.json" },
    { path: `file://${HOME}/.config/Claude/%63laude_desktop_config.json` },
  ];
  for (const args of reaching) {
    const call = toolCall("fs", "write_file", args);
    const evaluation = evaluate(policy, call, { intent: undefined });
    assert.deepEqual(evaluation.ruleIds, [CLIENT_CONFIG_RULE], JSON.stringify(args));
    assert.match(evaluation.reasons[0]!, /MCP client's config file/);
    for (const mode of ENFORCEMENT_MODES) {
      const explained = explainCall(policy, call, { intent: undefined, mode });
      assert.equal(explained.action.action, "block", `${mode}: ${JSON.stringify(args)}`);
    }
  }
});

Deno.test("other files named like a client's config, and prose, still pass", () => {
  const policy = compiled();
  for (
    const args of [
      { path: `${HOME}/.config/Claude/claude_desktop_config.json.bak` },
      { path: "/srv/app/.vscode/settings.json" },
      { path: "mcp.json" },
      { text: "edit claude_desktop_config.json to add a server" },
    ]
  ) {
    const evaluation = evaluate(policy, toolCall("fs", "read_file", args), { intent: undefined });
    assert.ok(
      !evaluation.ruleIds.includes(CLIENT_CONFIG_RULE) &&
        !evaluation.ruleIds.includes(OWN_FILES_RULE),
      `${JSON.stringify(args)}: ${evaluation.ruleIds.join(", ")}`,
    );
  }
});
