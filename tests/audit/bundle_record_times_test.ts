/**
 * `audit verify --bundle` names the period its records cover by the one
 * time rule `show`, `tail` and `export` use (see `record_time.ts`): a
 * record written late is at its decision's `decidedAt`. Before, its
 * "bundle records" line gave the first and last records' `ts`: a bundle
 * exported for the minute a killed session decided its call (20:32, its
 * records written at 20:33:20; see `_taken_in_log.ts`) read as running
 * from 20:33:20, outside the period it was exported for. The real CLI as a
 * subprocess; temp THOTH_HOME only. And the span itself, record by record.
 */
import assert from "node:assert/strict";
import { RecordTimeSpan } from "../../src/audit/record_time_span.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { DECIDED_AT, TAKEN_IN_DAY, takenInLog } from "./_taken_in_log.ts";

Deno.test("verify --bundle names its records' period by their decision's time, as show and export do", async () => {
  const home = await takenInLog(await tempFolder("thoth-taken-in-"));
  const thoth = (...args: string[]) =>
    runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
  const minute = `${TAKEN_IN_DAY}T20:32`;
  const output = `${await tempFolder("thoth-bundle-times-")}/bundle`;
  const exported = await thoth(
    "audit",
    "export",
    "--since",
    minute,
    "--until",
    minute,
    "--output",
    output,
  );
  assert.equal(exported.code, 0, exported.err);
  const verified = await thoth("audit", "verify", "--bundle", output);
  assert.equal(verified.code, 0, verified.out + verified.err);
  // Records 7..9 were decided at 20:32:13 and written at 20:33:20, as were the records after them.
  const written = `${TAKEN_IN_DAY}T20:33:20.000Z`;
  assert.match(
    verified.out,
    new RegExp(
      `\\nbundle records: seq 7\\.\\.12 \\(${DECIDED_AT} to ${written}\\); exported for ${minute}`,
    ),
    verified.out,
  );
  const json = await thoth("audit", "verify", "--bundle", output, "--json");
  const bundle = JSON.parse(json.out).bundle;
  assert.deepEqual([bundle.from, bundle.to], [DECIDED_AT, written], json.out);
});

Deno.test("RecordTimeSpan keeps the earliest and latest record times, a decision's time first", () => {
  const span = new RecordTimeSpan();
  assert.deepEqual([span.earliest(), span.latest()], [null, null]);
  span.add({ ts: "2026-03-01T10:00:05.000Z" });
  span.add({ ts: "2026-03-01T10:00:09.000Z" });
  // Between the two: nothing changes.
  span.add({ ts: "2026-03-01T10:00:07.000Z" });
  // Written late, decided before any: the earliest, though its ts is not.
  span.add({ ts: "2026-03-01T10:00:08.000Z", decidedAt: "2026-03-01T09:59:58.000Z" });
  // A clock set back, and another shape of time, are read as times.
  span.add({ ts: "2026-03-01T09:59:59.000Z" });
  span.add({ ts: "2026-03-01T11:00:00+01:00" });
  span.add({ ts: "2026-03-01T10:00:10+0100" });
  // No time: left out.
  span.add({ ts: "not a time" });
  span.add({});
  assert.equal(span.earliest(), "2026-03-01T09:00:10.000Z");
  assert.equal(span.latest(), "2026-03-01T10:00:09.000Z");
  span.add({ ts: "2026-03-01T10:00:09.500Z", decidedAt: "garbled" });
  assert.equal(span.latest(), "2026-03-01T10:00:09.500Z");
});
