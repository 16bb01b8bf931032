import assert from "node:assert/strict";
import { recordViolations } from "../../src/policy/record_violations.ts";

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const key = { server: "fs", user: "ana" };
const now = 1_800_000_000_000;

Deno.test("recordViolations caps a stored distrust mark at one window from now, and keeps the cap", () => {
  // What a process whose clock ran ten years ahead left when it found the file unreadable.
  const state = { version: 1 as const, entries: {}, distrustUntil: now + 10 * YEAR };
  const first = recordViolations(state, key, ["r"], now, HOUR);
  assert.equal(first.distrustedUntil, now + HOUR);
  assert.equal(first.state.distrustUntil, now + HOUR, "the capped mark is written back");
  // Later calls read the capped mark: it does not move on with them, and ends.
  const later = recordViolations(first.state, key, ["r"], now + HOUR / 2, HOUR);
  assert.equal(later.distrustedUntil, now + HOUR);
  const after = recordViolations(later.state, key, ["r"], now + HOUR + 1, HOUR);
  assert.equal(after.distrustedUntil, undefined);
  assert.equal(after.state.distrustUntil, undefined);
  assert.deepEqual(after.prior, { r: 1 }, "what was recorded meanwhile, in the window, counts");
});

Deno.test("recordViolations keeps a distrust mark within one window as it is", () => {
  const state = { version: 1 as const, entries: {}, distrustUntil: now + HOUR / 4 };
  assert.equal(recordViolations(state, key, ["r"], now, HOUR).distrustedUntil, now + HOUR / 4);
  // A mark set under a longer window is cut to this process's window.
  const longer = { version: 1 as const, entries: {}, distrustUntil: now + 30 * 24 * HOUR };
  assert.equal(recordViolations(longer, key, ["r"], now, HOUR).distrustedUntil, now + HOUR);
});
