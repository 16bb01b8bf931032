import assert from "node:assert/strict";
import { buildSessionEnforcer } from "../../src/enforcer/build_session_enforcer.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { localConfig } from "./_local_config.ts";

const policy = parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: ["/fixed", "/r1", "/r2", "/r3"].map((folder, i) => ({
      id: `no-secret-${i}`,
      match: { args: { path: { glob: `${folder}/secret/**` } } },
      decision: "block",
    })),
  }),
  "t.jsonc",
);

function read(path: string): ToolCall {
  return {
    server: "fs",
    tool: "read_file",
    arguments: { path },
    annotations: undefined,
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

const roots = (...folders: string[]) => ({ roots: folders.map((f) => ({ uri: `file://${f}` })) });

Deno.test("buildSessionEnforcer() resolves relative paths in the client's latest and previous roots", async () => {
  const thothHome = await tempFolder("thoth-session-");
  await bootstrapProfile(thothHome, Deno.build.os);
  const session = await buildSessionEnforcer(
    localConfig(policy, "block", thothHome, { bases: ["/fixed"] }),
    "fs",
    () => {},
  );
  let n = 0;
  const blockedBy = async () => {
    const verdict = await session.enforcer.decide(read("secret/x"), () => `d-${++n}`);
    return verdict.decision === "block" ? verdict.ruleIds.toSorted() : [];
  };
  try {
    assert.deepEqual(await blockedBy(), ["no-secret-0"]);
    session.events!.rootsListed!(roots("/r1"));
    assert.deepEqual(await blockedBy(), ["no-secret-0", "no-secret-1"]);
    session.events!.rootsListed!(roots("/r2"));
    assert.deepEqual(await blockedBy(), ["no-secret-0", "no-secret-1", "no-secret-2"]);
    session.events!.rootsListed!(roots("/r3"));
    assert.deepEqual(
      await blockedBy(),
      ["no-secret-0", "no-secret-2", "no-secret-3"],
      "roots two answers old are dropped",
    );
    session.events!.rootsListed!({ roots: [] });
    assert.deepEqual(
      await blockedBy(),
      ["no-secret-0", "no-secret-2", "no-secret-3"],
      "an empty answer changes nothing",
    );
    // A long list of old roots does not crowd out the new one.
    const many = Array.from({ length: 80 }, (_, i) => `/old${i}`);
    session.events!.rootsListed!(roots(...many));
    session.events!.rootsListed!(roots("/r1"));
    assert.deepEqual(await blockedBy(), ["no-secret-0", "no-secret-1"]);
    // However many roots the client lists, the server's own folders stay.
    session.events!.rootsListed!(roots(...many));
    assert.ok((await blockedBy()).includes("no-secret-0"), "the working folder is kept");
  } finally {
    session.endSession?.();
    await session.audit?.end(0, null);
  }
});
