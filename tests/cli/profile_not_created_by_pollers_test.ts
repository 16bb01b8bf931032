/**
 * `thoth doctor`, `thoth health` and `thoth status` make no folder above the
 * profile: a THOTH_HOME whose parent folder is not there (a mistyped path, a
 * volume not mounted) is reported as missing, and nothing is created there.
 * (A missing profile whose folder is there is set up the first time, as the
 * product reference says of the first run: see doctor_test.ts.)
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("doctor, health and status make no folder above THOTH_HOME, and report the profile missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-pollers-" });
  try {
    await Deno.mkdir(`${dir}/home`);
    const profile = `${dir}/nonexistent-dir/sub`;
    const env = { HOME: `${dir}/home`, THOTH_HOME: profile };
    const health = await runThoth(["health", "--json"], { cwd: dir, env, timeoutMs: 120_000 });
    assert.equal(health.code, 0, health.err);
    const report = JSON.parse(health.out);
    assert.equal(report.profile.ok, false);
    assert.match(
      report.profile.problem,
      /does not exist, and neither does its folder ".*nonexistent-dir"/,
    );
    assert.equal(await exists(`${dir}/nonexistent-dir`), false);

    const doctor = await runThoth(["doctor", "--json"], { cwd: dir, env, timeoutMs: 120_000 });
    const check = JSON.parse(doctor.out).checks.find((c: { id: string }) => c.id === "profile");
    assert.equal(check.status, "fail");
    assert.match(check.message, /does not exist/);
    assert.match(check.hint, /check THOTH_HOME/);
    assert.equal(await exists(`${dir}/nonexistent-dir`), false);

    const config = `${dir}/c.json`;
    await Deno.writeTextFile(config, '{"mcpServers": {}}');
    await runThoth(["status", "--config", config], { cwd: dir, env });
    assert.equal(await exists(`${dir}/nonexistent-dir`), false);
    assert.deepEqual([...Deno.readDirSync(`${dir}/home`)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
