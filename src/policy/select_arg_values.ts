/**
 * Every value a compiled {@linkcode ArgPath} reaches in a call's arguments.
 * A `*` step fans out over array elements and object values; a step that does
 * not exist yields nothing (so an empty result means "absent").
 *
 * @example
 * ```ts
 * selectArgValues({ items: [{ p: "a" }, { p: "b" }] }, [
 *   { key: "items" }, { any: true }, { key: "p" },
 * ]); // ["a", "b"]
 * ```
 */
import type { ArgPath } from "./arg_path.ts";

/** The values at `path` in `args`, in document order. */
export function selectArgValues(args: unknown, path: ArgPath): unknown[] {
  let current: unknown[] = [args];
  for (const step of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== "object") continue;
      if ("key" in step) {
        if (!Array.isArray(value) && Object.hasOwn(value, step.key)) {
          next.push((value as Record<string, unknown>)[step.key]);
        }
      } else if ("index" in step) {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (Array.isArray(value)) {
        next.push(...value);
      } else {
        next.push(...Object.values(value));
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}
