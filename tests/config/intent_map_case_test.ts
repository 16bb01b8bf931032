/** `intentEntryFor()` refuses a key that differs from the agent id only by case. */
import assert from "node:assert/strict";
import { intentEntryFor } from "../../src/config/quick_intent_map.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("intentEntryFor() refuses a key that differs from the agent id only by case, naming the key to write", () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ Fault: "reading" }, "fault", "Fault"],
    [{ fault: "reading" }, "FAULT", "fault"],
    // A server name whose agent id differs only by case.
    [{ "My Notes": "reading" }, "my-notes", "My Notes"],
    // The id a numbered one was made from, differing only by case.
    [{ "notes café": "reading" }, "Notes-Cafe-2", "notes café"],
    [{ "Notes Café": "reading" }, "notes-cafe-3", "Notes Café"],
  ];
  for (const [map, id, key] of cases) {
    assert.throws(
      () => intentEntryFor(map, id, "intent_map.json"),
      (error: unknown) =>
        isAppError(error, "intent_map.inexact") &&
        error.message.includes(`agent id "${id}"`) &&
        error.message.includes(`"${key}" differs from it only by case`) &&
        error.hints[0] === `rename the entry "${key}" to "${id}" (the agent id "thoth status" ` +
            "shows for this server), or pass --intent",
      id,
    );
  }
});

Deno.test("intentEntryFor() still takes the exact key, and ignores keys that differ by more than case", () => {
  assert.deepEqual(intentEntryFor({ fault: "a", Fault: "b" }, "fault", "m"), {
    key: "fault",
    intent: "a",
  });
  assert.equal(intentEntryFor({ faults: "a", Faul: "b" }, "fault", "m"), undefined);
  // An agent id (no server name) is never a numbered base: "Fault-2" is not near "fault".
  assert.equal(intentEntryFor({ fault: "a" }, "Fault-2", "m"), undefined);
});
