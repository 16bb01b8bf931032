/**
 * How long one detector pass over the detector tests' adversarial inputs
 * (about a MiB each) may take before it counts as slow. A pass that
 * backtracks or rescans (quadratic in the input) takes minutes on them; a
 * linear one takes milliseconds, and up to a second or so when the test
 * files run two at a time on a loaded machine. The bound sits between, so it
 * catches the one and not the other.
 */
export const SLOW_MS = 3_000;
