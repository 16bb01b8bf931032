/**
 * `thoth audit show` over a large log: the table of a few hundred thousand
 * records is formatted (the column widths are not taken by spreading every
 * cell into one call, which overflowed the stack and printed "internal
 * error"), and comes as lines a caller prints a batch at a time.
 */
import assert from "node:assert/strict";
import { formatRecordTable, recordTableLines } from "../../src/audit/format_records.ts";

/** `count` decision records, the last with the longest tool name. */
function decisions(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, seq) => ({
    seq,
    ts: "2026-01-01T00:00:00.000Z",
    type: "decision",
    session: "s-1",
    server: "everything",
    tool: seq === count - 1 ? "get-sum-of-everything" : "echo",
    decisionId: `d-${seq.toString(16).padStart(16, "0")}`,
    verdict: "allow",
    effect: "forwarded",
  }));
}

Deno.test("recordTableLines() lays out 300000 records, each column as wide as its widest cell", () => {
  const count = 300_000;
  const lines = recordTableLines(decisions(count));
  assert.equal(lines.length, count + 1);
  const header = lines[0]!;
  const toolAt = header.indexOf("TOOL");
  const verdictAt = header.indexOf("VERDICT");
  assert.equal(verdictAt - toolAt, "get-sum-of-everything".length + 2);
  assert.equal(lines[1]!.slice(toolAt, verdictAt), "echo".padEnd(verdictAt - toolAt));
  assert.equal(lines[count]!.slice(toolAt, verdictAt).trimEnd(), "get-sum-of-everything");
  assert.ok(lines.every((line) => !line.includes("\n")));
});

Deno.test("formatRecordTable() is recordTableLines() joined, one newline after each line", () => {
  const records = decisions(3);
  assert.equal(formatRecordTable(records), recordTableLines(records).join("\n") + "\n");
});
