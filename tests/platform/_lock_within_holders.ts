/**
 * Bounded takes of a lock file (`FileLock.acquireWithin`) beside other holders
 * of one thread, run as a child process by file_lock_within_test.ts (a thread
 * the lock blocks never ends, so the test watches it from outside). Another
 * process holds the lock in some scenarios; making RELEASE lets it go. Prints
 * one JSON array: the order things happened in.
 *
 * Usage: deno run --allow-read=DIR --allow-write=DIR _lock_within_holders.ts LOCK RELEASE SCENARIO
 */
import { FileLock } from "../../src/platform/file_lock.ts";

const [path, release, scenario] = Deno.args as [string, string, string];
const seen: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const [a, c, e] = [await FileLock.open(path), await FileLock.open(path), await FileLock.open(path)];

if (scenario === "late" || scenario === "late-kept") {
  // Another process holds the lock past a's time: a gives up.
  seen.push(`a took: ${await a.acquireWithin(150)}`);
  if (scenario === "late") a.close(); // as callers do once the time ran out
  // A holder of this thread that takes the lock blocking the thread: it must
  // wait in line while a's request is still out (the thread goes on).
  const cTook = c.acquire().then(() => seen.push("c"));
  await sleep(30);
  seen.push("thread free");
  await Deno.writeTextFile(release, "");
  await cTook;
  seen.push(`a held: ${a.held}`, `c held: ${c.held}`);
  await c.release();
  if (scenario === "late-kept") {
    // The lock a gave up on can be taken again once its late request ended.
    seen.push(`a took again: ${await a.acquireWithin(5_000)}`);
    await a.release();
  }
} else if (scenario === "line") {
  // A holder of this thread keeps the lock past a's time: a leaves the line.
  await c.acquire();
  const [took] = await Promise.all([a.acquireWithin(50), sleep(120)]);
  seen.push(`a took: ${took}`);
  const eTook = e.acquireWithin(5_000);
  await sleep(30);
  await c.release();
  seen.push(`e took: ${await eTook}`, `a held: ${a.held}`);
  await e.release();
} else if (scenario === "stopped") {
  // Another process keeps the lock; a's caller is told to stop: a gives up at once.
  const stop = new AbortController();
  const aTook = a.acquireWithin(60_000, stop.signal);
  await sleep(50);
  stop.abort("SIGTERM");
  seen.push(`a took: ${await aTook}`);
  a.close();
  // The request it made is let go once the other process lets go: c takes the lock.
  await Deno.writeTextFile(release, "");
  await c.acquire();
  seen.push(`a held: ${a.held}`, `c held: ${c.held}`);
  await c.release();
} else if (scenario === "stopped-before") {
  // Told to stop before it asked: a does not take even a free lock; untold, it does.
  const stop = new AbortController();
  stop.abort("SIGTERM");
  seen.push(`a took: ${await a.acquireWithin(5_000, stop.signal)}`, `a held: ${a.held}`);
  seen.push(`a took untold: ${await a.acquireWithin(5_000)}`);
  await a.release();
} else if (scenario === "stopped-line") {
  // A holder of this thread keeps the lock; a, waiting in line, is told to stop.
  await c.acquire();
  const stop = new AbortController();
  const aTook = a.acquireWithin(60_000, stop.signal);
  await sleep(30);
  stop.abort("SIGINT");
  seen.push(`a took: ${await aTook}`);
  const eTook = e.acquireWithin(5_000);
  await c.release();
  seen.push(`e took: ${await eTook}`, `a held: ${a.held}`);
  await e.release();
} else if (scenario === "in-time") {
  // Another process lets go before the time runs out: taken.
  const aTook = a.acquireWithin(5_000);
  await sleep(50);
  await Deno.writeTextFile(release, "");
  seen.push(`a took: ${await aTook}`, `a held: ${a.held}`);
  await a.release();
}
for (const lock of [a, c, e]) lock.close();
await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify(seen)}\n`));
