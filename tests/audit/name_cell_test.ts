/**
 * How `thoth audit show` writes a server, tool or prompt name in a cell: a
 * plain MCP name as it is, any other quoted with `"` and `\` escaped and
 * every character outside printable ASCII as `\uXXXX`, so distinct names
 * never print the same; a long one is cut between escapes. A
 * `tools_snapshot` row says how many tools its listing held, in records of
 * this release and of earlier ones.
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { nameCell } from "../../src/audit/name_cell.ts";

Deno.test("nameCell() never shows two distinct names the same", () => {
  const names = [
    "wipe",
    "Wipe",
    "wipe?",
    "wipe\u200b",
    "wipe\u200c",
    "wipe\u202e",
    "wipe\u2066",
    "wipe\u00ad",
    "wipe\ufeff",
    "wipe\u3164",
    "w\u0456pe",
    "wipe\u{e0041}",
    "wipe\\u200b",
    'wipe"',
    "wipe\u0007",
    "wipe\u007f",
    "wipe\u009b",
  ];
  const shown = names.map((name) => nameCell(name, 200));
  assert.equal(new Set(shown).size, names.length, shown.join("\n"));
  assert.deepEqual(shown.slice(0, 6), [
    "wipe",
    "Wipe",
    '"wipe?"',
    '"wipe\\u200b"',
    '"wipe\\u200c"',
    '"wipe\\u202e"',
  ]);
  assert.equal(nameCell("wipe\u{e0041}", 200), '"wipe\\udb40\\udc41"');
  for (const cell of shown) assert.match(cell, /^[ -~]+$/, "printable ASCII only");
});

Deno.test("nameCell() cuts a long name between escapes, within the cell", () => {
  const cell = nameCell("\u200b".repeat(500), 100);
  assert.ok(cell.length <= 100, `${cell.length} characters`);
  assert.match(cell, /^"(\\u200b)+"…$/);
  assert.equal(nameCell("a b", 5), '"a b"');
  assert.equal(nameCell("a bcd", 5), '"a "…');
});

Deno.test("formatRecordTable() says how many tools a tools_snapshot covers, old records too", () => {
  const row = (record: Record<string, unknown>) =>
    formatRecordTable([{
      seq: 0,
      ts: "2026-01-01T00:00:00.000Z",
      type: "tools_snapshot",
      ...record,
    }])
      .split("\n")[1]!;
  const tool = { name: "a", digest: "0".repeat(64) };
  assert.match(row({ server: "s", tools: [tool, tool] }), /tools_snapshot +s +2 tools$/);
  assert.match(row({ server: "s", tools: [tool], count: 1 }), /1 tool$/);
  assert.match(
    row({ server: "s", tools: [tool, tool], count: 300000, partial: true }),
    /300000 tools listed; the record names the first 2 \(partial\)$/,
  );
  assert.match(row({ server: "s", tools: [tool], undigested: ["d"] }), /2 tools; 1 not digested$/);
});
