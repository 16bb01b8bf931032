/**
 * The permission check as CI runs it, against a `deno.json` edited to turn it
 * off: a `check-permissions` task that only echoes what the check would say,
 * beside a widened `thothctl` set. `.ci/run` itself runs in a temp copy of the
 * project with a `deno` on PATH that records its calls, runs `deno run` and
 * `deno task check-permissions` for real, and stands in for the rest (install, fmt, lint, the
 * type check and the test run) so the run is quick; skipped on Windows, where
 * `.ci/run` (bash) is not run. The checker script is also run on its own, as
 * CI runs it, to read its findings and notes.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { grantOfFlags, grantOfSet, sameGrant } from "../../src/release/permission_grants.ts";
import { PERMISSION_CEILINGS } from "../../src/release/permission_ceiling.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const CANONICAL = "deno run -P=check_permissions --no-prompt --quiet scripts/check_permissions.ts";
const dec = new TextDecoder();

type Config = Record<string, Record<string, unknown>>;

/** The real deno.json, changed: the task only echoes, and thothctl may use the network and run programs. */
function switchedOff(config: Config): void {
  (config["tasks"] as Record<string, string>)["check-permissions"] = "echo check_permissions: ok";
  const thothctl = (config["permissions"] as Record<string, Record<string, unknown>>)["thothctl"];
  if (thothctl !== undefined) Object.assign(thothctl, { net: true, run: true });
}

async function writeConfig(dir: string, change: (config: Config) => void): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as Config;
  change(config);
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config, null, 2) + "\n");
}

/** The checker run as .ci/run runs it, on `dir/deno.json`, with `--json` and without. */
async function runChecker(dir: string, json: boolean) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-lock",
      "--no-remote",
      "--no-prompt",
      "--quiet",
      "--allow-read",
      `${ROOT}/scripts/check_permissions.ts`,
      "--config",
      `${dir}/deno.json`,
      ...(json ? ["--json"] : []),
    ],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: dec.decode(out.stderr), stdout: dec.decode(out.stdout) };
}

/** What the checker prints with --json, run as .ci/run runs it, on `dir/deno.json`. */
async function checkAsCi(dir: string) {
  const { code, stderr, stdout } = await runChecker(dir, true);
  assert.ok(stdout !== "", stderr);
  const report = JSON.parse(stdout);
  return { code, stderr, findings: report.findings, notes: report.notes };
}

Deno.test("check_permissions.ts refuses a check-permissions task that is not its canonical command", async () => {
  const dir = await tempFolder("thoth-ci-canonical-");
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  await writeConfig(dir, switchedOff);
  const r = await checkAsCi(dir);
  assert.equal(r.code, 1, r.stderr);
  const canonical = r.findings.filter((f: { code: string }) => f.code === "not_canonical");
  assert.equal(canonical.length, 1, JSON.stringify(r.findings));
  assert.equal(canonical[0].where, 'task "check-permissions"');
  assert.equal(
    canonical[0].message.startsWith(`must be exactly ${JSON.stringify(CANONICAL)}`),
    true,
    canonical[0].message,
  );
  assert.ok(
    r.findings.some((f: { code: string; where: string }) =>
      f.code === "above_ceiling" && f.where === 'permission set "thothctl"'
    ),
  );
  assert.ok(
    r.findings.some((f: { code: string; where: string }) =>
      f.code === "allow_all" && f.where === 'permission set "thothctl"'
    ),
    "thothctl's unscoped run is allow-all-equivalent and not allowed",
  );

  // The real deno.json has the canonical task.
  const real = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  assert.equal(real.tasks["check-permissions"], CANONICAL);
});

Deno.test("check_permissions.ts notes the sets allowed an unscoped run and refuses a new one", async () => {
  const dir = await tempFolder("thoth-ci-run-");
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  await writeConfig(dir, () => {});
  const ok = await checkAsCi(dir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(ok.findings, []);
  assert.deepEqual(ok.notes.map((n: { where: string }) => n.where), [
    'permission set "thoth"',
    'permission set "test"',
    'permission set "build"',
  ]);
  for (const n of ok.notes) assert.match(n.message, /allow-all-equivalent/);
  const text = await runChecker(dir, false);
  assert.equal(text.code, 0, text.stderr);
  for (const set of ["thoth", "test", "build"]) {
    assert.match(
      text.stderr,
      new RegExp(
        `^check_permissions: note: permission set "${set}": grants run without scope`,
        "m",
      ),
    );
  }
  assert.match(text.stderr, /^check_permissions: ok: /m);

  await writeConfig(dir, (c) => {
    (c["permissions"] as Record<string, unknown>)["tool"] = { read: true, run: true };
  });
  const added = await checkAsCi(dir);
  assert.equal(added.code, 1);
  assert.deepEqual(
    added.findings
      .filter((f: { where: string }) => f.where === 'permission set "tool"')
      .map((f: { code: string }) => f.code)
      .sort(),
    ["above_ceiling", "allow_all"],
  );
});

/** A temp copy of what .ci/run needs, and a recording `deno` first on PATH. */
async function ciCopy(): Promise<{ project: string; log: string; env: Record<string, string> }> {
  const dir = await tempFolder("thoth-ci-run-");
  const project = `${dir}/project`;
  await Deno.mkdir(`${project}/.ci`, { recursive: true });
  const copy = await new Deno.Command("cp", {
    args: [
      "-R",
      `${ROOT}/src`,
      `${ROOT}/scripts`,
      `${ROOT}/deno.json`,
      `${ROOT}/deno.lock`,
      project,
    ],
  }).output();
  assert.equal(copy.code, 0, dec.decode(copy.stderr));
  await Deno.copyFile(`${ROOT}/.ci/run`, `${project}/.ci/run`);
  await Deno.chmod(`${project}/.ci/run`, 0o755);
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  const log = `${dir}/deno-calls.log`;
  await Deno.writeTextFile(
    `${bin}/deno`,
    `#!/bin/sh
printf '%s\\n' "$*" >> "$STUB_LOG"
case "$1 $2" in
  "--version "*) echo "deno ${Deno.version.deno} (stub)"; exit 0 ;;
  "task test") echo "ok | 1 passed | 0 failed (1ms)"; exit 0 ;;
  "run "*|"task check-permissions") exec "$REAL_DENO" "$@" ;;
esac
exit 0
`,
  );
  await Deno.chmod(`${bin}/deno`, 0o755);
  const env = {
    PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    HOME: dir,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${dir}/deno-dir`,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    STUB_LOG: log,
    REAL_DENO: Deno.execPath(),
  };
  return { project, log, env };
}

async function runCi(project: string, env: Record<string, string>) {
  const out = await new Deno.Command(`${project}/.ci/run`, {
    cwd: project,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name:
    ".ci/run runs the permission check itself, so a deno.json that switches its task off fails CI",
  ignore: Deno.build.os === "windows",
  async fn() {
    const { project, log, env } = await ciCopy();
    const calls = async () => (await Deno.readTextFile(log)).trim().split("\n");

    // The project as it is passes, with the checker run directly and the grant of its set.
    const pass = await runCi(project, env);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /^1 passed, 0 failed, 0 skipped$/m);
    const check = (await calls()).find((c) => c.endsWith("scripts/check_permissions.ts"));
    assert.equal(
      check,
      "run --no-config --no-lock --no-remote --no-prompt --quiet --allow-read " +
        "scripts/check_permissions.ts",
    );
    const words = (check as string).split(" ");
    const ceiling = grantOfSet(PERMISSION_CEILINGS["check_permissions"]);
    assert.ok(sameGrant(grantOfFlags(words.slice(1, -1)).grant, ceiling), check);
    assert.ok(!(await calls()).some((c) => c.startsWith("task check-permissions")));

    // deno.json turns its task into an echo and widens thothctl: CI fails before the tests.
    await Deno.remove(log);
    await writeConfig(project, switchedOff);
    const off = await runCi(project, env);
    assert.equal(off.code, 1, off.stdout + off.stderr);
    assert.match(off.stdout, /^ci: step failed: deno run --no-config .*check_permissions\.ts$/m);
    assert.match(off.stderr, /task "check-permissions": must be exactly/);
    assert.match(off.stderr, /permission set "thothctl": grants net, run beyond its ceiling/);
    assert.ok(!(await calls()).includes("task test"), "the tests did not run");

    // With the task as it should be, an import map entry in deno.json that swaps the check's
    // own modules for ones that find nothing does not reach the check CI runs.
    await Deno.remove(log);
    await Deno.writeTextFile(
      `${project}/src/release/finds_nothing.ts`,
      "export const checkPermissions = () => [];\nexport const checkCeilings = () => [];\n" +
        "export const checkUnscopedRun = () => ({ findings: [], notes: [] });\n",
    );
    await writeConfig(project, (c) => {
      const imports = c["imports"] as Record<string, string>;
      for (const name of ["permission_check", "permission_ceiling", "unscoped_run_check"]) {
        imports[`./src/release/${name}.ts`] = "./src/release/finds_nothing.ts";
      }
      const sets = c["permissions"] as Record<string, Record<string, unknown>>;
      Object.assign(sets["thothctl"] ?? {}, { net: true });
    });
    const swapped = await runCi(project, env);
    assert.equal(swapped.code, 1, swapped.stdout + swapped.stderr);
    assert.match(swapped.stderr, /permission set "thothctl": grants net beyond its ceiling/);
    assert.match(
      swapped.stderr,
      /deno\.json "imports": maps "\.\/src\/release\/permission_check\.ts", a path or URL/,
    );
    await Deno.remove(`${project}/src/release/finds_nothing.ts`);

    // Without the script, CI fails instead of skipping the check.
    await Deno.remove(log);
    await writeConfig(project, () => {});
    await Deno.remove(`${project}/scripts/check_permissions.ts`);
    const gone = await runCi(project, env);
    assert.equal(gone.code, 1, gone.stdout + gone.stderr);
    assert.match(gone.stdout, /scripts\/check_permissions\.ts is missing/);
    assert.ok(!(await calls()).includes("task test"), "the tests did not run");
  },
});
