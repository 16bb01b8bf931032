/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, so
 * that equal values always hash to equal digests. A `JSON.rawJSON` value (an
 * integer too large for a double, kept with its digits by the relay) is
 * written as its text, so two calls that differ only in such a number's last
 * digits get different digests. Pure.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */

import { isRawJson } from "../protocol/exact_integers.ts";

/** Serializes a JSON value with sorted keys; `undefined` members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }
  if (isRawJson?.(value) === true) return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${parts.join(",")}}`;
}
