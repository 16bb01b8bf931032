/**
 * A session file's `expires_at` string is read strictly: an ISO 8601 time
 * with `Z` or an offset, or digits only as seconds since 1970. `Date.parse`
 * read `"3600"` as the year 3600 (a session that never expires), `"12"` as
 * 2001 and a time without an offset in the machine's own time zone.
 */
import assert from "node:assert/strict";
import { expiresAtTime } from "../../src/identity/expires_at_time.ts";
import { parseAuthTokenFile } from "../../src/identity/parse_auth_token_file.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("expiresAtTime() reads ISO 8601 times with Z or an offset, and digits as seconds", () => {
  const cases: [string, string][] = [
    ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01t10:00:00z", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T10:00Z", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T11:00:00+01:00", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T05:30:00-0430", "2026-03-01T10:00:00.000Z"],
    ["2026-03-01T10:00:00.25Z", "2026-03-01T10:00:00.250Z"],
    ["2026-03-01 10:00:00Z", "2026-03-01T10:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["1772359200", "2026-03-01T10:00:00.000Z"],
    ["3600", "1970-01-01T01:00:00.000Z"],
    ["12", "1970-01-01T00:00:12.000Z"],
  ];
  for (const [text, iso] of cases) {
    assert.equal(expiresAtTime(text).date?.toISOString(), iso, text);
  }
});

Deno.test("expiresAtTime() refuses a time without an offset, a loose date, one that does not exist", () => {
  for (
    const text of [
      "2026-03-01  10:00:00Z",
      "March 1, 2026",
      "Sun, 01 Mar 2026 10:00:00 GMT",
      "+061971-01-01T00:00:00Z",
      "",
    ]
  ) {
    assert.match(
      expiresAtTime(text).problem ?? "",
      /not an ISO 8601 time with Z or an offset/,
      text,
    );
  }
  const problems: [string, RegExp][] = [
    ["2026-03-01T10:00:00", /^has no Z or UTC offset \(such as 2026-03-01T10:00:00Z/],
    ["2026-03-01 10:00", /^has no Z or UTC offset/],
    ["2026-03-01", /^is a date without a time of day/],
    ["2026-03-01T10:00:00+1:00", /^ends in "\+1:00", which is not Z or a UTC offset/],
    ["2026-03-01 10:00:00 UTC", /^ends in " UTC", which is not Z or a UTC offset/],
    ["2026-03-01T10:00:00.1234567890Z", /^has a fraction of a second that is not 1 to 9 digits/],
    ["-3600", /^is not a whole number of seconds since 1970 \(digits only/],
    ["1.5", /^is not a whole number of seconds since 1970/],
  ];
  for (const [text, problem] of problems) {
    assert.match(expiresAtTime(text).problem ?? "", problem, text);
  }
  for (
    const text of [
      "2026-02-30T00:00:00Z",
      "2025-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-03-01T24:00:00Z",
      "2026-03-01T10:60:00Z",
      "2026-03-01T10:00:60Z",
      "2026-03-01T10:00:00+24:00",
    ]
  ) {
    assert.equal(expiresAtTime(text).problem, "is not a time that exists", text);
  }
  assert.match(expiresAtTime("0069-01-01T00:00:00Z").problem ?? "", /before 1970/);
  assert.match(expiresAtTime("253402300800").problem ?? "", /after the year 9999/);
});

Deno.test('a session file\'s expires_at "3600" has expired; one without an offset is not valid', () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const read = parseAuthTokenFile('{"access_token":"opaque-1","expires_at":"3600"}', "/s");
  assert.ok(read.expiresAt !== null && read.expiresAt.getTime() < now.getTime());
  assert.throws(
    () =>
      parseAuthTokenFile('{"access_token":"opaque-1","expires_at":"2999-01-01T00:00:00"}', "/s"),
    (error: unknown) =>
      isAppError(error, "credentials.malformed") &&
      /"expires_at" "2999-01-01T00:00:00" has no Z or UTC offset/.test(
        error.message,
      ),
  );
});

Deno.test("a session file's expires_at as Python's str(datetime) writes it (a space, an offset) is read", () => {
  const text = '{"access_token":"opaque-1","expires_at":"2026-12-06 11:09:06.151056+00:00"}';
  const read = parseAuthTokenFile(text, "/s");
  assert.equal(read.expiresAt?.toISOString(), "2026-12-06T11:09:06.151Z");
  assert.equal(
    expiresAtTime("2026-03-01 11:00:00+01:00").date?.toISOString(),
    "2026-03-01T10:00:00.000Z",
  );
});
