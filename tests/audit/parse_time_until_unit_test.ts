// As --until, a time is the whole of its last unit given, as a bare date is
// its whole day: a time copied from `thoth audit show` (printed to the
// second) still covers the rows printed at it, whatever their milliseconds.
import assert from "node:assert/strict";
import { parsePeriod, parseTimeArg } from "../../src/audit/parse_time.ts";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog, steppingClock } from "./_log_helpers.ts";

const now = new Date("2026-03-02T00:00:00Z");

Deno.test("parseTimeArg() reads a time as --until up to the end of its last unit given", () => {
  const until = (text: string) => parseTimeArg(text, now, "--until").toISOString();
  const since = (text: string) => parseTimeArg(text, now, "--since").toISOString();
  assert.equal(until("2026-03-01 10:00:05"), "2026-03-01T10:00:05.999Z");
  assert.equal(until("2026-03-01T10:00:05Z"), "2026-03-01T10:00:05.999Z");
  assert.equal(until("2026-03-01T10:00"), "2026-03-01T10:00:59.999Z");
  assert.equal(until("2026-03-01T10:00+02:00"), "2026-03-01T08:00:59.999Z");
  assert.equal(until("2026-03-01T10:00:05.5"), "2026-03-01T10:00:05.599Z");
  assert.equal(until("2026-03-01T10:00:05.25"), "2026-03-01T10:00:05.259Z");
  assert.equal(until("2026-03-01T10:00:05.250"), "2026-03-01T10:00:05.250Z");
  assert.equal(until("2026-03-01T10:00:05.2509"), "2026-03-01T10:00:05.250Z");
  // As --since, the same times start their unit.
  assert.equal(since("2026-03-01 10:00:05"), "2026-03-01T10:00:05.000Z");
  assert.equal(since("2026-03-01T10:00"), "2026-03-01T10:00:00.000Z");
  assert.equal(since("2026-03-01T10:00:05.5"), "2026-03-01T10:00:05.500Z");
  const second = parsePeriod({ since: "2026-03-01 10:00:05", until: "2026-03-01 10:00:05" }, now);
  assert.deepEqual(
    [second.since?.toISOString(), second.until?.toISOString()],
    ["2026-03-01T10:00:05.000Z", "2026-03-01T10:00:05.999Z"],
  );
});

Deno.test("thoth audit show --since T --until T, T as show printed it, lists the rows printed at T", async () => {
  // Records 1.25 s apart, so most have milliseconds that show does not print.
  const home = await sampleLog(1, 6, { now: steppingClock("2026-03-01T10:00:00.500Z", 1250) });
  const all = (await thothAudit(home, "show", "--json")).out.trim().split("\n")
    .map((l) => JSON.parse(l) as { seq: number; ts: string });
  const target = all.find((r) => !r.ts.endsWith(".000Z"))!;
  const printed = target.ts.replace("T", " ").slice(0, 19);
  const table = await thothAudit(home, "show");
  assert.ok(table.out.includes(printed), "show prints the time to the second");

  const run = await thothAudit(home, "show", "--json", "--since", printed, "--until", printed);
  assert.equal(run.code, 0, run.err);
  const shown = run.out.trim().split("\n").map((l) => JSON.parse(l).seq);
  const expected = all.filter((r) => r.ts.replace("T", " ").slice(0, 19) === printed).map((r) =>
    r.seq
  );
  assert.ok(expected.includes(target.seq));
  assert.deepEqual(shown, expected);
});
