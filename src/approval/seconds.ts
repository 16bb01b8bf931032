/**
 * A wait in milliseconds as the approval messages say it, to a tenth of a
 * second: `45 s`, `2.5 s`.
 *
 * @example
 * ```ts
 * seconds(45_000); // "45 s"
 * seconds(2_450); // "2.5 s"
 * ```
 */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`.replace(".0 s", " s");
}
