import assert from "node:assert/strict";
import { MemoryViolationCounter } from "../../src/policy/memory_violation_counter.ts";
import { recordViolations } from "../../src/policy/record_violations.ts";
import { isProgressiveState, type ProgressiveState } from "../../src/policy/progressive_state.ts";

const key = { server: "fs", user: "ana@example.org" };
const HOUR = 3_600_000;

Deno.test("recordViolations() counts prior violations per rule within the window", () => {
  let state: ProgressiveState | undefined = undefined;
  const priors: number[] = [];
  for (const t of [0, 10, 20]) {
    const r = recordViolations(state, key, ["r1"], t, HOUR);
    state = r.state;
    priors.push(r.prior["r1"]!);
  }
  assert.deepEqual(priors, [0, 1, 2]);
  const later = recordViolations(state, key, ["r1", "r2"], HOUR + 15, HOUR);
  assert.deepEqual(later.prior, { r1: 1, r2: 0 });
});

Deno.test("recordViolations() keeps servers and users apart", () => {
  const a = recordViolations(undefined, key, ["r1"], 0, HOUR).state;
  assert.equal(recordViolations(a, { ...key, user: "bo" }, ["r1"], 1, HOUR).prior["r1"], 0);
  assert.equal(recordViolations(a, { ...key, server: "x" }, ["r1"], 1, HOUR).prior["r1"], 0);
  assert.equal(recordViolations(a, key, ["r1"], 1, HOUR).prior["r1"], 1);
});

Deno.test("recordViolations() does not count what fell out of the window", () => {
  const a = recordViolations(undefined, key, ["r1"], 0, HOUR).state;
  const b = recordViolations(a, key, ["r1"], 2 * HOUR, HOUR);
  assert.equal(b.prior["r1"], 0);
});

Deno.test("recordViolations() keeps history a longer window of another process still counts", () => {
  // Two thoth processes share the state: one with a 24 h window, one with 1 h.
  const DAY = 24 * HOUR;
  const t0 = 1e12;
  let state = recordViolations(undefined, key, ["r"], t0, DAY).state;
  state = recordViolations(state, key, ["r"], t0 + HOUR, DAY).state;
  const short = recordViolations(state, key, ["r"], t0 + 3 * HOUR, HOUR);
  assert.equal(short.prior["r"], 0, "the 1 h window sees nothing before");
  const long = recordViolations(short.state, key, ["r"], t0 + 4 * HOUR, DAY);
  assert.equal(long.prior["r"], 3, "the 24 h window still sees all three");
});

Deno.test("recordViolations() prunes only what no window reaches, and caps each key", () => {
  const DAY = 24 * HOUR;
  const old = recordViolations(undefined, key, ["r1"], 0, HOUR).state;
  const later = recordViolations(old, key, ["r2"], 401 * DAY, HOUR).state;
  assert.deepEqual(Object.values(later.entries), [[401 * DAY]], "past 400 days: gone everywhere");
  let state = later;
  for (let t = 1; t <= 1_005; t++) {
    state = recordViolations(state, key, ["r2"], 401 * DAY + t, HOUR).state;
  }
  const times = Object.values(state.entries)[0]!;
  assert.equal(times.length, 1_000);
  assert.equal(times.at(-1), 401 * DAY + 1_005);
});

Deno.test("isProgressiveState() accepts only what version 1 can read in full", () => {
  assert.equal(isProgressiveState(recordViolations(undefined, key, ["r1"], 0, HOUR).state), true);
  const junk = [
    null,
    42,
    "x",
    [],
    { entries: {} },
    { version: 2, entries: {} },
    { version: 1, entries: 5 },
    { version: 1, entries: { k: "nope" } },
    { version: 1, entries: { k: [1, "2"] } },
    { version: 1, entries: {}, distrustUntil: "soon" },
  ];
  for (const value of junk) assert.equal(isProgressiveState(value), false, JSON.stringify(value));
});

Deno.test("recordViolations() distrusts the counts for one window after they were lost", () => {
  const lost = recordViolations(undefined, key, ["r1"], 1_000, HOUR, 1_000);
  assert.equal(lost.distrustedUntil, 1_000 + HOUR);
  // Still distrusted later in the window, from the state alone; counted again after it.
  const during = recordViolations(lost.state, key, ["r1"], 1_000 + HOUR - 1, HOUR);
  assert.equal(during.distrustedUntil, 1_000 + HOUR);
  assert.equal(during.prior["r1"], 1, "violations are still recorded while distrusted");
  const after = recordViolations(during.state, key, ["r1"], 1_000 + HOUR + 1, HOUR);
  assert.equal(after.distrustedUntil, undefined);
  assert.equal(after.state.distrustUntil, undefined);
});

Deno.test("MemoryViolationCounter remembers between calls", () => {
  const c = new MemoryViolationCounter();
  assert.deepEqual(c.recordViolations(key, ["r"], 0, HOUR), { r: 0 });
  assert.deepEqual(c.recordViolations(key, ["r"], 1, HOUR), { r: 1 });
});

Deno.test("recordViolations() counts a violation stamped slightly after now", () => {
  // Another process read its clock later but took the lock first.
  const a = recordViolations(undefined, key, ["r1"], 1_005, HOUR).state;
  assert.equal(recordViolations(a, key, ["r1"], 1_004, HOUR).prior["r1"], 1);
});
