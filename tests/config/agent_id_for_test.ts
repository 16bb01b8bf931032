import assert from "node:assert/strict";
import { agentIdFor } from "../../src/config/agent_id_for.ts";
import { checkAgentId } from "../../src/cli/check_run_ids.ts";

Deno.test("agentIdFor() keeps a valid name and turns any other into one thoth run takes", () => {
  const cases: [string, string][] = [
    ["gdrive", "gdrive"],
    ["server.v2_beta-1", "server.v2_beta-1"],
    ["notes-café", "notes-cafe"],
    ["Zoë's files", "Zoe-s-files"],
    ["My Notes (work)", "My-Notes-work"],
    ["-dash-first", "dash-first"],
    ["日本語", "server"],
    ["", "server"],
    ["x".repeat(300), "x".repeat(120)],
  ];
  for (const [name, id] of cases) {
    assert.equal(agentIdFor(name), id, name);
    assert.equal(
      checkAgentId(agentIdFor(name)),
      agentIdFor(name),
      `${name} is accepted by thoth run`,
    );
  }
});

Deno.test("agentIdFor() numbers a derived id another server has", () => {
  const taken = new Set(["notes-cafe"]);
  assert.equal(agentIdFor("notes café", taken), "notes-cafe-2");
  assert.equal(agentIdFor("notes-café", taken), "notes-cafe-3");
  assert.equal(agentIdFor("日本語", taken), "server");
  assert.equal(agentIdFor("中文", taken), "server-2");
  assert.equal(agentIdFor("valid", taken), "valid", "a valid name is its own id");
  assert.ok(taken.has("valid") && taken.has("server-2"));
});
