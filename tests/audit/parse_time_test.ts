import assert from "node:assert/strict";
import { parsePeriod, parseTimeArg } from "../../src/audit/parse_time.ts";
import { isAppError } from "../../src/errors.ts";

const now = new Date("2026-03-02T00:00:00Z");

Deno.test("parseTimeArg() reads ages back from now and ISO dates", () => {
  assert.equal(parseTimeArg("24h", now).toISOString(), "2026-03-01T00:00:00.000Z");
  assert.equal(parseTimeArg("90s", now).toISOString(), "2026-03-01T23:58:30.000Z");
  assert.equal(parseTimeArg("3650d", now).toISOString(), "2016-03-04T00:00:00.000Z");
  assert.equal(parseTimeArg("2026-03-01", now).toISOString(), "2026-03-01T00:00:00.000Z");
});

Deno.test("parseTimeArg() refuses an age past what a date can hold, instead of matching nothing", () => {
  for (const text of ["99999999999999999999d", "100000000000h"]) {
    assert.throws(
      () => parseTimeArg(text, now),
      (error: unknown) =>
        isAppError(error) && error.code === "usage.bad_time" && error.exitCode === 2 &&
        error.message ===
          `cannot read the time "${text}" given to --since: that age reaches back further than a date can`,
    );
  }
  assert.throws(() => parseTimeArg("1e3d", now), /cannot read the time "1e3d"/);
  assert.throws(() => parseTimeArg("-5h", now), /cannot read the time "-5h"/);
});

Deno.test("parseTimeArg() reads a bare date as --until up to the end of that day, UTC", () => {
  assert.equal(
    parseTimeArg("2026-03-01", now, "--until").toISOString(),
    "2026-03-01T23:59:59.999Z",
  );
  assert.equal(
    parseTimeArg("2024-02-29", now, "--until").toISOString(),
    "2024-02-29T23:59:59.999Z",
  );
  const day = parsePeriod({ since: "2026-03-01", until: "2026-03-01" }, now);
  assert.equal(day.since?.toISOString(), "2026-03-01T00:00:00.000Z");
  assert.equal(day.until?.toISOString(), "2026-03-01T23:59:59.999Z");
  // A time, like a date, is the whole of its last unit given (as show prints it, to the second).
  assert.equal(
    parseTimeArg("2026-03-01T10:00:40Z", now, "--until").toISOString(),
    "2026-03-01T10:00:40.999Z",
  );
});

Deno.test("parseTimeArg() reads a date and time without a zone as UTC, and honours a zone given", () => {
  for (const text of ["2026-03-01T10:00:40", "2026-03-01 10:00:40", "2026-03-01T10:00:40Z"]) {
    assert.equal(parseTimeArg(text, now).toISOString(), "2026-03-01T10:00:40.000Z", text);
  }
  assert.equal(parseTimeArg("2026-03-01T10:00", now).toISOString(), "2026-03-01T10:00:00.000Z");
  assert.equal(
    parseTimeArg("2026-03-01T10:00:40+02:00", now).toISOString(),
    "2026-03-01T08:00:40.000Z",
  );
  assert.equal(
    parseTimeArg("2026-03-01T10:00:40-0500", now).toISOString(),
    "2026-03-01T15:00:40.000Z",
  );
  // Records are stamped to the millisecond: a finer time keeps inside the period asked for.
  assert.equal(
    parseTimeArg("2026-03-01T10:00:40.0005Z", now, "--since").toISOString(),
    "2026-03-01T10:00:40.001Z",
  );
  assert.equal(
    parseTimeArg("2026-03-01T10:00:40.0005Z", now, "--until").toISOString(),
    "2026-03-01T10:00:40.000Z",
  );
});

Deno.test("parseTimeArg() refuses a date or time that does not exist, naming the flag and the forms", () => {
  const cases: [string, RegExp][] = [
    ["2026-02-31", /February 2026 has no day 31 \(it has 28\)/],
    ["2025-02-29", /February 2025 has no day 29/],
    ["2026-13-01", /there is no month 13/],
    ["2026-00-10", /there is no month 00/],
    ["2026-04-31", /April 2026 has no day 31/],
    ["2026-03-01T25:00:00Z", /there is no hour 25/],
    ["2026-03-01T10:60", /there is no minute 60/],
    ["2026-03-01T10:00:60Z", /there is no second 60/],
    ["2026-03-01T10:00:00+24:00", /the offset \+24:00 is not a zone/],
  ];
  for (const flag of ["--since", "--until"] as const) {
    for (const [text, why] of cases) {
      assert.throws(
        () => parseTimeArg(text, now, flag),
        (error: unknown) =>
          isAppError(error, "usage.bad_time") && error.exitCode === 2 &&
          error.message.startsWith(`cannot read the time "${text}" given to ${flag}: `) &&
          why.test(error.message) && /"2026-03-01T09:00:00Z"/.test(error.hints.join("\n")) &&
          /read as UTC/.test(error.hints.join("\n")),
        `${flag} ${text}`,
      );
    }
  }
  for (
    const text of ["2026-3-1", "2026-03-01T10", "2026-03-01Z", "20260301", "2026-03-01T10:00:00 Z"]
  ) {
    assert.throws(() => parseTimeArg(text, now, "--until"), /given to --until: it is not a date/);
  }
});

Deno.test("parsePeriod() refuses a period that ends before it starts", () => {
  assert.throws(
    () => parsePeriod({ since: "2026-03-02", until: "2026-03-01" }, now),
    (error: unknown) =>
      isAppError(error, "usage.bad_time") && error.exitCode === 2 &&
      /--since "2026-03-02" \(2026-03-02T00:00:00.000Z\) is after --until "2026-03-01"/.test(
        error.message,
      ),
  );
  assert.deepEqual(parsePeriod({}, now), {});
});
