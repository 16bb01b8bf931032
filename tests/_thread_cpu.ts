/**
 * The CPU time the calling thread spends on a piece of work, for the tests
 * that guard against work growing faster than its input (quadratic scans,
 * catastrophic backtracking). Unlike the wall clock, it does not count the
 * time the thread waits for a core, so a machine busy with other tests (or
 * other test files of the same `deno test --parallel` process, each on its
 * own thread) does not make linear work look slow. It is a bound on
 * runaway work, not a measure of speed: that is what `deno task bench` is for.
 *
 * @example
 * ```ts
 * const { value, cpuMs } = threadCpu(() => analyze(input));
 * assert.ok(cpuMs < 8_000, `${cpuMs} ms of CPU`);
 * ```
 */
import process from "node:process";

/** `work`'s result and the CPU time (user and system, in ms) this thread spent on it. */
export function threadCpu<T>(work: () => T): { value: T; cpuMs: number } {
  const before = process.threadCpuUsage();
  const value = work();
  const spent = process.threadCpuUsage(before);
  return { value, cpuMs: (spent.user + spent.system) / 1000 };
}

/**
 * `work`'s result and the CPU time (in ms) this thread spent while it ran, for
 * work that awaits: file reads and child processes run elsewhere and are not
 * counted, the JavaScript that handles them is. Nothing else may run on the
 * thread meanwhile (a test file's tests run one at a time on its own thread).
 */
export async function threadCpuAsync<T>(
  work: () => Promise<T>,
): Promise<{ value: T; cpuMs: number }> {
  const before = process.threadCpuUsage();
  const value = await work();
  const spent = process.threadCpuUsage(before);
  return { value, cpuMs: (spent.user + spent.system) / 1000 };
}
