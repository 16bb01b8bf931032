/**
 * Finds a number in parsed arguments that may not be the number the client
 * sent. `JSON.parse` keeps an IEEE 754 double: `9007199254740993` reads as
 * `9007199254740992` and `1e400` as `Infinity` (canonical JSON `null`), while
 * thoth forwards the bytes the client sent. A digest over such arguments can
 * match other arguments, so no approval bound to the digest (a session
 * grant, a stateless `requestState`) may cover a call that holds one. Pure.
 *
 * @example
 * ```ts
 * inexactNumber({ message_id: 9007199254740993 }); // "message_id"
 * inexactNumber({ ids: [1, 2e400] });              // "ids[1]"
 * inexactNumber({ message_id: "9007199254740993" }); // undefined (a string is exact)
 * ```
 */

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Whether `value` is a number that may differ from the one written in the JSON. */
export function isInexactNumber(value: unknown): boolean {
  if (typeof value !== "number") return false;
  if (!Number.isFinite(value)) return true;
  return Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER;
}

/**
 * The path (`message_id`, `ids[3]`, `filter.from`) of the first number in
 * `value` that is not finite or is an integer beyond ±`Number.MAX_SAFE_INTEGER`,
 * or undefined when there is none. A key that is not a plain name shows as
 * `[?]`, so the path carries no data.
 */
export function inexactNumber(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (isInexactNumber(item.value)) return item.path || "the top level";
    if (item.value === null || typeof item.value !== "object") continue;
    if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--) {
        stack.push({ value: item.value[i], path: `${item.path}[${i}]` });
      }
      continue;
    }
    const entries = Object.entries(item.value as Record<string, unknown>).reverse();
    for (const [key, member] of entries) {
      const step = PLAIN_KEY.test(key) ? (item.path ? `.${key}` : key) : "[?]";
      stack.push({ value: member, path: item.path + step });
    }
  }
  return undefined;
}

/** The `why` for a call whose arguments hold an inexact number at `path`. */
export function inexactNumberWhy(path: string): string {
  return `the arguments hold a number (at ${path}) beyond ±${Number.MAX_SAFE_INTEGER} or not ` +
    `finite, which thoth cannot compare exactly, so no approval can be bound to them; ` +
    `send large numbers such as IDs as strings (for example "9007199254740993") and call again`;
}
