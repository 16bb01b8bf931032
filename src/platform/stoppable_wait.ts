/**
 * Waits that end at once when a stop signal is aborted: a pause between two
 * tries at a lock, and a bounded wait for a promise (a lock asked for) to
 * settle.
 *
 * @example
 * ```ts
 * await pauseFor(1, stop); // 1 ms, or less when stop is aborted
 * const taken = await fulfilsWithin(file.lock(true), 5_000, stop); // false: not in time
 * ```
 */
import { type CancelTimer, unrefTimer } from "./unref_timer.ts";

/**
 * Resolves after `ms` milliseconds, or at once when `stop` is aborted. Its
 * timer keeps the process open meanwhile (a wait for the lock must not let
 * a command end before it is taken).
 */
export function pauseFor(ms: number, stop: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Whether `promise` settles within `ms` milliseconds: true when it fulfils in
 * time, false when the time runs out first or `stop` is aborted; rejects when
 * it rejects in time. The timer holds no process open (the lock's own
 * request does, while it lasts).
 */
export function fulfilsWithin(
  promise: Promise<void>,
  ms: number,
  stop: AbortSignal | undefined,
): Promise<boolean> {
  let cancel: CancelTimer = () => {};
  let stopped = () => {};
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => {
      cancel = unrefTimer(() => resolve(false), ms);
      stopped = () => resolve(false);
      stop?.addEventListener("abort", stopped, { once: true });
    }),
  ]).finally(() => {
    cancel();
    stop?.removeEventListener("abort", stopped);
  });
}
