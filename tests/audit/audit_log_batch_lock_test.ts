/**
 * The writers' lock held by another process while a log is open (a thoth
 * stopped with Ctrl-Z, `flock` from a shell): a batch waits for it off the
 * thread, says once what it waits for, gives up with `audit.locked` after
 * its patience (then waits only briefly at each later batch, without a
 * word), and writes once the lock is let go; an idle writer's owed
 * checkpoint that the lock held off is looked for again. The holder is a
 * real process; the patience is injected short.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths, checkpointName } from "../../src/audit/log_paths.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { isAppError } from "../../src/errors.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Longer than any wait below: code that blocks its thread until the holder ends fails, late. */
const HOLD_AT_MOST = 8_000;

const START: AuditEvent = {
  type: "session_start",
  session: "s-1",
  server: "fs",
  commandDigest: "ab".repeat(32),
  envKeys: ["PATH"],
};

function end(session: string): AuditEvent {
  return { type: "session_end", session, exitCode: 0, signal: null };
}

/** Polls `done` every 50 ms (timers, so a blocked thread polls nothing); false after `ms`. */
async function within(ms: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return await done();
}

/** Whether a file exists. */
async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("a batch waits off the thread for a lock another process holds, says so once, and is written once it is let go", async () => {
  const home = await tempFolder("thoth-batch-lock-");
  const notes: string[] = [];
  const log = await openAuditLog({
    thothHome: home,
    batchLockPatience: { waitMs: 6_000, noteAfterMs: 100 },
    note: (message) => notes.push(message),
  });
  try {
    await log.append(START); // and the log's first checkpoint
    const started = await log.append(end("s-1"));
    const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
    let settled = false;
    let appended: Promise<unknown>;
    try {
      appended = log.append(end("s-2")).finally(() => settled = true);
      // The note comes on a timer: only a thread that is not blocked in the lock gets to it.
      assert.ok(await within(4_000, () => notes.length > 0), "no note while the lock was held");
      assert.equal(settled, false, "the batch did not wait for the lock");
    } finally {
      await holder.release();
    }
    const receipt = await appended;
    assert.equal((receipt as { seq: number }).seq, started.seq + 1);
    assert.equal(notes.length, 1, notes.join("\n"));
    assert.match(
      notes[0]!,
      /^warning: waiting for the audit log's lock ".+\/audit\/\.lock", which another process holds .*giving up after 6 s; to see which process holds it/,
    );
  } finally {
    await log.close();
  }
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("a batch gives up on a lock another process keeps with audit.locked, tries again quietly, and writes once it is let go", async () => {
  const home = await tempFolder("thoth-batch-lock-");
  const notes: string[] = [];
  const log = await openAuditLog({
    thothHome: home,
    batchLockPatience: { waitMs: 300, noteAfterMs: 50 },
    note: (message) => notes.push(message),
  });
  try {
    await log.append(START); // and the log's first checkpoint
    const started = await log.append(end("s-1"));
    const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
    try {
      const first = await log.append(end("s-2")).then(() => undefined, (error) => error);
      assert.ok(isAppError(first, "audit.locked"), `written anyway: ${String(first)}`);
      assert.equal(
        first.message,
        `cannot write the audit log in "${auditPaths(home).dir}": its lock "${
          auditPaths(home).lock
        }" was held by another process for 0.3 s`,
      );
      assert.match(first.hints.join("\n"), /to see which process holds it, run: /);
      // Still held: the next batch fails the same way, and says nothing more.
      const again = await log.append(end("s-3")).then(() => undefined, (error) => error);
      assert.ok(isAppError(again, "audit.locked"), `written anyway: ${String(again)}`);
      assert.match(again.message, /was held by another process for 0\.3 s$/);
      assert.equal(notes.length, 1, notes.join("\n"));
    } finally {
      await holder.release();
    }
    const { seq } = await log.append(end("s-4"));
    assert.equal(seq, started.seq + 1, "the batches that failed wrote nothing");
  } finally {
    await log.close();
  }
  assert.equal((await verifyLocalLog(home)).exitCode, 0);
});

Deno.test("an idle writer's owed checkpoint that a held lock put off is looked for again", async () => {
  const home = await tempFolder("thoth-batch-lock-");
  const log = await openAuditLog({
    thothHome: home,
    checkpointIntervalMs: 400,
    checkpointMinIntervalMs: 50,
    batchLockPatience: { waitMs: 200, noteAfterMs: 200 },
    note: () => {},
  });
  try {
    await log.append(START);
    const { seq } = await log.append(end("s-2"));
    const note = `${home}/audit/checkpoints/${checkpointName(seq + 1)}`;
    const holder = await holdLock(auditPaths(home).lock, HOLD_AT_MOST);
    try {
      // The look 400 ms on waits 200 ms and gives up: nothing is signed while the lock is held.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(await exists(note), false);
    } finally {
      await holder.release();
    }
    // The next look, an interval after the one that gave up, signs.
    assert.ok(await within(4_000, () => exists(note)), "the owed checkpoint was never signed");
  } finally {
    await log.close();
  }
});
