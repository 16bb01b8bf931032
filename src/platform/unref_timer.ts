/**
 * A timer that never holds the process open (like one passed to
 * `Deno.unrefTimer`) and never loads Deno's Node compatibility layer.
 *
 * In Deno 2.9 the first `setTimeout` or `setInterval` of an isolate loads the
 * Node timers module and, with it, part of the Node compatibility layer: about
 * 3 MiB of resident memory in the proxy core's worker, kept for the whole
 * session, for the two timers its steady state needs (the audit log's batch
 * and sync ticks). This timer waits with `Atomics.waitAsync` instead, which V8
 * schedules itself. It fires only while something else keeps the event loop
 * running, as the relay's open streams do; where the wait is not available it
 * falls back to an unreferenced `setTimeout`.
 *
 * @example
 * ```ts
 * const cancel = unrefTimer(() => console.error("tick"), 100, { repeat: true });
 * // … later:
 * cancel();
 * ```
 */

/** Stops a timer; calling it again, or after the timer fired, does nothing. */
export type CancelTimer = () => void;

type WaitAsync = (
  cell: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
) => { async: boolean; value: Promise<string> | string };

const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/**
 * Calls `callback` after `ms` milliseconds (at least 1), and every `ms` after
 * that with `repeat`. Returns the function that cancels it.
 */
export function unrefTimer(
  callback: () => void,
  ms: number,
  options: { repeat?: boolean } = {},
): CancelTimer {
  const delay = Math.max(1, Number.isFinite(ms) ? ms : 1);
  let live = true;
  let cancelWait: CancelTimer = () => {};
  // One cell for every wait of this timer: its waits never overlap.
  const cell = typeof waitAsync === "function"
    ? new Int32Array(new SharedArrayBuffer(4))
    : undefined;
  const arm = () => {
    cancelWait = waitOnce(cell, () => {
      if (!live) return;
      if (options.repeat) arm();
      else live = false;
      callback();
    }, delay);
  };
  arm();
  return () => {
    if (!live) return;
    live = false;
    cancelWait();
  };
}

function waitOnce(cell: Int32Array | undefined, fire: () => void, delay: number): CancelTimer {
  if (cell === undefined || typeof waitAsync !== "function") {
    const timer = setTimeout(fire, delay);
    Deno.unrefTimer(timer);
    return () => clearTimeout(timer);
  }
  let waiting = true;
  const wait = waitAsync(cell, 0, 0, delay);
  const settled = () => {
    if (!waiting) return;
    waiting = false;
    fire();
  };
  if (typeof wait.value === "string") queueMicrotask(settled);
  else void wait.value.then(settled);
  return () => {
    if (!waiting) return;
    waiting = false;
    // Wakes the waiter now, so a cancelled wait does not linger until its time.
    Atomics.notify(cell, 0);
  };
}
