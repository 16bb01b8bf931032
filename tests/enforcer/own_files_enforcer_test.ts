import assert from "node:assert/strict";
import { buildSessionEnforcer } from "../../src/enforcer/build_session_enforcer.ts";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { ENFORCEMENT_MODES } from "../../src/policy/enforcement_mode.ts";
import { OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ViolationCounter } from "../../src/policy/violation_counter.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { localConfig } from "./_local_config.ts";

// A write is a violation (the rule a reviewer's server broke once: a first warning).
const policy = parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{ id: "writes", match: { tool: "write_file" }, decision: "block" }],
  }),
  "t.jsonc",
);

function write(path: string): ToolCall {
  return {
    server: "filesystem",
    tool: "write_file",
    arguments: { path, content: '{"version":1,"entries":{}}' },
    annotations: { destructiveHint: true },
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

let n = 0;
const ids = () => `d-${++n}`;

Deno.test("LocalEnforcer blocks a call that reaches thoth's files in every mode, counting nothing", async () => {
  const counted: string[][] = [];
  const counter: ViolationCounter = {
    recordViolations: (_key, ruleIds) => {
      counted.push([...ruleIds]);
      return {};
    },
  };
  const compiled = compilePolicy(policy, {
    home: "/home/ana",
    os: "linux",
    ownFolders: ["/home/ana/.thoth"],
  });
  for (const mode of ENFORCEMENT_MODES) {
    const e = new LocalEnforcer({ policy: compiled, mode, userId: "ana", counter });
    const v: LocalVerdict = await e.decide(write("~/.thoth/state/progressive.json"), ids);
    assert.equal(v.decision, "block", mode);
    assert.equal(v.action.action, "block", mode);
    assert.deepEqual(v.ruleIds, [OWN_FILES_RULE]);
    assert.equal(v.warn, undefined);
    assert.ok(v.reasons.some((r) => /never forwarded, in any mode/.test(r)), mode);
    // The ordinary write is the policy's business: forwarded with a warning, asked, or blocked.
    const other = await e.decide(write("/home/ana/notes.txt"), ids);
    assert.deepEqual(other.ruleIds, ["writes"], mode);
  }
  assert.equal(counted.some((ids) => ids.includes(OWN_FILES_RULE)), false);
});

Deno.test("buildSessionEnforcer() protects the profile folder and its real path, whatever the mode", async () => {
  const thothHome = await tempFolder("thoth-own-");
  await bootstrapProfile(thothHome, Deno.build.os);
  for (const mode of ["observe", "progressive"] as const) {
    const session = await buildSessionEnforcer(
      localConfig(policy, mode, thothHome, {
        thothHomeReal: "/data/profiles/t",
        bases: ["/srv"],
      }),
      "filesystem",
      () => {},
    );
    const decide = async (path: string) => await session.enforcer.decide(write(path), ids);
    for (
      const path of [
        `${thothHome}/state/progressive.json`,
        `${thothHome}/approvals/x.answer.json`,
        "/data/profiles/t/keys/hmac.key",
      ]
    ) {
      const v = await decide(path);
      assert.equal(v.decision, "block", `${mode} ${path}`);
      assert.deepEqual(v.ruleIds, [OWN_FILES_RULE]);
    }
    const other = await decide("/srv/notes.txt");
    assert.notEqual(other.ruleIds[0], OWN_FILES_RULE);
    session.endSession?.();
    await session.audit?.end(0, null);
  }
});
