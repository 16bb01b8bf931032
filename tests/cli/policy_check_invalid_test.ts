/**
 * An invalid policy as `thoth run` and `thoth policy check` report it: run
 * prints the first problems and a count (a session's stderr is no place for
 * a hundred lines), check lists every one, and `check --json` always gives
 * `error.problems` for `policy.invalid`.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { invalidPolicyJson } from "../../src/cli/policy_check_lines.ts";
import { AppError, isAppError } from "../../src/errors.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempDir } from "../e2e/_harness.ts";

Deno.test("thoth run prints a few problems of an invalid policy, policy check every one", async () => {
  await using dir = await tempDir();
  const profile = `${dir.path}/.thoth`;
  Deno.mkdirSync(profile, { recursive: true, mode: 0o700 });
  const rules = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, match: {}, decision: "x" }));
  const file = `${dir.path}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "allow", rules }));
  const run = await prepareSession(fakeCliIo(profile, { PATH: "" }), {
    server: "fs",
    mode: "block",
    policy: file,
  }).catch((error: unknown) => error);
  assert.ok(isAppError(run, "policy.invalid"));
  assert.equal(run.hints.filter((h) => / line \d+ column \d+: rules\[/.test(h)).length, 8);
  assert.ok(run.hints.includes('21 more problems: run "thoth policy check" to list them all'));
  const io = fakeCliIo(profile, {});
  const program = new Command("thoth").addCommand(policyCommand(io));
  assert.equal(await runProgram("thoth", program, ["policy", "check", file], io), 1);
  assert.equal(io.stderr.match(/^thoth: hint: .*: rules\[\d+\]\.decision: /gm)?.length, 29);
  assert.doesNotMatch(io.stderr, /more problems/);
});

Deno.test("policy check --json gives error.problems for every policy.invalid, [] when none is located", () => {
  const doc = JSON.parse(
    invalidPolicyJson(new AppError("policy.invalid", 'progressive window "x" is not a duration')),
  );
  assert.equal(doc.ok, false);
  assert.equal(doc.error.code, "policy.invalid");
  assert.deepEqual(doc.error.problems, []);
});
