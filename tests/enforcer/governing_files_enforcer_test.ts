import assert from "node:assert/strict";
import { buildSessionEnforcer } from "../../src/enforcer/build_session_enforcer.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { localConfig } from "./_local_config.ts";

const policy = parsePolicy(JSON.stringify({ version: 1, default: "allow" }), "t.jsonc");

function call(tool: string, args: Record<string, unknown>): ToolCall {
  return {
    server: "filesystem",
    tool,
    arguments: args,
    annotations: undefined,
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

let n = 0;
const ids = () => `d-${++n}`;

Deno.test("buildSessionEnforcer() keeps the files that govern thoth outside its profile out of reach", async () => {
  const thothHome = await tempFolder("thoth-governing-");
  await bootstrapProfile(thothHome, Deno.build.os);
  // A --policy file elsewhere, and where a linked policy.jsonc leads.
  const governingFiles = ["/srv/policies/ext.jsonc", "/etc/thoth/managed.jsonc"];
  for (const mode of ["observe", "block"] as const) {
    const session = await buildSessionEnforcer(
      localConfig(policy, mode, thothHome, { governingFiles, bases: ["/srv/policies"] }),
      "filesystem",
      () => {},
    );
    const decide = async (tool: string, args: Record<string, unknown>) =>
      await session.enforcer.decide(call(tool, args), ids);
    for (
      const [tool, args] of [
        ["write_file", { path: "/srv/policies/ext.jsonc", content: "{}" }],
        ["write_file", { path: "ext.jsonc", content: "{}" }],
        ["write_file", { path: "/etc/thoth/managed.jsonc", content: "{}" }],
        ["run", { command: "cp /tmp/open.jsonc /etc/thoth/managed.jsonc" }],
      ] as const
    ) {
      const v = await decide(tool, args);
      assert.equal(v.decision, "block", `${mode} ${JSON.stringify(args)}`);
      assert.deepEqual(v.ruleIds, [OWN_FILES_RULE]);
      assert.ok(v.reasons.some((r) => /a file that governs thoth/.test(r)), v.reasons.join());
    }
    // The other files beside them are the policy's business.
    const other = await decide("write_file", { path: "/srv/policies/notes.txt", content: "x" });
    assert.equal(other.decision, "allow", mode);
    session.endSession?.();
    await session.audit?.end(0, null);
  }
});
