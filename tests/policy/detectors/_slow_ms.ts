/**
 * How much CPU of the test's thread (tests/_thread_cpu.ts) one detector pass
 * over the detector tests' adversarial inputs (about a MiB each) may take
 * before it counts as slow. A pass that backtracks or rescans (quadratic in
 * the input) takes minutes on them; a linear one takes milliseconds. The
 * bound sits far between, and since it counts CPU, not the wall clock, a
 * machine busy with other tests does not bring the one near the other.
 */
export const SLOW_MS = 3_000;
