/**
 * `recordTimeMs`: the time `audit show --since/--until` select a record by.
 */
import assert from "node:assert/strict";
import { recordTimeMs } from "../../src/audit/record_time.ts";

const WRITTEN = "2026-12-06T12:26:05.000Z";
const DECIDED = "2026-12-06T12:24:49.000Z";

Deno.test("recordTimeMs: a record written late is timed by its decidedAt", () => {
  assert.equal(recordTimeMs({ ts: WRITTEN, decidedAt: DECIDED }), Date.parse(DECIDED));
});

Deno.test("recordTimeMs: a record written on time is timed by its ts", () => {
  assert.equal(recordTimeMs({ ts: WRITTEN }), Date.parse(WRITTEN));
});

Deno.test("recordTimeMs: a decidedAt that is no time falls back to ts", () => {
  assert.equal(recordTimeMs({ ts: WRITTEN, decidedAt: "yesterday" }), Date.parse(WRITTEN));
  assert.equal(recordTimeMs({ ts: WRITTEN, decidedAt: 17 }), Date.parse(WRITTEN));
});

Deno.test("recordTimeMs: a record with no time is NaN, which no period holds", () => {
  assert.ok(Number.isNaN(recordTimeMs({})));
});
