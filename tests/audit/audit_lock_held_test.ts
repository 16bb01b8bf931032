/**
 * The audit writers' lock held by another process (a stopped thoth, a long
 * export): opening the log and exporting wait without blocking the thread,
 * say once on `note` what they wait for, and give up with `audit.locked`
 * naming the lock and the remedy. The lock they gave up on is let go once it
 * comes. The holder is a real process; the waits are injected short ones.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { isAppError } from "../../src/errors.ts";
import { FileLock } from "../../src/platform/file_lock.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { HAS_FIFO, replaceWithFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { sampleLog } from "./_log_helpers.ts";

const SHORT = { waitMs: 400, noteAfterMs: 50 };
/** The longest the holder keeps the lock: code that waits for it for ever ends, and fails. */
const HOLD_AT_MOST = 3_000;

/** What `run` settles with: its value, or the error it rejects with. */
async function settled<T>(run: () => Promise<T>): Promise<T | unknown> {
  return await run().then((value) => value, (error: unknown) => error);
}

Deno.test("openAuditLog() gives up on a lock another process keeps: audit.locked, named, said once", async () => {
  const home = await tempFolder("thoth-audit-locked-");
  await Deno.mkdir(auditPaths(home).dir, { recursive: true });
  const lock = auditPaths(home).lock;
  const holder = await holdLock(lock, HOLD_AT_MOST);
  const notes: string[] = [];
  let error: unknown;
  try {
    error = await settled(() =>
      openAuditLog({ thothHome: home, lockPatience: SHORT, note: (m) => notes.push(m) })
    );
  } finally {
    await holder.release();
  }
  assert.ok(isAppError(error, "audit.locked"), `opened anyway: ${String(error)}`);
  assert.equal(
    error.message,
    `cannot write the audit log in "${
      auditPaths(home).dir
    }": its lock "${lock}" was held by another process for 0.4 s`,
  );
  assert.match(error.hints.join("\n"), /to see which process holds it, run: /);
  assert.match(
    error.hints.join("\n"),
    /a stopped process .* resume it .* or end it, then try again/,
  );
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.match(
    notes[0]!,
    /^warning: waiting for the audit log's lock ".+\/audit\/\.lock", which another process holds \(another thoth session writing, a "thoth audit export", or a thoth process that was stopped, as with Ctrl-Z\); giving up after 0\.4 s; to see which process holds it/,
  );
  // The lock it gave up on came later, and was let go: the log opens now.
  const log = await openAuditLog({ thothHome: home, lockPatience: SHORT, note: () => {} });
  await log.close();
});

Deno.test("openAuditLog() waits for a holder that lets go in time, and says once that it waits", async () => {
  const home = await tempFolder("thoth-audit-locked-");
  await Deno.mkdir(auditPaths(home).dir, { recursive: true });
  const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
  const notes: string[] = [];
  try {
    const log = await openAuditLog({
      thothHome: home,
      lockPatience: { waitMs: 20_000, noteAfterMs: 50 },
      // The holder goes on once the wait was told: the open takes the lock then.
      note: (m) => {
        notes.push(m);
        void holder.release();
      },
    });
    await log.append({
      type: "session_start",
      session: "s-1",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.close();
  } finally {
    await holder.release();
  }
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.match(notes[0]!, /giving up after 20 s/);
});

Deno.test("exportBundle() gives up on a lock another process keeps: audit.locked, nothing written", async () => {
  const home = await sampleLog(1, 4);
  const output = `${await tempFolder("thoth-bundle-")}/out`;
  const lock = auditPaths(home).lock;
  const holder = await holdLock(lock, HOLD_AT_MOST);
  const notes: string[] = [];
  let error: unknown;
  try {
    error = await settled(() =>
      exportBundle(home, {
        output,
        now: new Date("2026-03-02T00:00:00Z"),
        lockPatience: SHORT,
        note: (m) => notes.push(m),
      })
    );
  } finally {
    await holder.release();
  }
  assert.ok(isAppError(error, "audit.locked"), `exported anyway: ${JSON.stringify(error)}`);
  assert.match(
    error.message,
    /^cannot export the audit log in ".+\/audit": its lock ".+\/audit\/\.lock" was held by another process for 0\.4 s$/,
  );
  assert.equal(notes.length, 1, notes.join("\n"));
  await assert.rejects(Deno.stat(output), Deno.errors.NotFound);
  // Once the holder is gone, the export runs.
  const summary = await exportBundle(home, { output, now: new Date("2026-03-02T00:00:00Z") });
  assert.ok(summary.records > 0);
});

Deno.test({
  name:
    "exportBundle() holds the writers' lock only briefly: a FIFO for the keys file is refused at once",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const keys = auditPaths(home).publicKeys;
    await replaceWithFifo(keys);
    const output = `${await tempFolder("thoth-bundle-")}/out`;
    const error = await settlesAtOnce(
      () => settled(() => exportBundle(home, { output, now: new Date("2026-03-02T00:00:00Z") })),
      keys,
    );
    assert.ok(isAppError(error, "audit.bad_keys"), String(error));
    assert.match(error.message, /^cannot read the signing keys ".+": it is not a regular file$/);
    // The lock was let go: a writer takes it at once.
    const lock = await FileLock.open(auditPaths(home).lock);
    try {
      assert.equal(await lock.acquireWithin(SHORT.waitMs), true);
      await lock.release();
    } finally {
      lock.close();
    }
  },
});
