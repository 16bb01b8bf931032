/**
 * A summary of a call's arguments that shows their shape, not their values:
 * key names, types and sizes. A value is shown only for a top-level field the
 * policy marks safe. This is what a person sees in an approval prompt and
 * what the approval queue stores on disk. Pure.
 *
 * A key can be data too (`{"jane.doe@example.org": "cc"}`): a key is shown
 * only when it is a plain name no detector flags (see `keyInClear`), any
 * other as `#k1`, `#k2`… by its position.
 *
 * @example
 * ```ts
 * argumentShape({ path: "/etc/passwd", force: true, lines: [1, 2] }, ["force"]);
 * // ['path: string (11 chars)', 'force: true', 'lines: array (2 items)']
 * ```
 */
import { displayText } from "./display_text.ts";
import { keyInClear } from "../policy/detectors/key_in_clear.ts";
import { childLabel, namedValueLabel } from "../policy/detectors/named_value_label.ts";
import { isRawJson } from "../protocol/exact_integers.ts";

/** A key as a prompt may show it: itself, or its position when it may hold data. */
function keyName(key: string, index: number, label: string | undefined, max: number): string {
  return keyInClear(key, label) ? displayText(key, max) : `#k${index + 1}`;
}

/** How many top-level fields are listed before "… and N more". */
export const SHAPE_MAX_FIELDS = 20;

function describe(value: unknown, label: string | undefined): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `array (${value.length} item${value.length === 1 ? "" : "s"})`;
  switch (typeof value) {
    case "string": {
      const n = Array.from(value).length;
      return `string (${n} char${n === 1 ? "" : "s"})`;
    }
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "boolean":
      return "boolean";
    case "object": {
      // A number too long for a double, kept with its digits by the relay.
      if (isRawJson?.(value) === true) return "integer";
      const keys = Object.keys(value as Record<string, unknown>);
      const names = keys.slice(0, 5).map((k, i) => keyName(k, i, label, 32)).join(", ");
      return `object (${keys.length} key${keys.length === 1 ? "" : "s"}${
        keys.length > 0 ? `: ${names}${keys.length > 5 ? ", …" : ""}` : ""
      })`;
    }
    default:
      return typeof value;
  }
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "null";
  return displayText(text, 120);
}

/** One line per top-level argument: `name: shape`, or `name: value` for a safe field. */
export function argumentShape(
  args: Record<string, unknown> | undefined,
  safeFields: readonly string[] = [],
): string[] {
  if (args === undefined) return [];
  const keys = Object.keys(args);
  const named = namedValueLabel(args);
  const lines = keys.slice(0, SHAPE_MAX_FIELDS).map((key, index) => {
    const value = args[key];
    const name = keyName(key, index, undefined, 64);
    return safeFields.includes(key)
      ? `${name}: ${shown(value)}`
      : `${name}: ${describe(value, childLabel(key, named))}`;
  });
  if (keys.length > SHAPE_MAX_FIELDS) lines.push(`… and ${keys.length - SHAPE_MAX_FIELDS} more`);
  return lines;
}
