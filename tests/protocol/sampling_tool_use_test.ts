import assert from "node:assert/strict";
import { readToolUses } from "../../src/protocol/sampling_tool_use.ts";

const use = (name: unknown, input: unknown = {}) => ({ type: "tool_use", id: "t", name, input });

Deno.test("readToolUses() reads tool_use blocks from content as an object or an array", () => {
  assert.deepEqual(readToolUses({ content: use("rm", { path: "/" }) }), {
    ok: true,
    uses: [{ name: "rm", input: { path: "/" } }],
  });
  assert.deepEqual(
    readToolUses({
      content: [{ type: "text", text: "hi" }, use("a"), use("b", null), { type: "image" }],
    }),
    { ok: true, uses: [{ name: "a", input: {} }, { name: "b", input: undefined }] },
  );
});

Deno.test("readToolUses() finds nothing in a text answer or a value that is no result", () => {
  for (const result of [{ content: { type: "text", text: "x" } }, {}, null, [use("a")], "x"]) {
    assert.deepEqual(readToolUses(result), { ok: true, uses: [] });
  }
  // A block whose type is not exactly "tool_use" is no tool use.
  assert.deepEqual(readToolUses({ content: { type: "Tool_use", name: "a", input: {} } }), {
    ok: true,
    uses: [],
  });
});

Deno.test("readToolUses() reports what it cannot read for sure", () => {
  const problems: [unknown, RegExp][] = [
    [{ content: use(3) }, /its name must be a non-empty string/],
    [{ content: use("") }, /its name must be a non-empty string/],
    [{ content: use("x".repeat(300)) }, /its name is longer than 256 characters/],
    [{ content: use("a", "rm -rf") }, /its input must be an object/],
    [{ Content: use("a") }, /the result has the key "Content"/],
    [{ content: [{ ...use("a"), Input: { x: 1 } }] }, /a content block has the key "Input"/],
    [{ content: [{ TYPE: "tool_use", type: "text", name: "a" }] }, /the key "TYPE"/],
  ];
  for (const [result, problem] of problems) {
    const read = readToolUses(result);
    assert.equal(read.ok, false);
    if (!read.ok) assert.match(read.problem, problem);
  }
});
