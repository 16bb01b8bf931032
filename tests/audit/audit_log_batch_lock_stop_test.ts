/**
 * A batch's wait for the writers' lock another process holds ends as the
 * session's start's does (see `take_audit_lock.ts`): a stop signal ends it
 * at once, the client's input closed ends it once the wait is said, each
 * with `audit.lock_wait_ended`; then the log's close (its final checkpoint)
 * only tries the lock, and does not wait for that holder again. Before, a
 * stop did not end a batch's wait: a session's end waited out the patience
 * and its process was killed by its client mid-wait. The holder is a real
 * process; the patience is long enough that a wait that is not ended runs
 * into the hold's own end, and fails the test.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { LOCK_WAIT_ENDED } from "../../src/audit/take_audit_lock.ts";
import { isAppError } from "../../src/errors.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Longer than a wait that is ended takes; shorter than the patience below. */
const HOLD_AT_MOST = 20_000;
/** Longer than the hold: a wait that nothing ends outlasts the holder. */
const PATIENCE = { waitMs: 60_000, noteAfterMs: 100 };

function end(session: string): AuditEvent {
  return { type: "session_end", session, exitCode: 0, signal: null };
}

/** What a promise rejected with; undefined when it resolved. */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error) => error);
}

/** Whether another process holds the exclusive lock on `path` now (this one does not). */
function heldElsewhere(path: string): boolean {
  const file = Deno.openSync(path, { read: true, write: true });
  try {
    const taken = file.tryLockSync(true);
    if (taken) file.unlockSync();
    return !taken;
  } finally {
    file.close();
  }
}

Deno.test("a stop signal ends a batch's wait for a held lock with audit.lock_wait_ended, and the close after does not wait again", async () => {
  const home = await tempFolder("thoth-batch-lock-stop-");
  const stop = new AbortController();
  const notes: string[] = [];
  const log = await openAuditLog({
    thothHome: home,
    batchLockPatience: PATIENCE,
    note: (message) => notes.push(message),
    lockWaitEnd: { stop: stop.signal },
  });
  const lock = auditPaths(home).lock;
  await log.append(end("s-1"));
  const holder = await holdLock(lock, HOLD_AT_MOST);
  try {
    const waiting = failure(log.append(end("s-2")));
    // Once the wait is said (it has begun), the stop comes.
    for (let i = 0; i < 200 && notes.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(notes.length, 1, "the batch never waited");
    stop.abort("SIGTERM");
    const error = await waiting;
    assert.ok(isAppError(error, LOCK_WAIT_ENDED), `not ended: ${String(error)}`);
    assert.equal(
      error.message,
      `cannot write the audit log in "${auditPaths(home).dir}": received SIGTERM while ` +
        `waiting for its lock "${lock}", which another process holds`,
    );
    assert.ok(heldElsewhere(lock), "the batch's wait ended only as the holder let go");
    // A batch after the stop fails at once too, and so does the close's checkpoint.
    assert.ok(isAppError(await failure(log.append(end("s-3"))), LOCK_WAIT_ENDED));
    assert.ok(isAppError(await failure(log.close()), LOCK_WAIT_ENDED));
    assert.ok(heldElsewhere(lock), "the close waited for the holder");
  } finally {
    await holder.release();
  }
});

Deno.test("the client's input closed ends a batch's wait for a held lock once it is said, and the close after only tries the lock", async () => {
  const home = await tempFolder("thoth-batch-lock-stop-");
  const inputClosed = new AbortController();
  const notes: string[] = [];
  const log = await openAuditLog({
    thothHome: home,
    batchLockPatience: PATIENCE,
    note: (message) => notes.push(message),
    lockWaitEnd: { inputClosed: inputClosed.signal },
  });
  const lock = auditPaths(home).lock;
  await log.append(end("s-1"));
  const holder = await holdLock(lock, HOLD_AT_MOST);
  try {
    inputClosed.abort("input closed");
    const error = await failure(log.append(end("s-2")));
    assert.ok(isAppError(error, LOCK_WAIT_ENDED), `not ended: ${String(error)}`);
    assert.match(error.message, /: the client closed its input while waiting for its lock /);
    assert.equal(notes.length, 1, "the wait was not said before it ended");
    assert.ok(heldElsewhere(lock), "the batch's wait ended only as the holder let go");
    assert.ok(isAppError(await failure(log.close()), LOCK_WAIT_ENDED));
    assert.ok(heldElsewhere(lock), "the close waited for the holder");
  } finally {
    await holder.release();
  }
});

Deno.test("a log's close whose batches took the lock each time waits for a brief hold as before", async () => {
  const home = await tempFolder("thoth-batch-lock-stop-");
  const log = await openAuditLog({ thothHome: home, batchLockPatience: PATIENCE, note: () => {} });
  const lock = auditPaths(home).lock;
  await log.append(end("s-1"));
  await log.append(end("s-2"));
  const holder = await holdLock(lock, HOLD_AT_MOST);
  const closed = log.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await holder.release();
  // No wait of this log gave up: the final checkpoint is written once the holder lets go.
  await closed;
});
