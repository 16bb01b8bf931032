/**
 * A seeded pseudo-random generator for tests that generate their inputs, so
 * a failure names a sample that can be run again.
 *
 * @example
 * ```ts
 * const next = seeded(7);
 * next(); // a number in [0, 1), the same on every run
 * ```
 */

/** Numbers in [0, 1) from `seed`, the same sequence on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
