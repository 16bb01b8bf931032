import assert from "node:assert/strict";
import { nearestName } from "../src/nearest_name.ts";

Deno.test("nearestName() finds the name a typo meant, case aside", () => {
  const decisions = ["allow", "step_up", "block"];
  assert.equal(nearestName("Block", decisions), "block");
  assert.equal(nearestName("stepup", decisions), "step_up");
  assert.equal(nearestName("alow", decisions), "allow");
  assert.equal(nearestName("decison", ["id", "match", "decision", "reason"]), "decision");
  assert.equal(nearestName("notglob", ["glob", "notGlob", "regex"]), "notGlob");
  // Short names allow one edit, others two; a tie or nothing near is no guess.
  assert.equal(nearestName("tol", ["server", "tool", "args"]), "tool");
  assert.equal(nearestName("ab", ["tool"]), undefined);
  assert.equal(nearestName("maybe", decisions), undefined);
  assert.equal(nearestName("cat", ["bat", "hat"]), undefined);
  assert.equal(nearestName("block", decisions), undefined);
});

Deno.test("nearestName() never suggests the opposite: a negation prefix added or dropped", () => {
  const decisions = ["allow", "step_up", "block"];
  for (const typed of ["noallow", "unallow", "nallow", "disallow", "unblock", "noblock"]) {
    assert.equal(nearestName(typed, decisions), undefined, typed);
  }
  const predicates = ["glob", "notGlob", "regex", "notRegex", "prefix"];
  assert.equal(nearestName("nglob", predicates), "notGlob");
  assert.equal(nearestName("nGlob", predicates), "notGlob");
  assert.equal(nearestName("nregex", predicates), "notRegex");
  assert.equal(nearestName("notglob", predicates), "notGlob");
  assert.equal(nearestName("not_glob", predicates), "notGlob");
  assert.equal(nearestName("unglob", ["glob"]), undefined);
  // A typo of a word that starts like a negation is still a typo.
  assert.equal(nearestName("nmae", ["name", "id"]), "name");
});

Deno.test("nearestName() with maxEdits 1 (a value) allows only a case, `_` or one-letter slip", () => {
  const decisions = ["allow", "step_up", "block"];
  const value = (typed: string) => nearestName(typed, decisions, { maxEdits: 1 });
  assert.equal(value("unlock"), undefined);
  assert.equal(value("alw"), undefined);
  assert.equal(value("BLOCK"), "block");
  assert.equal(value("stepup"), "step_up");
  assert.equal(value("step-up"), "step_up");
  assert.equal(value("alow"), "allow");
  assert.equal(value("blokc"), "block");
});
