/**
 * The line of an approval question that says how long is left to answer.
 * A module of its own: the dialog runner on thoth run's main thread needs
 * only this line, and the question builder it comes with reads arguments
 * through the detectors, which belong to the proxy core's isolate alone.
 *
 * @example
 * ```ts
 * answerWithinLine(45_000); // "Answer within 45 s, or the call is denied."
 * ```
 */

function within(ms: number): string {
  const seconds = Math.max(1, Math.floor(ms / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
}

/** The line that says how long is left to answer, `ms`. */
export function answerWithinLine(ms: number): string {
  return `Answer within ${within(ms)}, or the call is denied.`;
}
