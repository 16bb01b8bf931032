/**
 * A batch whose audit lock another writer holds waits by trying it, not by
 * asking for it (see `audit_log_batch_lock.ts`): the lock that writer lets
 * go while this thread is busy stays free for the other writers until this
 * thread tries it, instead of being held, unused, by this process. A real
 * holder process (`_hold_lock.ts`) in a temp folder.
 */
import assert from "node:assert/strict";
import { BatchLock } from "../../src/audit/audit_log_batch_lock.ts";
import { FileLock } from "../../src/platform/file_lock.ts";
import { holdLock } from "../_hold_lock.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { releaseThenTryBlocked } from "../platform/_blocked_release_then_try.ts";

Deno.test("a batch waiting for the audit lock leaves it free for other writers while its thread is busy", async () => {
  const dir = await tempFolder("thoth-batch-poll-");
  const path = `${dir}/.lock`;
  const holder = await holdLock(path, 90_000);
  const lock = await FileLock.open(path);
  const notes: string[] = [];
  try {
    const taking = new BatchLock(lock, (note) => notes.push(note)).take();
    // This thread blocked (a synchronous child) while the holder lets go and another writer tries.
    assert.deepEqual(releaseThenTryBlocked(dir, path, holder.releaseFile), { taken: true });
    await taking;
    assert.equal(lock.held, true);
    await lock.release();
  } finally {
    lock.close();
    await holder.release();
  }
});
