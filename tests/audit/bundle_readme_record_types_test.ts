/**
 * The evidence bundle's README names every record type the log can hold
 * (taken from the record types themselves, so a new type without a README
 * row fails here), and the fields that change how a record reads: a
 * decision's effect beside its verdict, and decidedAt beside ts.
 */
import assert from "node:assert/strict";
import { bundleReadme } from "../../src/audit/bundle_readme.ts";
import { RECORD_TYPES } from "../../src/audit/record_types.ts";

const text = bundleReadme({ firstSeq: 0, lastSeq: 9 });
const section = text.slice(text.indexOf("## HIPAA"));
/** The right-hand cells of the audit-controls table. */
const cells = section.split("\n").filter((line) =>
  line.startsWith("| ") && !line.startsWith("| ---")
)
  .slice(1).map((line) => line.split(" | ")[1] ?? "");

/** Whether `word` appears in `text` as a whole name (not inside a longer one). */
function names(text: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.])${word}([^A-Za-z0-9_]|$)`).test(text);
}

Deno.test("RECORD_TYPES lists each record type once", () => {
  assert.equal(new Set(RECORD_TYPES).size, RECORD_TYPES.length);
  for (const type of ["decision", "session_start", "checkpoint", "tail_taken_in"]) {
    assert.ok(RECORD_TYPES.includes(type as never), type);
  }
});

Deno.test("the bundle README names every record type in its audit-controls table", () => {
  const missing = RECORD_TYPES.filter((type) => !cells.some((cell) => names(cell, type)));
  assert.deepEqual(missing, [], `record types the README does not name: ${missing.join(", ")}`);
});

Deno.test("the bundle README sets a decision's effect beside its verdict", () => {
  const row = cells.find((cell) => cell.startsWith("decision: verdict")) ?? "";
  for (
    const field of ["verdict", "effect", "forwarded", "blocked", "approval_requested", "observed"]
  ) {
    assert.ok(names(row, field), `${field} missing from: ${row}`);
  }
  assert.match(section, /verdict=block with\s+effect=observed[^.]*ran/);
  assert.match(
    section,
    /verdict=allow with\s+effect=blocked and ruleIds audit\.unwritable[^.]*not run/,
  );
});

Deno.test("the bundle README says when decidedAt, not ts, is when a record was made", () => {
  assert.match(section, /ts is when a record was written/);
  assert.match(section, /decidedAt, the time it was made/);
});

Deno.test("the bundle README names what tells the log is incomplete", () => {
  const row = cells.find((cell) => cell.startsWith("records_dropped")) ?? "";
  for (
    const field of [
      "recordsDropped",
      "records_dropped",
      "decisions_lost",
      "spool_recovered",
      "spool_refused",
    ]
  ) {
    assert.ok(names(row, field), `${field} missing from: ${row}`);
  }
  const integrity = cells.find((cell) => cell.startsWith("seq, prev")) ?? "";
  for (const field of ["tail_taken_in", "state_rebuilt", "recovered_torn_tail"]) {
    assert.ok(names(integrity, field), `${field} missing from: ${integrity}`);
  }
  const started = cells.find((cell) => cell.startsWith("session_start: ts")) ?? "";
  assert.ok(names(started, "mode"), started);
});
