/**
 * What a rule that blocks or steps up also reads of a value that is not the
 * one string a check names, as a lenient server would take it (see
 * `compile_predicate.ts`): a number or boolean by its JSON text
 * ({@linkcode scalarText}: `9990` as `"9990"`), and the strings of a list
 * where one value was expected ({@linkcode someElementHolds}:
 * `{"path": ["/etc/shadow"]}`, lists in it four deep). Pure.
 *
 * @example
 * ```ts
 * scalarText(9990); // "9990"
 * someElementHolds([["/etc/shadow"]], (v) => v === "/etc/shadow", false); // true
 * ```
 */

/** Lists inside lists read for their strings: `[["/etc/shadow"]]` too, no deeper. */
const MAX_LIST_DEPTH = 4;

/**
 * Whether `holds` holds for a string in `list`, or in a list in it (a few
 * levels down); with `scalars` for a number or boolean too.
 */
export function someElementHolds(
  list: readonly unknown[],
  holds: (v: unknown) => boolean,
  scalars: boolean,
): boolean {
  let level: readonly unknown[] = list;
  for (let depth = 0; depth < MAX_LIST_DEPTH && level.length > 0; depth++) {
    const inner: unknown[] = [];
    for (let i = 0; i < level.length; i++) {
      const item = level[i];
      if (Array.isArray(item)) {
        for (let j = 0; j < item.length; j++) inner.push(item[j]);
      } else if (
        (typeof item === "string" ||
          (scalars && (typeof item === "number" || typeof item === "boolean"))) &&
        holds(item)
      ) return true;
    }
    level = inner;
  }
  return false;
}

/**
 * A string, or a number or boolean as the text a server makes of it (its
 * JSON text: `9990`, `1e+21`, `true`; `NaN` and `Infinity` as Python writes
 * them); undefined for anything else.
 */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  return typeof v === "number" || typeof v === "boolean" || typeof v === "bigint"
    ? String(v)
    : undefined;
}
