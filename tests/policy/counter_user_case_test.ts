/**
 * The progressive counters fold only ASCII letters' case: ids that differ in
 * another script's letters stay two users.
 */
import assert from "node:assert/strict";
import { counterUser, recordViolations } from "../../src/policy/record_violations.ts";
import type { ProgressiveState } from "../../src/policy/progressive_state.ts";

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

Deno.test("counterUser() folds ASCII letters only, after NFC", () => {
  assert.equal(counterUser(" Ana@Example.ORG "), "ana@example.org");
  assert.equal(counterUser("Ca\u0301fe"), "c\u00e1fe");
  for (
    const [a, b] of [
      ["\u00c4rger", "\u00e4rger"],
      ["\u0130lker", "i\u0307lker"],
      ["\u03a3\u03bf\u03c6\u03b9\u03b1", "\u03c3\u03bf\u03c6\u03b9\u03b1"],
      ["stra\u1e9ee", "stra\u00dfe"],
    ] as const
  ) {
    assert.notEqual(counterUser(a), counterUser(b), `${a} / ${b}`);
  }
});

Deno.test("two ids that differ in a non-ASCII letter's case keep their own counts", () => {
  const empty: ProgressiveState = { version: 1, entries: {} };
  const { state } = recordViolations(
    empty,
    { server: "fs", user: "\u00c4nne" },
    ["r"],
    NOW - 2,
    HOUR,
  );
  const other = recordViolations(state, { server: "fs", user: "\u00e4nne" }, ["r"], NOW, HOUR);
  assert.equal(other.prior["r"], 0);
  const same = recordViolations(state, { server: "fs", user: "\u00c4NNE" }, ["r"], NOW, HOUR);
  assert.equal(same.prior["r"], 1);
});
