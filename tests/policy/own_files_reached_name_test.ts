// A call blocked because it reaches a client's config (or a file that governs
// thoth) is explained with the file it reaches, not the first one protected:
// `read_text_file ~/.claude.json` names ~/.claude.json, not Claude Desktop's
// config; a folder that holds several is told one it holds.
import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { resourceGuard } from "../../src/enforcer/resource_guard.ts";
import { toolCall } from "./_call.ts";

const HOME = "/home/ana";
const CONFIGS = protectedClientConfigs({ os: "linux", env: { HOME } });
const POLICY = `${HOME}/policies/team.jsonc`;
const INTENTS = `${HOME}/policies/intents.json`;

function compiled() {
  return compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"), {
    home: HOME,
    os: "linux",
    bases: ["/srv/app"],
    ownFolders: [`${HOME}/.thoth`],
    governingFiles: [POLICY, INTENTS],
    clientConfigs: CONFIGS,
  });
}

const reasonOf = (args: Record<string, unknown>) => {
  const evaluation = evaluate(compiled(), toolCall("fs", "read_text_file", args), {
    intent: undefined,
  });
  assert.equal(evaluation.decision, "block");
  return { rule: evaluation.ruleIds[0], reason: evaluation.reasons[0]! };
};

Deno.test("a call that reads ~/.claude.json is told it reaches ~/.claude.json", () => {
  assert.notEqual(CONFIGS[0], `${HOME}/.claude.json`, "not the first protected file");
  for (const path of [`${HOME}/.claude.json`, "~/.claude.json", "$HOME/.claude.json"]) {
    const { rule, reason } = reasonOf({ path });
    assert.equal(rule, CLIENT_CONFIG_RULE);
    assert.match(
      reason,
      /^the arguments reach an MCP client's config file \("\/home\/ana\/\.claude\.json"\): /,
      path,
    );
    assert.doesNotMatch(reason, /claude_desktop_config/);
  }
});

Deno.test("a call that reaches the second governing file is told that file", () => {
  const { rule, reason } = reasonOf({ path: INTENTS });
  assert.equal(rule, OWN_FILES_RULE);
  assert.match(
    reason,
    /^the arguments reach a file that governs thoth \("\/home\/ana\/policies\/intents\.json": the policy in use/,
  );
});

Deno.test("a call on a folder that holds client configs is told one it holds", () => {
  const { reason } = reasonOf({ path: `${HOME}/.config/Code/User` });
  assert.match(
    reason,
    /^the arguments reach an MCP client's config file \("\/home\/ana\/\.config\/Code\/User\/[^"]+"\): /,
  );
});

Deno.test("the resource guard names the client config a resources/read reaches", () => {
  const guard = resourceGuard(compiled());
  const found = guard({ uri: `file://${HOME}/.cursor/mcp.json` });
  assert.match(found?.reaches ?? "", /\/home\/ana\/\.cursor\/mcp\.json/);
});
