/**
 * FileLock.acquireWithin: a bounded take that never blocks the thread. When
 * its time runs out while another process holds the lock, the request it
 * made cannot be withdrawn: the lock keeps this thread's turn until that
 * request ends and lets go of a lock that came late, so holders of the same
 * thread still take turns and none is left blocked. Each case runs in a child
 * process (_lock_within_holders.ts): a lock that blocked the thread would
 * never end, so a deadline stands in for it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tempFolder } from "../_temp_dirs.ts";
import { holdLock } from "../_hold_lock.ts";
import { runHolders } from "./_run_holders.ts";

const HOLDERS = fileURLToPath(new URL("./_lock_within_holders.ts", import.meta.url));

/** Runs `scenario` (another process holding the lock when `held`); what the holders saw. */
async function holders(scenario: string, held: boolean): Promise<string[]> {
  const dir = await tempFolder("thoth-lock-within-");
  const path = `${dir}/.lock`;
  const other = held ? await holdLock(path) : undefined;
  try {
    return await runHolders(HOLDERS, dir, [path, other?.releaseFile ?? `${dir}/unused`, scenario]);
  } finally {
    await other?.release();
  }
}

Deno.test("acquireWithin() gives up on a lock another process keeps, and lets go of it when it comes late", async () => {
  assert.deepEqual(await holders("late", true), [
    "a took: false",
    "thread free",
    "c",
    "a held: false",
    "c held: true",
  ]);
});

Deno.test("acquireWithin() that gave up can take the lock again once its late request ended", async () => {
  assert.deepEqual(await holders("late-kept", true), [
    "a took: false",
    "thread free",
    "c",
    "a held: false",
    "c held: true",
    "a took again: true",
  ]);
});

Deno.test("acquireWithin() leaves this thread's line when a holder of it keeps the lock too long", async () => {
  assert.deepEqual(await holders("line", false), [
    "a took: false",
    "e took: true",
    "a held: false",
  ]);
});

Deno.test("acquireWithin() takes a lock another process lets go of in time", async () => {
  assert.deepEqual(await holders("in-time", true), ["a took: true", "a held: true"]);
});

Deno.test("acquireWithin() gives up at once when its caller is told to stop, and lets go of the lock that comes late", async () => {
  // Before the fix the stop was not heard: a took the lock once the other process let go.
  assert.deepEqual(await holders("stopped", true), [
    "a took: false",
    "a held: false",
    "c held: true",
  ]);
});

Deno.test("acquireWithin() told to stop before it asks takes nothing, even a free lock", async () => {
  assert.deepEqual(await holders("stopped-before", false), [
    "a took: false",
    "a held: false",
    "a took untold: true",
  ]);
});

Deno.test("acquireWithin() told to stop leaves this thread's line at once", async () => {
  assert.deepEqual(await holders("stopped-line", false), [
    "a took: false",
    "e took: true",
    "a held: false",
  ]);
});
