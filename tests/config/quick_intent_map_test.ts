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

Deno.test("intentEntryFor() takes the exact key, and refuses a server a server name may stand for", () => {
  const map = { "Everything Server": "a", "everything-server": "b", "gdrive\u200b": "c", x: "d" };
  assert.deepEqual(intentEntryFor(map, "everything-server", "m"), {
    key: "everything-server",
    intent: "b",
  });
  // A server name, not an agent id: it may mean this server or one wrap-config
  // numbered away from it ("notes café" and "notes-cafe" become notes-cafe and
  // notes-cafe-2), so the server is refused rather than given a guessed intent.
  for (const id of ["Everything-Server", "Everything-Server-2", "gdrive", "gdrive-3"]) {
    assert.throws(
      () => intentEntryFor(map, id, "m"),
      (error: unknown) =>
        isAppError(error, "intent_map.inexact") && error.message.includes(`agent id "${id}"`) &&
        error.hints[0]!.includes("thoth status"),
      id,
    );
  }
  assert.equal(intentEntryFor(map, "memory", "m"), undefined);
  assert.equal(intentEntryFor(map, "x-2", "m"), undefined, "an agent id key means that id only");
  assert.equal(
    intentEntryFor({ constructor: "a" } as Record<string, string>, "toString", "m"),
    undefined,
  );
  assert.deepEqual(intentEntryFor({ "a b": "x", "a-b": "z" }, "a-b", "m")?.intent, "z");
});

Deno.test("intentMapProblems() names every entry that is a server name, not an agent id", () => {
  assert.deepEqual(intentMapProblems({ gdrive: "a", "notes-cafe-2": "b" }), []);
  const problems = intentMapProblems({ gdrive: "a", "gdrive\u200b": "b", "My Notes": "c" });
  assert.equal(problems.length, 2);
  assert.match(problems[0] ?? "", /^the entry "gdrive\\u200b" is a server name, not an agent id/);
  assert.match(
    problems[1] ?? "",
    /a server "My-Notes" \(or a numbered "My-Notes-N"\) started without --intent is refused/,
  );
});
