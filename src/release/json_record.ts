/**
 * A parsed JSON value as an object whose keys can be read, or undefined for
 * an array, `null` or a primitive: how the project checks read deno.json,
 * package.json and deno.lock without trusting their shape. Pure.
 *
 * @example
 * ```ts
 * jsonRecord({ tasks: {} }); // { tasks: {} }
 * jsonRecord([1, 2]); // undefined
 * ```
 */

/** `value` as a plain object, or undefined when it is not one. */
export function jsonRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}
