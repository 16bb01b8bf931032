/**
 * A mistyped flag of `thoth run` is answered with the flag it most likely
 * meant, as the other commands' parser answers one: on stderr, and in the
 * answer the MCP client gets; never a guess when no flag is near.
 */
import assert from "node:assert/strict";
import { closestRunFlag } from "../../src/cli/run_flag_table.ts";
import { parseRunArgs } from "../../src/cli/run_flags.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";

const INITIALIZE = initializeLine();

Deno.test("closestRunFlag() names a flag a letter or two away, or the one a prefix starts", () => {
  assert.equal(closestRunFlag("--enforcment-mode"), "--enforcement-mode");
  assert.equal(closestRunFlag("--agent-idd"), "--agent-id");
  assert.equal(closestRunFlag("--agnet-id"), "--agent-id", "two letters swapped");
  assert.equal(closestRunFlag("-agent-id"), "--agent-id", "one dash");
  assert.equal(closestRunFlag("--Agent-ID"), "--agent-id", "case");
  assert.equal(closestRunFlag("--apikey"), "--api-key");
  assert.equal(closestRunFlag("--max-line"), "--max-line-bytes", "a prefix");
  assert.equal(closestRunFlag("--hepl"), "--help");
});

Deno.test("closestRunFlag() guesses nothing when no flag is near, or several are", () => {
  assert.equal(closestRunFlag("--xyz"), undefined);
  assert.equal(closestRunFlag("--bogus"), undefined);
  assert.equal(closestRunFlag("--fleet-id"), undefined, "three letters from --agent-id");
  assert.equal(closestRunFlag("--a"), undefined, "a prefix of several, too short");
  assert.equal(closestRunFlag("--agent-id"), undefined, "a flag itself");
});

Deno.test("an unknown flag's refusal suggests the near flag to stderr and to the client", () => {
  const refusal = parseRunArgs(["--enforcment-mode", "block", "--", "npx", "foo"])?.options
    .refusal;
  assert.ok(refusal !== undefined);
  assert.equal(refusal.error.message, "unknown option '--enforcment-mode'");
  assert.deepEqual(refusal.error.hints, [
    "did you mean --enforcement-mode?",
    'run "thoth run --help" to see its usage',
  ]);
  assert.match(
    refusal.wire,
    /"--enforcment-mode" is not a flag of thoth run \(did you mean --enforcement-mode\?\)\. Fix/,
  );
  const withValue = parseRunArgs(["--agent-idd=fs", "--", "node"])?.options.refusal;
  assert.equal(withValue?.error.hints[0], "did you mean --agent-id?");
  assert.match(withValue?.wire ?? "", /\(did you mean --agent-id\?\)/);
  const far = parseRunArgs(["--xyz", "--", "node"])?.options.refusal;
  assert.deepEqual(far?.error.hints, ['run "thoth run --help" to see its usage']);
  assert.doesNotMatch(far?.wire ?? "", /did you mean/);
});

Deno.test("thoth run with a mistyped flag tells the client and its log which flag was meant", async () => {
  const home = await tempFolder("thoth-run-suggest-");
  const run = await runThoth(["run", "--enforcment-mode", "block", "--", "npx", "foo"], {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
    stdin: INITIALIZE,
  });
  assert.equal(run.code, 2, run.err);
  assert.match(run.err, /^thoth: error: unknown option '--enforcment-mode'$/m);
  assert.match(run.err, /^thoth: hint: did you mean --enforcement-mode\?$/m);
  assert.match(run.err, /^thoth: hint: run "thoth run --help" to see its usage$/m);
  const answer = JSON.parse(run.out.split("\n")[0]!);
  assert.equal(answer.id, 1);
  assert.match(answer.error.message, /\(did you mean --enforcement-mode\?\)/);
});
