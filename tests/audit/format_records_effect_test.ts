/**
 * `thoth audit show` and `audit tail` say what thoth did with each call: an
 * EFFECT column after VERDICT holds a decision record's effect in words
 * (forwarded, forwarded with a warning, forwarded in observe mode, approval
 * requested, blocked), while VERDICT keeps the policy's verdict. A decision
 * of a release that recorded no effect shows `—`; other records leave the
 * cell empty; an effect's stored text never reaches the terminal raw.
 */
import assert from "node:assert/strict";
import { EFFECT_WORDS } from "../../src/audit/effect_cell.ts";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { TABLE_COLUMNS, tableCells } from "./_table_cells.ts";

type Rec = Record<string, unknown>;

let seq = 0;
/** A decision record of the progressive session the review reproduced. */
function decision(id: string, verdict: string, effect?: unknown, mode = "progressive"): Rec {
  return {
    seq: seq++,
    ts: "2026-01-01T00:00:00.000Z",
    type: "decision",
    session: "s",
    server: "fault",
    tool: "delete_everything",
    decisionId: id,
    verdict,
    ruleIds: ["destructive"],
    reasons: [`progressive mode: violation ${id} of destructive in the window: long words`],
    mode,
    ...(effect === undefined ? {} : { effect }),
  };
}

Deno.test("formatRecordTable() has an EFFECT column right after VERDICT", () => {
  const [header] = formatRecordTable([decision("d-1", "allow", "forwarded")]).split("\n");
  assert.deepEqual(header!.split(/ {2,}/), [...TABLE_COLUMNS]);
  assert.ok(header!.indexOf("VERDICT") < header!.indexOf("EFFECT"), header);
  assert.ok(header!.indexOf("EFFECT") < header!.indexOf("RULE"), header);
});

Deno.test("formatRecordTable() says what was done with each call, whatever the verdict", () => {
  const rows = tableCells(formatRecordTable([
    decision("d-1", "step_up", "forwarded"),
    decision("d-2", "step_up", "approval_requested"),
    decision("d-3", "step_up", "blocked"),
    decision("d-4", "allow", "forwarded", "block"),
    decision("d-5", "block", "observed", "observe"),
    decision("d-6", "allow", "observed", "observe"),
    decision("d-7", "block", "blocked", "block"),
    decision("d-8", "block", "forwarded"),
  ]));
  assert.deepEqual(rows.map((r) => [r.DECISION, r.VERDICT, r.EFFECT]), [
    ["d-1", "step_up", "forwarded with a warning"],
    ["d-2", "step_up", "approval requested"],
    ["d-3", "step_up", "blocked"],
    ["d-4", "allow", "forwarded"],
    ["d-5", "block", "forwarded (observe mode)"],
    ["d-6", "allow", "forwarded (observe mode)"],
    ["d-7", "block", "blocked"],
    ["d-8", "block", "forwarded with a warning"],
  ]);
});

Deno.test("formatRecordTable() words every effect a decision record can hold", () => {
  const effects = Object.keys(EFFECT_WORDS);
  assert.deepEqual(
    [...effects].sort(),
    ["approval_requested", "blocked", "forwarded", "observed"],
  );
  const rows = tableCells(formatRecordTable(effects.map((e, i) => decision(`d-${i}`, "allow", e))));
  assert.deepEqual(rows.map((r) => r.EFFECT), effects.map((e) => EFFECT_WORDS[e as "blocked"]));
  for (const row of rows) assert.notEqual(row.EFFECT, "", JSON.stringify(row));
});

Deno.test("formatRecordTable() shows — for a decision of a release without effects, nothing for other records", () => {
  const records: Rec[] = [
    { seq: 0, ts: "2026-01-01T00:00:00.000Z", type: "session_start", session: "s", server: "f" },
    decision("d-old", "step_up"),
    {
      seq: 2,
      ts: "2026-01-01T00:00:01.000Z",
      type: "approval",
      session: "s",
      decisionId: "d-old",
      channel: "queue",
      outcome: "timeout",
    },
    { seq: 3, ts: "2026-01-01T00:00:02.000Z", type: "outcome", decisionId: "d-1", isError: false },
    { seq: 4, ts: "2026-01-01T00:00:03.000Z", type: "cancellation", decisionId: "d-1" },
    { seq: 5, ts: "2026-01-01T00:00:04.000Z", type: "checkpoint", size: 5 },
  ];
  const rows = tableCells(formatRecordTable(records));
  assert.deepEqual(rows.map((r) => [r.TYPE, r.VERDICT, r.EFFECT]), [
    ["session_start", "", ""],
    ["decision", "step_up", "—"],
    ["approval", "timeout", ""],
    ["outcome", "ok", ""],
    ["cancellation", "", ""],
    ["checkpoint", "", ""],
  ]);
});

Deno.test("formatRecordTable() shows an effect it does not know as stored, made displayable", () => {
  const rows = tableCells(formatRecordTable([
    decision("d-1", "allow", "rerouted\u001b[2J\u202e"),
    decision("d-2", "allow", 7),
  ]));
  assert.deepEqual(rows.map((r) => r.EFFECT), ["rerouted?[2J?", "7"]);
});
