/**
 * `thoth doctor` and `thoth health --json` tell apart the permissions thoth
 * runs with: its own set (`-P=thoth`, what the release build bakes in)
 * passes and the proxy core's sandbox is started; `-A` warns; the set
 * without `--allow-run` (every `thoth run` session would fail) fails with
 * the remedy. The real CLI from source, under each set of flags.
 */
import assert from "node:assert/strict";
import { thothWithFlags } from "./_thoth_with_flags.ts";

/** The thoth set of deno.json, as flags, without `--allow-run`. */
const THOTH_WITHOUT_RUN = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-sys=hostname,osRelease,uid,gid",
];

/** Runs thoth from source with `flags` and `args` in a fresh home. */
function thothWith(flags: readonly string[], args: readonly string[]) {
  return thothWithFlags("thoth-doctor-sandbox-", () => flags, args);
}

/** The sandbox line of doctor's report and the hint line under it, if any. */
function sandboxLines(out: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => / sandbox +/.test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  return { line: lines[at]!, hint: /^ +hint: /.test(next) ? next.trim() : "" };
}

Deno.test("thoth doctor with thoth's permission set: the sandbox check passes and starts the sandbox", async () => {
  const run = await thothWith(["-P=thoth"], ["doctor"]);
  const { line } = sandboxLines(run.out);
  assert.match(
    line,
    /^✓ sandbox +thoth from source, granted read, write, net, env, sys \(gid, hostname, osRelease, uid\), run; the proxy core's sandbox starts /,
  );
});

Deno.test("thoth doctor under -A warns that thoth has every permission", async () => {
  const run = await thothWith(["-A"], ["doctor"]);
  const { line, hint } = sandboxLines(run.out);
  assert.match(
    line,
    /^! sandbox +thoth from source, granted read, write, net, env, sys, run, ffi, import; granted every permission \(-A or the like\), more than thoth's permission set \(sys, ffi, import\); the proxy core's sandbox starts /,
  );
  assert.match(
    hint,
    /^hint: start thoth with its permission set only: \S+ run -P=thoth .* doctor$/,
  );
});

Deno.test("thoth doctor without --allow-run fails the sandbox check, names run and the remedy", async () => {
  const run = await thothWith(THOTH_WITHOUT_RUN, ["doctor"]);
  assert.equal(run.code, 1, run.err);
  const { line, hint } = sandboxLines(run.out);
  assert.match(
    line,
    /^✗ sandbox +thoth from source, granted read, write, net, env, sys \(gid, hostname, osRelease, uid\); not granted run of thoth's permission set: thoth run needs it for every session; thoth may not start ".+" \(its permissions do not include running it\), so the sandbox was not tried$/,
  );
  assert.match(hint, /^hint: start thoth with its permission set: \S+ run -P=thoth .* doctor$/);
});

Deno.test("thoth health --json reports the sandbox: missing run, not ok", async () => {
  const run = await thothWith(THOTH_WITHOUT_RUN, ["health", "--json"]);
  assert.equal(run.code, 0, run.err);
  const sandbox = JSON.parse(run.out).sandbox;
  assert.equal(sandbox.compiled, false);
  assert.deepEqual(sandbox.missing, ["run"]);
  assert.equal(sandbox.ok, false);
  assert.equal(sandbox.started, null);
  assert.match(sandbox.problem, /not granted run of thoth's permission set/);
  assert.match(run.err, /^thoth: sandbox: thoth from source, granted /m);

  const built = JSON.parse((await thothWith(["-P=thoth"], ["health", "--json"])).out).sandbox;
  assert.deepEqual(
    { ok: built.ok, started: built.started, missing: built.missing, all: built.all_permissions },
    { ok: true, started: true, missing: [], all: false },
  );
});
