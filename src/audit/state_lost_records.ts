/**
 * The records a writer found missing from the audit log, as the state file
 * keeps them (`LogState.lost`): read back from a parsed file field by
 * field, so that a damaged field is no loss at all. Pure.
 *
 * @example
 * ```ts
 * readLost({ seq: 41, counted: 40, held: 12 }); // { seq: 41, counted: 40, held: 12 }
 * readLost({ seq: 41, counted: 12, held: 40 }); // undefined: nothing lost
 * ```
 */

/** Records a writer found missing (see `LogState.lost`). */
export interface LostRecords {
  seq: number;
  counted: number;
  held: number;
}

/** The loss a parsed state file records, when `value` is a whole one. */
export function readLost(value: unknown): LostRecords | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { seq, counted, held } = value as Record<string, unknown>;
  const whole = (n: unknown): n is number =>
    typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  return whole(seq) && whole(counted) && whole(held) && counted > held
    ? { seq, counted, held }
    : undefined;
}
