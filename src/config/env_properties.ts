/**
 * The properties of a server entry's `env` object, read once from its parse
 * tree: what `wrapEntry`, `invocationContext` and the wrap-record checks look
 * keys up in. Pure.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * const env = parseTree('{"THOTH_WRAP": "v1", "A": "1", "A": "2"}')!;
 * envProperties(env).get("A")?.value.value; // "1"
 * ```
 */
import type { Node } from "jsonc-parser";

/** One `env` property: its node and its value node. */
export interface EnvProperty {
  property: Node;
  value: Node;
}

/** The properties of an `env` object by key (the first of a repeated key). */
export function envProperties(env: Node | undefined): Map<string, EnvProperty> {
  const map = new Map<string, EnvProperty>();
  for (const property of env?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === "string" && value !== undefined && !map.has(key.value)) {
      map.set(key.value, { property, value });
    }
  }
  return map;
}
