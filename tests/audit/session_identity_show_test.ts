/**
 * `thoth audit show` names whose session a `session_start` row is (its
 * `userId`), through the same display rules as every other cell, and shows
 * nothing there for a record without one; the export bundle's README says
 * what the `session_start` identity fields are.
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { bundleReadme } from "../../src/audit/bundle_readme.ts";
import { lastCell, start } from "./_session_start_row.ts";

Deno.test("formatRecordTable() shows the user of a session_start row", () => {
  const table = formatRecordTable([
    start({ userId: "ana@example.com", tenantId: "acme", endpointId: "dev-1" }),
  ]);
  assert.equal(lastCell(table), "user ana@example.com", table);
});

Deno.test("formatRecordTable() shows no user for a session_start row without one", () => {
  const table = formatRecordTable([start({})]);
  assert.equal(lastCell(table), "", table);
  assert.doesNotMatch(table, /user/);
});

Deno.test("formatRecordTable() passes a session_start's user through the display rules", () => {
  const table = formatRecordTable([start({ userId: "ana\u001b[2K\u202e@example.com\r\nx" })]);
  const lines = table.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 2, "no injected line");
  // deno-lint-ignore no-control-regex -- what must not reach a terminal
  assert.doesNotMatch(table.replace(/\n/g, ""), /[\u0000-\u001f\u007f-\u009f\u202e]/);
  assert.match(lastCell(table), /^user ana\?/);
  const long = formatRecordTable([start({ userId: `${"a".repeat(300)}@example.com` })]);
  assert.ok(lastCell(long).length <= "user ".length + 100, "a long name is cut short");
});

Deno.test("the bundle README says session_start records carry the user, tenant and endpoint", () => {
  const text = bundleReadme({ firstSeq: 0, lastSeq: 9 });
  const row = text.split("\n").find((line) => line.includes("session_start: userId")) ?? "";
  for (const field of ["userId", "tenantId", "endpointId", "endpointIdSource", "environment"]) {
    assert.ok(row.includes(field), `${field} missing from: ${row}`);
  }
});
