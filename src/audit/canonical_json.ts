/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, so
 * that equal values always hash to equal digests. A `JSON.rawJSON` value (an
 * integer too large for a double, kept with its digits by the relay) is
 * written as its text, so two calls that differ only in such a number's last
 * digits get different digests. Pure.
 *
 * The writer keeps its own stack instead of recursing: a value nested
 * thousands of levels deep (a hostile server's tool schema, say) is written
 * like any other instead of overflowing the call stack. Past
 * {@linkcode CANONICAL_JSON_MAX_DEPTH} levels it throws `audit.too_deep`, an
 * error its caller can catch and report: no digest is made of such a value.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */

import { AppError } from "../errors.ts";
import { isRawJson } from "../protocol/exact_integers.ts";

/**
 * The deepest nesting written: far beyond any real message (JSON Schemas nest
 * a few dozen levels), and a bound on the work a hostile value can ask for.
 */
export const CANONICAL_JSON_MAX_DEPTH = 10_000;

/** An array or object being written: which one, and how far. */
interface Frame {
  /** The array, or the object's values looked up by `keys`. */
  readonly source: unknown[] | Record<string, unknown>;
  /** The object's keys, sorted; undefined for an array. */
  readonly keys: string[] | undefined;
  /** The next element or key to look at. */
  index: number;
  /** Whether a member has been written (the next one needs a comma). */
  wrote: boolean;
}

/**
 * Serializes a JSON value with sorted keys; `undefined` members are dropped as
 * JSON does. Throws `audit.too_deep` for a value nested deeper than
 * {@linkcode CANONICAL_JSON_MAX_DEPTH} levels.
 */
export function canonicalJson(value: unknown): string {
  if (!isContainer(value)) return scalarText(value);
  const stack: Frame[] = [];
  let out = "";
  let next: unknown = value;
  for (;;) {
    // Write the start of `next`, or all of it when it holds nothing further.
    if (!isContainer(next)) {
      out += scalarText(next);
    } else if (stack.length >= CANONICAL_JSON_MAX_DEPTH) {
      throw new AppError(
        "audit.too_deep",
        `cannot write a value nested deeper than ${CANONICAL_JSON_MAX_DEPTH} levels as canonical JSON`,
      );
    } else if (Array.isArray(next)) {
      out += "[";
      stack.push({ source: next, keys: undefined, index: 0, wrote: false });
    } else {
      const record = next as Record<string, unknown>;
      out += "{";
      stack.push({ source: record, keys: Object.keys(record).sort(), index: 0, wrote: false });
    }
    // Find the next value to write, closing every container that has none left.
    let found = false;
    while (!found) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return out;
      if (frame.keys === undefined) {
        const array = frame.source as unknown[];
        if (frame.index < array.length) {
          if (frame.wrote) out += ",";
          frame.wrote = true;
          next = array[frame.index++];
          found = true;
        } else {
          out += "]";
          stack.pop();
        }
        continue;
      }
      const record = frame.source as Record<string, unknown>;
      while (frame.index < frame.keys.length) {
        const key = frame.keys[frame.index++]!;
        const member = record[key];
        if (member === undefined || typeof member === "function") continue;
        out += `${frame.wrote ? "," : ""}${JSON.stringify(key)}:`;
        frame.wrote = true;
        next = member;
        found = true;
        break;
      }
      if (!found) {
        out += "}";
        stack.pop();
      }
    }
  }
}

/** Whether `value` is an array or object written member by member (not raw JSON). */
function isContainer(value: unknown): value is object {
  return value !== null && typeof value === "object" && isRawJson?.(value) !== true;
}

/** A value with no members: a primitive, or raw JSON; `null` where JSON writes nothing. */
function scalarText(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "null" : text;
}
