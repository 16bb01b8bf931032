/**
 * The record of what progressive mode did with the count of a call that did
 * not run: a cancellation of its decision with `countTakenBack`, the rules
 * taken back and kept, and a reason; `thoth audit show` and `tail` put what
 * became of the count first in its DETAIL (the reason alone is cut short).
 */
import assert from "node:assert/strict";
import { tableRow } from "../../src/audit/format_records.ts";
import { countTakeBackRecord, NOT_RUN } from "../../src/proxy/count_take_back_records.ts";

const DETAIL = 10;

Deno.test("countTakeBackRecord() says a count taken back, with its rules", () => {
  const record = countTakeBackRecord("s-1", "d-1", {
    ruleIds: ["no-sum", "no-big"],
    takenBack: ["no-sum", "no-big"],
    full: [],
    gone: [],
  });
  assert.deepEqual(record, {
    type: "cancellation",
    session: "s-1",
    decisionId: "d-1",
    countTakenBack: true,
    takenBackRuleIds: ["no-sum", "no-big"],
    reason: `${NOT_RUN}: progressive mode took back its count of rules "no-sum", "no-big"`,
  });
  assert.equal(
    tableRow({ seq: 9, ts: "2026-01-01T00:00:00.000Z", ...record }).cells[DETAIL],
    "count taken back: rules no-sum, no-big; the call did not run (the client stopped reading thoth's ou…",
  );
});

Deno.test("countTakeBackRecord() says which count stays, and why", () => {
  const full = countTakeBackRecord("s-1", "d-2", {
    ruleIds: ["a", "b"],
    takenBack: ["b"],
    full: ["a"],
    gone: [],
  });
  assert.equal(full.countTakenBack, false);
  assert.deepEqual(full.takenBackRuleIds, ["b"]);
  assert.deepEqual(full.keptRuleIds, ["a"]);
  assert.match(
    full.reason!,
    /took back its count of rule "b"; rule "a" stays counted: its list holds 1000 violations/,
  );
  assert.match(
    tableRow({ seq: 9, ...full }).cells[DETAIL]!,
    /^count stays: rule a; the call did not run/,
  );

  const failed = countTakeBackRecord("s-1", "d-3", {
    ruleIds: ["a"],
    takenBack: [],
    full: [],
    gone: [],
    failed: "cannot update the progressive counters: locked",
  });
  assert.equal(failed.countTakenBack, false);
  assert.equal(failed.takenBackRuleIds, undefined);
  assert.deepEqual(failed.keptRuleIds, ["a"]);
  assert.match(
    failed.reason!,
    /could not take back its count of rule "a", which stays counted: cannot update/,
  );

  const unreadable = countTakeBackRecord("s-1", "d-4", {
    ruleIds: ["a"],
    takenBack: [],
    full: [],
    gone: ["a"],
    unreadable: true,
  });
  assert.equal(unreadable.countTakenBack, false, "not taken back: the file could not be read");
  assert.equal(unreadable.keptRuleIds, undefined);
  assert.match(unreadable.reason!, /counters file could not be read/);
  assert.match(
    tableRow({ seq: 9, ...unreadable }).cells[DETAIL]!,
    /^count not taken back; the call did not run/,
  );
});

Deno.test("a cancellation of an earlier release, with no count, shows as before", () => {
  assert.equal(
    tableRow({ seq: 1, type: "cancellation", decisionId: "d-1", reason: "the client cancelled" })
      .cells[DETAIL],
    "the client cancelled",
  );
});
