/**
 * The hints of `thoth run`'s numeric flags name the defaults `thoth run`
 * applies, taken from the one constant each: the approval timeout's is 45 s
 * (`approval/approval_timeout.ts`), not a copy that said 60.
 */
import assert from "node:assert/strict";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../../src/approval/approval_timeout.ts";
import { DEFAULT_GRACE_MS } from "../../src/proxy/proxy_defaults.ts";
import { checkApprovalTimeout, checkGraceMs } from "../../src/config/run_flag_numbers.ts";
import { RUN_DEFAULTS } from "../../src/cli/run_options.ts";
import { isAppError } from "../../src/errors.ts";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const SECONDS = DEFAULT_APPROVAL_TIMEOUT_MS / 1000;

function hintsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    assert.ok(isAppError(error, "usage.bad_flag"));
    return error.hints;
  }
  assert.fail("expected a refusal");
}

Deno.test("thoth run --approval-timeout: the hint names the default thoth run applies", async () => {
  const home = await tempFolder("thoth-run-hints-");
  const env = { THOTH_HOME: home, HOME: home };
  assert.equal(SECONDS, 45, "README and run --help say 45");
  assert.equal(RUN_DEFAULTS.approvalTimeout, SECONDS);

  const low = await runThoth(["run", "--approval-timeout", "0", "--", "true"], { env, cwd: home });
  assert.equal(low.code, 2, low.err);
  assert.match(low.err, /^thoth: error: --approval-timeout: "0" is out of range/m);
  assert.match(
    low.err,
    new RegExp(`^thoth: hint: choose between 1 and 3600; the default is ${SECONDS}$`, "m"),
  );

  const exponent = await runThoth(["run", "--approval-timeout", "1e1", "--", "true"], {
    env,
    cwd: home,
  });
  assert.equal(exponent.code, 2, exponent.err);
  assert.match(exponent.err, new RegExp(`for example "${SECONDS}" \\(the default\\)$`, "m"));
  assert.doesNotMatch(low.err + exponent.err, /\b60\b/);
});

Deno.test("checkApprovalTimeout() and checkGraceMs() name the constants' defaults", () => {
  assert.deepEqual(hintsOf(() => checkApprovalTimeout("3601")), [
    `choose between 1 and 3600; the default is ${SECONDS}`,
  ]);
  assert.match(
    hintsOf(() => checkApprovalTimeout("+5"))[0]!,
    new RegExp(`"${SECONDS}" \\(the default\\)$`),
  );
  assert.deepEqual(hintsOf(() => checkGraceMs("600001")), [
    `choose between 0 and 600000; the default is ${DEFAULT_GRACE_MS}`,
  ]);
});
