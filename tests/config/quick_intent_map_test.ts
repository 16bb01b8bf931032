/** The intent map's plain reader against `parseIntentMap`: same map, or the same error. */
import assert from "node:assert/strict";
import { parseIntentMap } from "../../src/config/parse_intent_map.ts";
import { quickIntentMap, readIntentMap } from "../../src/config/quick_intent_map.ts";

function outcome(read: () => Record<string, string>): unknown {
  try {
    return { map: { ...read() } };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

Deno.test("readIntentMap answers as parseIntentMap does, map or error", async () => {
  const texts = [
    '{"gdrive": "calendar_management"}',
    '{ // comment\n "a": "x.y:z-1", "b": "b_2", }',
    "{}",
    '{"a": "bad name"}',
    '{"a": 1}',
    '{"a": "x", "a": "y"}',
    "[]",
    '"x"',
    "{",
    '{"__proto__": "x"}',
    '{"constructor": "calendar"}',
  ];
  let quick = 0;
  for (const text of texts) {
    if (quickIntentMap(text) !== undefined) quick++;
    const expected = outcome(() => parseIntentMap(text, "intent_map.json"));
    let actual: unknown;
    try {
      actual = { map: { ...(await readIntentMap(text, "intent_map.json")) } };
    } catch (error) {
      actual = { error: (error as Error).message };
    }
    assert.deepEqual(actual, expected, text);
  }
  assert.equal(quick, 4);
});
