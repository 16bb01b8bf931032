/**
 * FileLock.acquireWithinPolling (the audit log's batches wait so, see
 * `audit_log_batch_lock.ts`): it tries the lock instead of asking for it, so
 * a lock its holder lets go is not held by this process until its thread
 * runs; it gives up in time, holding nothing, or at once on a stop; and a
 * longer hold is still waited for. Real holder processes (`_hold_lock.ts`)
 * in temp folders.
 */
import assert from "node:assert/strict";
import { FileLock, POLL_FOR_MS } from "../../src/platform/file_lock.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { releaseThenTryBlocked } from "./_blocked_release_then_try.ts";

Deno.test("a lock let go while this thread is busy stays free for another process until the thread tries it", async () => {
  const dir = await tempFolder("thoth-lock-poll-");
  const path = `${dir}/.lock`;
  const holder = await holdLock(path, 90_000);
  const lock = await FileLock.open(path);
  try {
    const taking = lock.acquireWithinPolling(30_000);
    // This thread blocked (a synchronous child) while the holder lets go and another process tries.
    assert.deepEqual(releaseThenTryBlocked(dir, path, holder.releaseFile), { taken: true });
    assert.equal(await taking, true);
    assert.equal(lock.held, true);
    await lock.release();
  } finally {
    lock.close();
    await holder.release();
  }
});

Deno.test("acquireWithinPolling gives up holding nothing when the holder keeps the lock, and at once on a stop", async () => {
  const dir = await tempFolder("thoth-lock-poll-");
  const path = `${dir}/.lock`;
  const holder = await holdLock(path, 90_000);
  const lock = await FileLock.open(path);
  try {
    // Within the tries, and past them (asked for, then given up: nothing left asked).
    assert.equal(await lock.acquireWithinPolling(Math.floor(POLL_FOR_MS / 2)), false);
    assert.equal(await lock.acquireWithinPolling(POLL_FOR_MS * 3), false);
    assert.equal(lock.held, false);
    const stop = new AbortController();
    const stopped = lock.acquireWithinPolling(600_000, stop.signal);
    stop.abort();
    assert.equal(await stopped, false);
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(await lock.acquireWithinPolling(600_000, aborted.signal), false);
    assert.equal(lock.held, false);
  } finally {
    await holder.release();
  }
  try {
    // Let go: the next take is at once (this thread's turn was passed on).
    assert.equal(await lock.acquireWithinPolling(10_000), true);
    await lock.release();
  } finally {
    lock.close();
  }
});

Deno.test("acquireWithinPolling waits past its tries for a holder that lets go later", async () => {
  const dir = await tempFolder("thoth-lock-poll-");
  const path = `${dir}/.lock`;
  // The holder lets go by itself after a few times the tries' time.
  const holder = await holdLock(path, POLL_FOR_MS * 6);
  const lock = await FileLock.open(path);
  try {
    assert.equal(await lock.acquireWithinPolling(60_000), true);
    assert.equal(lock.held, true);
    await lock.release();
  } finally {
    lock.close();
    await holder.release();
  }
});
