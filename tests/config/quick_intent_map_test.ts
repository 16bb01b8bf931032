/** The intent map's plain reader against `parseIntentMap`: same map, or the same error. */
import assert from "node:assert/strict";
import { parseIntentMap } from "../../src/config/parse_intent_map.ts";
import {
  intentEntryFor,
  intentMapProblems,
  quickIntentMap,
  readIntentMap,
} from "../../src/config/quick_intent_map.ts";
import { isAppError } from "../../src/errors.ts";

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

Deno.test("intentEntryFor() takes the exact key, else the one wrap-config turns into the agent id", () => {
  const map = { "Everything Server": "a", "everything-server": "b", "gdrive\u200b": "c", x: "d" };
  assert.deepEqual(intentEntryFor(map, "everything-server", "m"), {
    key: "everything-server",
    intent: "b",
  });
  assert.deepEqual(intentEntryFor(map, "Everything-Server", "m"), {
    key: "Everything Server",
    intent: "a",
  });
  assert.deepEqual(intentEntryFor(map, "gdrive", "m"), { key: "gdrive\u200b", intent: "c" });
  assert.equal(intentEntryFor(map, "memory", "m"), undefined);
  assert.equal(
    intentEntryFor({ constructor: "a" } as Record<string, string>, "toString", "m"),
    undefined,
  );
  // Two names for one agent id: the same intent is no doubt, different ones refuse.
  assert.deepEqual(intentEntryFor({ "a b": "x", "a  b": "x" }, "a-b", "m")?.intent, "x");
  assert.throws(
    () => intentEntryFor({ "a b": "x", "a  b": "y" }, "a-b", "m"),
    (error: unknown) => isAppError(error, "intent_map.ambiguous"),
  );
  assert.deepEqual(
    intentEntryFor({ "a b": "x", "a  b": "y", "a-b": "z" }, "a-b", "m")?.intent,
    "z",
  );
});

Deno.test("intentMapProblems() names entries that never apply and entries that refuse a server", () => {
  assert.deepEqual(intentMapProblems({ gdrive: "a", "My Notes": "b" }), []);
  assert.deepEqual(intentMapProblems({ gdrive: "a", "gdrive\u200b": "b" }), [
    'the entry "gdrive\\u200b" stands for agent id "gdrive", which has an entry of its own: ' +
    "it never applies",
  ]);
  const [ambiguous, ...rest] = intentMapProblems({ "a b": "x", "a  b": "y" });
  assert.equal(rest.length, 0);
  assert.match(ambiguous ?? "", /^the entries "a b", "a {2}b" all stand for agent id "a-b"/);
});
