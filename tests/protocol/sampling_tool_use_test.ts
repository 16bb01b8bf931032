import assert from "node:assert/strict";
import { readInputResponse, readToolUses } from "../../src/protocol/sampling_tool_use.ts";

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

Deno.test("readInputResponse() reads an answer as it is and wrapped under result", () => {
  const answer = { role: "assistant", content: [use("a", { x: 1 })] };
  assert.deepEqual(readInputResponse(answer), { ok: true, uses: [{ name: "a", input: { x: 1 } }] });
  assert.deepEqual(readInputResponse({ result: answer }), {
    ok: true,
    uses: [{ name: "a", input: { x: 1 } }],
  });
  // Both shapes at once: a server may read either, so the tools of both count.
  assert.deepEqual(readInputResponse({ content: use("a"), result: { content: use("b") } }), {
    ok: true,
    uses: [{ name: "a", input: {} }, { name: "b", input: {} }],
  });
});

Deno.test("readInputResponse() finds nothing in answers without tool_use blocks", () => {
  for (
    const entry of [
      "odd",
      null,
      7,
      [],
      { result: { content: { type: "text", text: "x" } } },
      { result: { action: "accept", content: { name: "Ana" } } },
      { error: { code: -1, message: "no" } },
      // A tool's input is its own: a block there is no block of the answer's.
      { result: { content: use("a", { nested: use("b") }) } },
    ]
  ) {
    const read = readInputResponse(entry);
    assert.equal(read.ok, true, JSON.stringify(entry));
    assert.equal(read.ok && read.uses.filter((u) => u.name !== "a").length, 0);
  }
});

Deno.test("readInputResponse() reports a tool_use block it does not read, with where it is", () => {
  const cases: [unknown, string][] = [
    [{ result: { result: { content: use("a") } } }, "result.result.content"],
    [{ Result: { content: [use("a")] } }, "Result.content[0]"],
    [[{ content: use("a") }], "[0].content"],
    [{ result: [use("a")] }, "result[0]"],
    [{ content: [[use("a")]] }, "content[0][0]"],
    [{ content: use("a"), extra: { "odd key": { TYPE: "tool_use" } } }, 'extra["odd key"]'],
    [use("a"), "the top of the answer"],
  ];
  for (const [entry, place] of cases) {
    assert.deepEqual(readInputResponse(entry), {
      ok: false,
      problem: `a tool_use block at ${place} is not where thoth reads one (the answer's ` +
        "content, or its result's content)",
    });
  }
});

Deno.test("readInputResponse() reports a wrapped answer it cannot read for sure", () => {
  assert.deepEqual(readInputResponse({ result: { content: use(42) } }), {
    ok: false,
    problem: "its result: a tool_use block cannot be read: its name must be a non-empty string",
  });
  assert.deepEqual(readInputResponse({ result: { CONTENT: [] } }), {
    ok: false,
    problem: 'its result: the result has the key "CONTENT"',
  });
});

Deno.test("readInputResponse() walks a deeply nested entry without overflowing", () => {
  let deep: unknown = use("a");
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const read = readInputResponse({ result: deep });
  assert.equal(read.ok, false);
  assert.match(!read.ok ? read.problem : "", /^a tool_use block at result\[0\]\[0\]/);
});
