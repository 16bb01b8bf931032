/**
 * hasShownEffect(): which records `thoth audit show --effect` selects. A
 * refused request is what a blocked call is, forwarded is forwarded for
 * both kinds, and only a decision can be observed or wait for an approval.
 */
import assert from "node:assert/strict";
import { hasShownEffect, SHOWN_EFFECTS } from "../../src/audit/shown_effect.ts";

/** The effects each record matches. */
const matched = (record: Record<string, unknown>) =>
  SHOWN_EFFECTS.filter((effect) => hasShownEffect(record, effect));

Deno.test("hasShownEffect() matches a request's forwarded and refused as a decision's forwarded and blocked", () => {
  assert.deepEqual(matched({ type: "request", effect: "forwarded" }), ["forwarded"]);
  assert.deepEqual(matched({ type: "request", effect: "refused" }), ["blocked", "refused"]);
  assert.deepEqual(matched({ type: "decision", effect: "blocked" }), ["blocked", "refused"]);
  assert.deepEqual(matched({ type: "decision", effect: "forwarded" }), ["forwarded"]);
  assert.deepEqual(matched({ type: "decision", effect: "observed" }), ["observed"]);
  assert.deepEqual(matched({ type: "decision", effect: "approval_requested" }), [
    "approval_requested",
  ]);
});

Deno.test("hasShownEffect() matches nothing for a record without an effect it knows", () => {
  // A decision of a release that did not record its effect.
  assert.deepEqual(matched({ type: "decision", verdict: "block" }), []);
  // Words of the other kind, or of no kind, are not taken as this one's.
  assert.deepEqual(matched({ type: "request", effect: "blocked" }), []);
  assert.deepEqual(matched({ type: "request", effect: "observed" }), []);
  assert.deepEqual(matched({ type: "decision", effect: "refused" }), []);
  assert.deepEqual(matched({ type: "outcome", effect: "forwarded" }), []);
  assert.deepEqual(matched({ effect: "blocked" }), []);
});
