/**
 * FIFO helpers for the tests that prove a reader refuses a FIFO instead of
 * blocking on it: a regression must fail the test, not hang the suite.
 */
import assert from "node:assert/strict";

/** Whether this OS has `mkfifo` (not Windows). */
export const HAS_FIFO = Deno.build.os !== "windows";

/** Makes a FIFO at `path` with the real `mkfifo`. */
export async function makeFifo(path: string): Promise<void> {
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.ok(made.success, `mkfifo ${path}`);
}

/** Puts a FIFO where the file at `path` was. */
export async function replaceWithFifo(path: string): Promise<void> {
  await Deno.remove(path);
  await makeFifo(path);
}

/**
 * Runs `run` and returns what it settles with. If it is still pending after
 * `ms`, it is blocked on `fifo`: the FIFO is opened read-write (which never
 * blocks on Linux and counts as a writer) and closed again, as often as it
 * takes for every blocked open to end and read an end of file, and the test
 * fails once `run` has settled.
 */
export async function settlesAtOnce<T>(
  run: () => Promise<T>,
  fifo: string,
  ms = 5_000,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), ms);
  });
  const running = run();
  let settled = false;
  const done = running.then(() => {
    settled = true;
  }, () => {
    settled = true;
  });
  const outcome = await Promise.race([running, hung]);
  clearTimeout(timer);
  if (outcome !== "hung") return outcome;
  while (!settled) {
    const file = await Deno.open(fifo, { read: true, write: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    file.close();
  }
  await done;
  assert.fail(`reading "${fifo}" blocked`);
}
