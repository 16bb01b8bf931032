/**
 * Names from outside thoth (files, tools) as a note shows them.
 *
 * @example
 * ```ts
 * displayNames(["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]);
 * // '"a.jsonl", "b.jsonl", "c.jsonl" and 1 more'
 * ```
 */
export function displayNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) =>
    JSON.stringify(n.length > 64 ? `${n.slice(0, 64)}…` : n)
  );
  return shown.join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : "");
}
