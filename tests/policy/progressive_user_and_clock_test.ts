/**
 * The progressive counters key one person once, however their user id is
 * spelled, and a violation time from a clock far ahead does not hold a user
 * on a rung until that far date.
 */
import assert from "node:assert/strict";
import {
  counterUser,
  MAX_CLOCK_SKEW_MS,
  recordViolations,
} from "../../src/policy/record_violations.ts";
import type { ProgressiveState } from "../../src/policy/progressive_state.ts";
import { ProgressiveStore } from "../../src/enforcer/progressive_store.ts";
import { tempFolder } from "../_temp_dirs.ts";

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
const NOW = 1_800_000_000_000;

Deno.test("one user's violations are counted together whatever the case, spaces or normal form of the id", () => {
  const spellings = [
    "ana@example.org",
    "Ana@Example.org",
    " ANA@EXAMPLE.ORG\t",
    "ana@example.org".normalize("NFD"),
  ];
  let state: ProgressiveState | undefined;
  const priors: number[] = [];
  for (const [i, user] of spellings.entries()) {
    const r = recordViolations(state, { server: "fs", user }, ["r"], NOW + i, HOUR);
    state = r.state;
    priors.push(r.prior["r"]!);
  }
  assert.deepEqual(priors, [0, 1, 2, 3]);
  assert.deepEqual(Object.keys(state!.entries), ['["fs","ana@example.org","r"]']);
  // Another user is still apart.
  assert.equal(
    recordViolations(state, { server: "fs", user: "bo" }, ["r"], NOW, HOUR).prior["r"],
    0,
  );
  const cafe = "Café".normalize("NFD");
  assert.equal(counterUser(cafe), "café".normalize("NFC"));
});

Deno.test("counts kept under a differently spelled user before the fix are merged when read", () => {
  const state: ProgressiveState = {
    version: 1,
    entries: {
      '["fs","Ana@Example.org","r"]': [NOW - 3],
      '["fs","ana@example.org","r"]': [NOW - 2],
      '["fs","ANA@example.org","r"]': [NOW - 1],
    },
  };
  const r = recordViolations(state, { server: "fs", user: "ana@example.org" }, ["r"], NOW, HOUR);
  assert.equal(r.prior["r"], 3);
  assert.deepEqual({ ...r.state.entries }, {
    '["fs","ana@example.org","r"]': [NOW - 3, NOW - 2, NOW - 1, NOW],
  });
});

Deno.test("the file-backed store counts the user once across spellings", async () => {
  const home = await tempFolder("thoth-progressive-user-");
  const store = new ProgressiveStore(home);
  const a = await store.recordViolations(
    { server: "fs", user: "ana@example.org" },
    ["r"],
    NOW,
    HOUR,
  );
  const b = await store.recordViolations(
    { server: "fs", user: "Ana@Example.org" },
    ["r"],
    NOW + 1,
    HOUR,
  );
  assert.deepEqual([a["r"], b["r"]], [0, 1]);
});

Deno.test("a violation time a year ahead counts as now, and ages out one window later", () => {
  const state: ProgressiveState = {
    version: 1,
    entries: { '["fs","ana","r"]': [NOW + YEAR, NOW + YEAR + 1, NOW + YEAR + 2] },
  };
  const key = { server: "fs", user: "ana" };
  const now = recordViolations(state, key, ["r"], NOW, HOUR);
  assert.equal(now.prior["r"], 3, "the violations did happen: they still count (fail closed)");
  assert.ok(
    now.state.entries['["fs","ana","r"]']!.every((t) => t <= NOW + MAX_CLOCK_SKEW_MS),
    "no time is kept a year ahead",
  );
  const later = recordViolations(now.state, key, ["r"], NOW + 2 * HOUR, HOUR);
  assert.equal(later.prior["r"], 0, "one window later the user is off the rung, not in a year");
});

Deno.test("a time a little ahead (within the skew) is kept as written and counted", () => {
  const ahead = NOW + MAX_CLOCK_SKEW_MS - 1;
  const state: ProgressiveState = { version: 1, entries: { '["fs","ana","r"]': [ahead] } };
  const r = recordViolations(state, { server: "fs", user: "ana" }, ["r"], NOW, HOUR);
  assert.equal(r.prior["r"], 1);
  assert.deepEqual(r.state.entries['["fs","ana","r"]'], [NOW, ahead]);
});

Deno.test("a key read from the file that names an Object property is only a key", () => {
  const entries = JSON.parse('{"constructor": [1], "__proto__": [2]}') as Record<string, number[]>;
  const r = recordViolations(
    { version: 1, entries },
    { server: "fs", user: "ana" },
    ["r"],
    100,
    HOUR,
  );
  assert.equal(r.prior["r"], 0);
  assert.equal(Object.getPrototypeOf(r.state.entries), null);
});
