import assert from "node:assert/strict";
import { readWholeNumberFlag } from "../../src/config/whole_number_flag.ts";
import { checkApprovalTimeout, checkGraceMs } from "../../src/config/run_flag_numbers.ts";
import { AppError } from "../../src/errors.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../../src/approval/approval_timeout.ts";
import { DEFAULT_GRACE_MS } from "../../src/proxy/proxy_defaults.ts";

const MS = { min: 50, max: 60_000, expected: "whole milliseconds", fallback: 500 } as const;

function refusal(read: () => number): AppError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail("expected a refusal");
}

Deno.test("readWholeNumberFlag() takes plain decimal digits in range, leading zeros as decimal", () => {
  assert.equal(readWholeNumberFlag("--interval", "50", MS), 50);
  assert.equal(readWholeNumberFlag("--interval", "60000", MS), 60_000);
  assert.equal(readWholeNumberFlag("--interval", "0500", MS), 500);
  const seq = { min: 0, max: Number.MAX_SAFE_INTEGER, expected: "a sequence number" };
  assert.equal(readWholeNumberFlag("--seq", "9007199254740991", seq), Number.MAX_SAFE_INTEGER);
});

Deno.test("readWholeNumberFlag() refuses anything but digits as a usage error that names flag and value", () => {
  for (const value of ["0x40", "1e3", "+60", "-60", "60.0", " 60", "", "NaN", "Infinity", "６０"]) {
    const error = refusal(() => readWholeNumberFlag("--interval", value, MS));
    assert.equal(error.code, "usage.bad_flag");
    assert.equal(error.exitCode, 2);
    assert.equal(
      error.message,
      `--interval: ${
        JSON.stringify(value)
      } is not a plain decimal number; expected whole milliseconds from 50 to 60000`,
    );
    assert.deepEqual(error.hints, [
      'write digits only, with no sign, spaces, "_", "." or exponent, for example "500" (the default)',
    ]);
  }
});

Deno.test("readWholeNumberFlag() refuses a value out of range, or too long to hold exactly", () => {
  const low = refusal(() => readWholeNumberFlag("--interval", "49", MS));
  assert.equal(
    low.message,
    '--interval: "49" is out of range; expected whole milliseconds from 50 to 60000',
  );
  assert.deepEqual(low.hints, ["choose between 50 and 60000; the default is 500"]);
  const seq = { min: 0, max: Number.MAX_SAFE_INTEGER, expected: "a sequence number", example: 42 };
  const big = refusal(() => readWholeNumberFlag("--seq", "9007199254740993", seq));
  assert.equal(big.exitCode, 2);
  assert.deepEqual(big.hints, ["choose between 0 and 9007199254740991"]);
  const text = refusal(() => readWholeNumberFlag("--seq", "x", seq));
  assert.match(text.hints[0]!, /, for example "42"$/);
});

Deno.test("thoth run's numeric flags read through the same reader, with the same words", () => {
  const grace = {
    min: 0,
    max: 600_000,
    expected: "whole milliseconds",
    fallback: DEFAULT_GRACE_MS,
  };
  const timeout = {
    min: 1,
    max: 3600,
    expected: "whole seconds",
    fallback: DEFAULT_APPROVAL_TIMEOUT_MS / 1000,
  };
  for (const value of ["0x10", "600001", "-1", ""]) {
    const ours = refusal(() => checkGraceMs(value));
    const shared = refusal(() => readWholeNumberFlag("--shutdown-grace-ms", value, grace));
    assert.deepEqual([ours.message, ours.hints], [shared.message, shared.hints]);
  }
  for (const value of ["0", "3601", "1e2"]) {
    const ours = refusal(() => checkApprovalTimeout(value));
    const shared = refusal(() => readWholeNumberFlag("--approval-timeout", value, timeout));
    assert.deepEqual([ours.message, ours.hints], [shared.message, shared.hints]);
  }
});
