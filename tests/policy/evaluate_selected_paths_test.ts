import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

// Rules that read different argument paths in turn: each must see its own path's values.
const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [
    { id: "src-etc", match: { args: { source: { glob: "/etc/**" } } }, decision: "block" },
    { id: "dst-tmp", match: { args: { destination: { glob: "/tmp/**" } } }, decision: "step_up" },
    { id: "src-home", match: { args: { source: { glob: "/home/**" } } }, decision: "step_up" },
    {
      id: "both-data",
      match: { args: { destination: { glob: "/data/**" }, source: { glob: "/data/**" } } },
      decision: "block",
    },
    { id: "src-again", match: { args: { source: { prefix: "/home/ana" } } }, decision: "block" },
  ],
});

Deno.test("rules that read different argument paths in turn each see their own values", () => {
  const policy = compilePolicy(parsePolicy(POLICY, "p.json"));
  const ids = (source: string, destination: string) =>
    evaluate(policy, toolCall("fs", "move_file", { source, destination }), {}).matches
      .filter((m) => m.source === "rule").map((m) => m.id).toSorted();
  assert.deepEqual(ids("/etc/passwd", "/tmp/x"), ["dst-tmp", "src-etc"]);
  assert.deepEqual(ids("/tmp/x", "/etc/passwd"), []);
  assert.deepEqual(ids("/home/ana/a", "/tmp/b"), ["dst-tmp", "src-again", "src-home"]);
  assert.deepEqual(ids("/home/bob/a", "/data/b"), ["src-home"]);
  assert.deepEqual(ids("/data/a", "/data/b"), ["both-data"]);
  assert.deepEqual(ids("/data/a", "/home/ana/b"), []);
  // The same policy, calls in another order: nothing is carried from one call to the next.
  assert.deepEqual(ids("/data/a", "/data/b"), ["both-data"]);
  assert.deepEqual(ids("/etc/passwd", "/tmp/x"), ["dst-tmp", "src-etc"]);
});
