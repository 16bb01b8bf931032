/**
 * `RecordTimeSpan`, the period `verify --bundle` says a bundle's records
 * cover: the same earliest and latest times as parsing every record, and
 * records timed by a `ts` in the writer's shape compared as text, not
 * parsed one by one (a log whose every record comes later than the one
 * before had made verify parse them all).
 */
import assert from "node:assert/strict";
import { RecordTimeSpan } from "../../src/audit/record_time_span.ts";
import { recordTimeMs } from "../../src/audit/record_time.ts";

/** The span as parsing every record gives it. */
function parsedSpan(records: readonly Record<string, unknown>[]): [string | null, string | null] {
  const times = records.map(recordTimeMs).filter((ms) => !Number.isNaN(ms));
  if (times.length === 0) return [null, null];
  return [
    new Date(Math.min(...times)).toISOString(),
    new Date(Math.max(...times)).toISOString(),
  ];
}

function span(records: readonly Record<string, unknown>[]): [string | null, string | null] {
  const times = new RecordTimeSpan();
  for (const record of records) times.add(record);
  return [times.earliest(), times.latest()];
}

Deno.test("RecordTimeSpan gives the times parsing every record gives, whatever the mix", () => {
  const cases: Record<string, unknown>[][] = [
    [],
    [{ ts: "2026-03-01T10:00:05.000Z" }],
    [{ ts: "2026-03-01T10:00:05.000Z" }, { ts: "2026-03-01T09:00:00.000Z" }],
    // Written late: its decision's time comes first.
    [
      { ts: "2026-03-01T10:00:05.000Z" },
      { ts: "2026-03-01T10:00:09.000Z", decidedAt: "2026-03-01T09:59:58.000Z" },
    ],
    // A ts of another shape, and one of the writer's shape that is no time.
    [
      { ts: "2026-03-01T10:00:05Z" },
      { ts: "2026-13-45T99:00:00.000Z" },
      { ts: "2026-03-01T10:00:04.000Z" },
      { ts: "not a time" },
      {},
    ],
    [{ ts: "2026-13-45T99:00:00.000Z" }],
    [{ ts: "2026-03-01T10:00:05.000Z", decidedAt: "2027-01-01T00:00:00.000Z" }],
  ];
  for (const records of cases) {
    assert.deepEqual(span(records), parsedSpan(records), JSON.stringify(records));
  }
});

Deno.test("RecordTimeSpan parses no record timed by a ts in the writer's shape, one by one", () => {
  const parse = Date.parse;
  let parses = 0;
  Date.parse = (text: string) => {
    parses++;
    return parse(text);
  };
  try {
    const times = new RecordTimeSpan();
    const start = Date.UTC(2026, 2, 1);
    // Every record later than the one before, as a log is written.
    for (let i = 0; i < 1000; i++) times.add({ ts: new Date(start + i).toISOString() });
    assert.equal(times.earliest(), new Date(start).toISOString());
    assert.equal(times.latest(), new Date(start + 999).toISOString());
    assert.ok(parses <= 2, `${parses} parses for 1,000 records`);
  } finally {
    Date.parse = parse;
  }
});
