/**
 * `topLevelKeys()` finds the keys of a line's outermost object by tracking
 * nesting: a key nested in a value or quoted in a string never counts,
 * wherever it stands, and an escaped key is read as a parser reads it.
 */
import assert from "node:assert/strict";
import { topLevelKeys } from "../../src/protocol/top_level_keys.ts";
import { threadCpu } from "../_thread_cpu.ts";

const enc = new TextEncoder();

/** `text` as the parts a reader might get it in, `size` bytes each. */
function parts(text: string, size: number): Uint8Array[] {
  const bytes = enc.encode(text);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** The answer for every way of cutting `text` into parts. */
function read(text: string) {
  const whole = topLevelKeys(parts(text, text.length + 1));
  for (const size of [1, 2, 3, 7]) {
    assert.deepEqual(topLevelKeys(parts(text, size)), whole, `${text} cut every ${size} bytes`);
  }
  return whole;
}

Deno.test("topLevelKeys() counts only the outermost object's keys", () => {
  assert.deepEqual(
    read('{"jsonrpc":"2.0","id":1,"result":{"structuredContent":{"ok":true,"error":null}}}'),
    { keys: ["jsonrpc", "id", "result"], jsonrpc: "2.0" },
  );
  assert.deepEqual(
    read(
      '{"jsonrpc":"2.0","id":1,"result":{"text":"\\"error\\": 1, \\\\"},"error":{"message":"x"}}',
    ),
    { keys: ["jsonrpc", "id", "result", "error"], jsonrpc: "2.0" },
  );
  assert.deepEqual(read('{"result":[{"a":[1,{"error":2}]}],"\\u0065rror":null}')!.keys, [
    "result",
    "error",
  ]);
  assert.deepEqual(read(' {"a" : 1 , "b":"x"} \r\n')!.keys, ["a", "b"]);
});

Deno.test("topLevelKeys() keeps the jsonrpc value only when it is a string", () => {
  assert.equal(read('{"jsonrpc":"1.0","id":1}')!.jsonrpc, "1.0");
  assert.equal(read('{"jsonrpc":2,"id":1}')!.jsonrpc, undefined);
  assert.equal(read('{"jsonrpc":{"v":"2.0"},"id":1}')!.jsonrpc, undefined);
  assert.equal(read('{"id":1,"result":{"jsonrpc":"2.0"}}')!.jsonrpc, undefined);
  assert.equal(read('{"jsonrpc":"2.0","jsonrpc":5}')!.jsonrpc, undefined);
});

Deno.test("topLevelKeys() finds no object in what is not one", () => {
  for (
    const text of ['[{"a":1}]', '{"a":1', '{"a":"1}', '{"a":1}}', '{"a":1} x', '{"a":1}{}', "x"]
  ) {
    assert.equal(read(text), undefined, text);
  }
});

Deno.test("topLevelKeys() skips bytes that are not UTF-8 in a string", () => {
  const bytes = enc.encode('{"jsonrpc":"2.0","id":1,"result":{"text":"a?b"}}');
  bytes[bytes.indexOf(0x3f)] = 0xff;
  assert.deepEqual(topLevelKeys([bytes]), { keys: ["jsonrpc", "id", "result"], jsonrpc: "2.0" });
});

Deno.test("topLevelKeys() reads a long line in time linear in its length", () => {
  // Many escapes in one long string, in 8 KiB parts: each escape is found once, never searched
  // past again, and no part is looked at again for a later one. Bounded is the CPU this thread
  // spends (milliseconds; seconds when each part rescans the string's earlier parts), not the
  // wall clock, which a machine busy with other tests stretches.
  const text = `{"jsonrpc":"2.0","id":1,"result":{"text":"${"a\\n".repeat(2_000_000)}"}}`;
  const cut = parts(text, 8 * 1024);
  const { value, cpuMs } = threadCpu(() => topLevelKeys(cut));
  assert.deepEqual(value!.keys, ["jsonrpc", "id", "result"]);
  assert.ok(cpuMs < 1_000, `a 6 MB line read in ${cpuMs.toFixed(0)} ms of CPU`);
});
