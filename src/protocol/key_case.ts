/**
 * Keys that differ from a protocol key only by case. Go's `encoding/json`
 * matches object keys to fields case-insensitively (and folds `ſ` to `s`,
 * the Kelvin sign to `k`), so a server built on it reads `"Method"` or
 * `"nAme"` as `method` or `name`, and the later of two such keys wins. thoth
 * reads keys exactly; a message carrying such a key could mean one thing to
 * the enforcer and another to the server, so it is refused. Pure.
 *
 * @example
 * ```ts
 * caseVariantKey({ method: "ping", Method: "tools/call" }, ENVELOPE_KEYS); // "Method"
 * ```
 */

/** The keys of a JSON-RPC message. */
export const ENVELOPE_KEYS: readonly string[] = [
  "jsonrpc",
  "id",
  "method",
  "params",
  "result",
  "error",
];

/** The keys of `tools/call` params that decide what runs. */
export const CALL_PARAMS_KEYS: readonly string[] = ["name", "arguments", "_meta"];

/** The first key of `object` that is not one of `names` but folds to one, or undefined. */
export function caseVariantKey(
  object: Record<string, unknown>,
  names: readonly string[],
): string | undefined {
  for (const key in object) {
    if (!Object.hasOwn(object, key) || names.includes(key)) continue;
    if (names.includes(foldKey(key))) return key;
  }
  return undefined;
}

/**
 * A key as Go's `encoding/json` compares it: lower case, with the two
 * non-ASCII letters its folding maps onto ASCII ones (ſ, the Kelvin sign,
 * which `toLowerCase` already turns into k).
 */
export function foldKey(key: string): string {
  return key.toLowerCase().replaceAll("\u017f", "s");
}
