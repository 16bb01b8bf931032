/**
 * One step of a path into a call's arguments: an object key, an array index,
 * or `*` (every element of an array or every value of an object).
 *
 * @example
 * ```ts
 * const steps: ArgPath = [{ key: "options" }, { key: "path" }];
 * ```
 */
export type ArgPathStep = { key: string } | { index: number } | { any: true };

/** A compiled argument path, see {@linkcode compileArgPath}. */
export type ArgPath = readonly ArgPathStep[];
