/**
 * thoth from source started the documented way (`deno task thoth`, or the
 * launch command a client entry holds: `--no-remote --cached-only`, under
 * which Deno reports `import` granted whole) passes doctor's sandbox check:
 * no warning a person cannot fix on a healthy install. The command doctor's
 * hint gives under `-A` leads to a clean check, and an `import` that can
 * fetch from the network (`--allow-import`) still warns. The real CLI, in a
 * fresh home.
 */
import assert from "node:assert/strict";
import { thothSourceArgs } from "../../scripts/_thoth_source.ts";
import { commandLineText } from "../../src/doctor/command_line_text.ts";
import { CLEAN_ENV } from "./_thoth_process.ts";
import { DENO, ROOT } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { thothWithFlags } from "./_thoth_with_flags.ts";
import { SELF } from "./_source_thoth.ts";

/** Runs `args` with deno in a fresh home, which is also the working folder unless `cwd`. */
async function denoIn(
  args: readonly string[],
  cwd?: string,
): Promise<{ code: number; out: string; err: string }> {
  const home = await tempFolder("thoth-doctor-launch-");
  const output = await new Deno.Command(DENO, {
    args: [...args],
    cwd: cwd ?? home,
    clearEnv: true,
    env: { ...CLEAN_ENV, HOME: home, THOTH_HOME: `${home}/.thoth`, DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: output.code, out: dec.decode(output.stdout), err: dec.decode(output.stderr) };
}

/** The sandbox line of doctor's report and the hint line under it, if any. */
function sandboxLines(out: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => / sandbox +/.test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  return { line: lines[at]!, hint: /^ +hint: /.test(next) ? next.trim() : "" };
}

Deno.test("deno task thoth doctor: the sandbox check passes; import, granted under --cached-only, is not more than the set", async () => {
  const run = await denoIn(["task", "-q", "thoth", "doctor"], ROOT);
  const { line, hint } = sandboxLines(run.out);
  assert.match(
    line,
    /^✓ sandbox +thoth from source, granted read, write, net, env, sys \(gid, hostname, osRelease, uid\), run, import \(no remote module can load: --no-remote\); the proxy core's sandbox starts /,
  );
  assert.equal(hint, "");
});

Deno.test("thoth doctor under -A hints at a command whose own sandbox check is clean", async () => {
  // deno as thoth names itself: the PATH entry that leads to it, when one does.
  const launch = [SELF[0]!, ...thothSourceArgs(ROOT), "doctor"];
  const wide = await thothWithFlags("thoth-doctor-launch-", () => ["-A"], ["doctor"]);
  const { line, hint } = sandboxLines(wide.out);
  assert.match(line, /^! sandbox +.*granted every permission/);
  assert.equal(hint, `hint: start thoth with its permission set only: ${commandLineText(launch)}`);

  const followed = sandboxLines((await denoIn(launch.slice(1))).out);
  assert.match(followed.line, /^✓ sandbox +thoth from source, granted .*, run, import \(/);
  assert.equal(followed.hint, "");
});

Deno.test("thoth doctor under --cached-only alone: import reaches only Deno's cache, no warning", async () => {
  const run = await thothWithFlags(
    "thoth-doctor-launch-",
    () => ["-P=thoth", "--cached-only"],
    ["doctor"],
  );
  const { line } = sandboxLines(run.out);
  assert.match(
    line,
    /^✓ sandbox +.*, run, import \(only modules already in Deno's cache: --cached-only\); /,
  );
});

Deno.test("thoth doctor with --allow-import, which can fetch a module, still warns of import", async () => {
  const run = await thothWithFlags(
    "thoth-doctor-launch-",
    () => ["-P=thoth", "--allow-import"],
    ["doctor"],
  );
  const { line, hint } = sandboxLines(run.out);
  assert.match(
    line,
    /^! sandbox +.*, run, import; granted more than thoth's permission set: import; /,
  );
  assert.match(hint, /^hint: start thoth with its permission set only: /);
});
