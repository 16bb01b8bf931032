/**
 * Every object key of a jsonc-parser syntax tree, in document order, with
 * its path and whether the same object already had it. JSON parsers disagree
 * on a repeated key (most keep the last, some the first), so the readers of
 * policies and client configs refuse one. Pure.
 *
 * @example
 * ```ts
 * const tree = parseTree('{"a": 1, "a": 2}')!;
 * [...objectKeys(tree)].map((k) => [k.key, k.repeated]); // [["a", false], ["a", true]]
 * ```
 */
import type { Node } from "jsonc-parser";

/** One key as it stands in the text. */
export interface ObjectKey {
  key: string;
  /** Offset of the key in the text. */
  offset: number;
  /** The path of the key's value. */
  path: (string | number)[];
  /** Whether an earlier key of the same object has the same name. */
  repeated: boolean;
}

/** Walks `node` depth first. */
export function* objectKeys(
  node: Node,
  path: (string | number)[] = [],
): Generator<ObjectKey> {
  if (node.type === "object") {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      if (keyNode === undefined) continue;
      const key = String(keyNode.value);
      yield { key, offset: keyNode.offset, path: [...path, key], repeated: seen.has(key) };
      seen.add(key);
      const value = property.children?.[1];
      if (value !== undefined) yield* objectKeys(value, [...path, key]);
    }
  } else if (node.type === "array") {
    for (const [i, child] of (node.children ?? []).entries()) {
      yield* objectKeys(child, [...path, i]);
    }
  }
}
