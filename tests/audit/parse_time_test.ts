import assert from "node:assert/strict";
import { parseTimeArg } from "../../src/audit/parse_time.ts";
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
        error.message === `the age "${text}" reaches back further than a date can`,
    );
  }
  assert.throws(() => parseTimeArg("1e3d", now), /cannot read the time "1e3d"/);
  assert.throws(() => parseTimeArg("-5h", now), /cannot read the time "-5h"/);
});
