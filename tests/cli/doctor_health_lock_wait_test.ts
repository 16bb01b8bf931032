/**
 * `thoth doctor` and `thoth health` with the audit log's lock held by
 * another process (as a thoth stopped with Ctrl-Z holds it) answer without
 * waiting out a session start's 10 s: they wait a second for the lock, then
 * report it held, naming the lock file, how long they waited and how to find
 * its holder. The real CLI, in a temp HOME and THOTH_HOME; the holder lets
 * go only when the test ends.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { holdLock } from "../_hold_lock.ts";

const WAITED = "for all of the 1 s this check waits for it";

Deno.test("thoth doctor and health wait a second for a held audit lock, then say it is held", async () => {
  const thothHome = await sampleLog(1, 2);
  const dir = await tempFolder("thoth-lock-wait-");
  const env = { HOME: dir, THOTH_HOME: thothHome };
  const lock = auditPaths(thothHome).lock;
  const holder = await holdLock(lock, 120_000);
  try {
    const doctor = await runThoth(["doctor", "--json"], { env, cwd: dir });
    const audit = JSON.parse(doctor.out).checks.find((c: { id: string }) => c.id === "audit");
    assert.equal(audit.status, "warn", doctor.out);
    assert.ok(audit.message.includes(`lock "${lock}" was held by another process`), audit.message);
    assert.ok(audit.message.includes(WAITED), audit.message);
    assert.match(audit.message, /a session that starts while it is held waits 10 s for it/);
    assert.ok(audit.hint.includes(`fuser -v "${lock}"`), audit.hint);

    const health = await runThoth(["health", "--json"], { env, cwd: dir });
    assert.equal(health.code, 0, health.err);
    const report = JSON.parse(health.out);
    assert.ok((report.audit.message ?? "").includes(WAITED), health.out);
    assert.match(report.audit.hint ?? "", /fuser -v/);
  } finally {
    await holder.release();
  }
});
