/**
 * How far apart two short strings are, for "did you mean" hints: the number
 * of single-character insertions, deletions and substitutions (and, with
 * `swaps`, exchanges of two neighbours, as optimal string alignment counts
 * them) that turn one into the other. Pure.
 *
 * @example
 * ```ts
 * editDistance("THOTH_TENNANT_ID", "THOTH_TENANT_ID");               // 1
 * editDistance("--agnet-id", "--agent-id", { swaps: true });         // 1
 * editDistance("--xyz", "--enforcement-mode", { limit: 2 });         // 3: more than 2
 * ```
 */

/** Options of {@linkcode editDistance}. */
export interface EditDistanceOptions {
  /** Count an exchange of two neighbours as one edit (else as two). */
  swaps?: boolean;
  /** Stop once the distance is known to exceed this: the answer is then `limit + 1`. */
  limit?: number;
}

/** The edit distance of `a` and `b` (see the module doc). */
export function editDistance(a: string, b: string, options: EditDistanceOptions = {}): number {
  const limit = options.limit ?? Infinity;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        options.swaps === true && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]
      ) {
        distance = Math.min(distance, before[j - 2]! + 1);
      }
      row.push(distance);
      low = Math.min(low, distance);
    }
    // No later row can come back under the limit: each value there is at least one of this
    // row's (a swap's source is at most one under the substitution beside it).
    if (low > limit) return limit + 1;
    [before, previous] = [previous, row];
  }
  return Math.min(previous[b.length]!, limit + 1);
}
