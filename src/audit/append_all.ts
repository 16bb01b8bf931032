/**
 * Appends every item of `items` to `target`, one at a time, and returns
 * `target`. `target.push(...items)` passes each item as an argument of its
 * own: past about a hundred thousand (a log's findings, one per session
 * that never ended, or per record) that overflows the call stack. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * appendAll(findings, facts.warningFindings()); // 200,000 of them too
 * ```
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
