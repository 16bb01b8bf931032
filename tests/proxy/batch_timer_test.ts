/**
 * The timer of a session's next batch (see `batch_timer.ts`): one batch armed
 * at a time, disarmed when a flush runs, and never armed again once stopped.
 */
import assert from "node:assert/strict";
import { BatchTimer, INGEST_MS, RETRY_MS } from "../../src/proxy/batch_timer.ts";

/** A real timer that keeps the test's event loop alive while it waits. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("BatchTimer arms one batch at a time, and fires it once", async () => {
  let fired = 0;
  const timer = new BatchTimer(() => fired++);
  assert.equal(timer.armed, false);
  timer.arm(INGEST_MS);
  // Armed already: a second record (or a retry) does not arm another, nor delay this one.
  timer.arm(RETRY_MS);
  assert.equal(timer.armed, true);
  await sleep(INGEST_MS + 100);
  assert.equal(fired, 1);
  assert.equal(timer.armed, false);
  // Fired: the next record arms the next batch.
  timer.arm(INGEST_MS);
  await sleep(INGEST_MS + 100);
  assert.equal(fired, 2);
});

Deno.test("BatchTimer.disarm() cancels the batch armed; stop() keeps it from arming again", async () => {
  let fired = 0;
  const timer = new BatchTimer(() => fired++);
  timer.arm(INGEST_MS);
  timer.disarm();
  assert.equal(timer.armed, false);
  await sleep(INGEST_MS + 60);
  assert.equal(fired, 0);
  timer.arm(INGEST_MS);
  assert.equal(timer.stopped, false);
  timer.stop();
  assert.equal(timer.stopped, true);
  assert.equal(timer.armed, false);
  timer.arm(INGEST_MS);
  assert.equal(timer.armed, false);
  await sleep(INGEST_MS + 60);
  assert.equal(fired, 0);
});
