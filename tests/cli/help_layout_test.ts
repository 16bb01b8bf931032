import assert from "node:assert/strict";
import { commandSummary, flowText } from "../../src/cli/help_layout.ts";

Deno.test("flowText() joins a paragraph's lines and keeps blank lines and table rows", () => {
  assert.equal(
    flowText(
      "checks every\ntools/call against policy\n\n--since takes:\n  30m  an age\n  7d   days\nafter",
    ),
    "checks every tools/call against policy\n\n--since takes:\n  30m  an age\n  7d   days\nafter",
  );
  assert.equal(
    commandSummary("", "list records\nas a table\n\n  30m  an age"),
    "list records as a table",
  );
  assert.equal(commandSummary("short", "long\ntext"), "short");
});
