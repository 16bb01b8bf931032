import assert from "node:assert/strict";
import { isWholeJsonObject as isWholeBytes } from "../../src/config/whole_json_object.ts";

const isWholeJsonObject = (text: string) => isWholeBytes(new TextEncoder().encode(text));

const CONFIG = `\uFEFF// fleet config
{
  "mcpServers": {
    "fs": { "command": "npx", "args": ["-y", "server-fs", "/data \\"x\\" {"], /* a } in a comment */ },
    "日本": { "command": "node", "args": ["café ☕ \\\\", "🦕]"] },
  },
}
/* kept */ // and this
`;

Deno.test("isWholeJsonObject() takes a whole JSONC object, with a BOM, comments and brackets in strings", () => {
  assert.equal(isWholeJsonObject(CONFIG), true);
  assert.equal(isWholeJsonObject("{}"), true);
  assert.equal(isWholeJsonObject(' \n{"a": [1, {"b": "}]"}]}\r\n'), true);
  assert.equal(isWholeJsonObject('{"a": "\\\\"}'), true, "a string ending in a backslash");
});

Deno.test("isWholeJsonObject() refuses every cut of a config short of its end, at any byte", () => {
  const bytes = new TextEncoder().encode(CONFIG);
  const end = bytes.lastIndexOf("}".charCodeAt(0)) + 1;
  for (let cut = 0; cut < end; cut++) {
    assert.equal(isWholeBytes(bytes.subarray(0, cut)), false, `cut at byte ${cut}`);
  }
  assert.equal(isWholeBytes(bytes.subarray(0, end)), true, "cut right after the object");
  const text = new TextDecoder().decode(bytes.subarray(0, end));
  assert.equal(isWholeJsonObject(`${text}\n/* kep`), false, "a comment cut open");
  assert.equal(isWholeJsonObject(`${text}\n/`), false, "half a comment");
});

Deno.test("isWholeJsonObject() refuses what is no single object", () => {
  for (
    const text of [
      "",
      "   \n",
      "[]",
      '"text"',
      "first backup\n",
      '{"a": 1}}',
      '{"a": [1}',
      '{"a": 1} {"b": 2}',
      '{"a": 1} x',
      '{"a": "\\"}',
    ]
  ) {
    assert.equal(isWholeJsonObject(text), false, JSON.stringify(text));
  }
});
