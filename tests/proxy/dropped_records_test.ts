/**
 * DroppedRecords counts the records a session let go of past the held
 * bound, by type, leaving out those its spool keeps (decisions, approvals,
 * its spooled start and end), and gives one `records_dropped` record, then
 * none until more are let go; `audit show` words it as stored. Pure.
 */
import assert from "node:assert/strict";
import { droppedDetail } from "../../src/audit/dropped_detail.ts";
import { droppedAtEndNote, DroppedRecords } from "../../src/proxy/dropped_records.ts";
import type { Queued } from "../../src/proxy/held_spool_files.ts";

Deno.test("DroppedRecords counts what the spool does not keep, by type, and is told once", () => {
  const dropped = new DroppedRecords();
  assert.equal(dropped.take("s-1"), undefined);
  const added = dropped.add([
    '{"type":"decision","session":"s-1","decisionId":"d-1"}',
    '{"type":"session_start","session":"s-1","spooledMs":1}',
    '{"type":"outcome","session":"s-1","decisionId":"d-1"}',
    { type: "tools_snapshot", session: "s-1", server: "fs", tools: [] },
    // A start the spool could not take (no stamp) is lost with the others.
    { type: "session_start", session: "s-1", server: "fs", commandDigest: "", envKeys: [] },
    "not json",
  ], Date.parse("2026-03-01T00:00:00Z"));
  assert.equal(added, 4);
  dropped.add(['{"type":"outcome","session":"s-1"}'], Date.parse("2026-03-01T00:00:05Z"));
  const record = dropped.take("s-1");
  assert.deepEqual(record, {
    type: "records_dropped",
    session: "s-1",
    count: 5,
    types: { outcome: 2, session_start: 1, tools_snapshot: 1, unknown: 1 },
    from: "2026-03-01T00:00:00.000Z",
    until: "2026-03-01T00:00:05.000Z",
  });
  assert.equal(dropped.take("s-1"), undefined, "told once");
  assert.equal(
    droppedDetail(record as unknown as Record<string, unknown>),
    "5 record(s) let go: outcome 2, session_start 1, tools_snapshot 1, unknown 1",
  );
});

Deno.test("DroppedRecords dates its records from when the log last took a batch, and adds a records_dropped record never told", () => {
  const dropped = new DroppedRecords();
  const at = (time: string) => Date.parse(`2026-03-01T00:00:${time}Z`);
  // Let go at 10 s, none made before the log's last batch at 2 s.
  dropped.add(['{"type":"outcome","session":"s-1"}'], at("10"), at("02"));
  const told = dropped.take("s-1")!;
  assert.deepEqual([told.from, told.until], [
    "2026-03-01T00:00:02.000Z",
    "2026-03-01T00:00:10.000Z",
  ]);
  // That record was queued and never taken (the log failed again), and the session ends:
  // its counts join what the end lets go of, which is counted without a session.
  const added = dropped.add(
    [
      told,
      { type: "handshake", session: "s-1" } as unknown as Queued,
      '{"type":"session_end","session":"s-1","spooledMs":1}',
    ],
    at("30"),
    at("20"),
  );
  assert.equal(added, 2);
  assert.deepEqual(dropped.takeCount(), {
    count: 2,
    types: { handshake: 1, outcome: 1 },
    from: "2026-03-01T00:00:02.000Z",
    until: "2026-03-01T00:00:30.000Z",
  });
  assert.equal(dropped.takeCount(), undefined, "told once");
  assert.match(
    droppedAtEndNote({ count: 2, types: { handshake: 1, outcome: 1 }, from: "", until: "" }),
    /^the session's end, kept in the spool, counts the 2 record\(s\) of this session that the audit log lacks \(handshake 1, outcome 1\)/,
  );
});
