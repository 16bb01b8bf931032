/**
 * A summary of a call's arguments that shows their shape, not their values:
 * key names, types and sizes. A value is shown only for a top-level field the
 * policy marks safe, and then faithfully: whole, or its start and its end
 * with its length (the end of a long path is where it points), with the
 * path it resolves to when `.` or `..` segments move it; a value that
 * cannot be shown as it is gets its shape only. This is what a person sees
 * in an approval prompt and what the approval queue stores on disk. Pure.
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
import { displayable, displayText } from "./display_text.ts";
import { normalizePath } from "../policy/normalize_path.ts";
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

/** The most characters of a safe value a prompt shows; a longer one shows its start and end. */
export const VALUE_MAX_CHARS = 100;
/** Of a cut value, the characters shown from its start (the rest of the budget goes to its end). */
const HEAD_CHARS = 40;
/** The most characters of the path a value resolves to. */
const RESOLVED_MAX_CHARS = 80;
/** The longest line the approval queue keeps (see `queue_record.ts`). */
const LINE_MAX = 300;

/**
 * `text` whole when it fits in `max` characters, else its start, `…` and
 * its end: the end of a long path (`…/.ssh/authorized_keys`) is never cut.
 */
function headAndTail(text: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  const head = Math.min(HEAD_CHARS, max - 2);
  const tail = max - head - 1;
  return { text: `${chars.slice(0, head).join("")}…${chars.slice(-tail).join("")}`, cut: true };
}

/**
 * A safe field's value as a prompt shows it: as JSON, whole, or its start and
 * its end with its length; a path that `.` and `..` segments (or `//`) move
 * elsewhere also shows where it resolves, as the policy's globs saw it. A
 * value that cannot be shown as it is (an invisible, reordering or control
 * character would be replaced) is described by its shape only.
 */
function shown(value: unknown, shape: string): string {
  const text = JSON.stringify(value) ?? "null";
  if (!displayable(text)) {
    return `${shape}, value not shown: it holds invisible or control characters`;
  }
  const { text: visible, cut } = headAndTail(text, VALUE_MAX_CHARS);
  let line = cut
    ? `${visible} (${
      typeof value === "string" ? Array.from(value).length : Array.from(text).length
    } chars, middle cut)`
    : visible;
  if (typeof value === "string" && value.includes("/")) {
    const resolved = normalizePath(value.normalize("NFC"));
    if (resolved !== value) {
      const json = JSON.stringify(resolved);
      if (!displayable(json)) {
        return `${shape}, value not shown: it holds invisible or control characters`;
      }
      line += `, resolves to ${headAndTail(json, RESOLVED_MAX_CHARS).text}`;
    }
  }
  return line;
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
    const described = describe(value, childLabel(key, named));
    if (!safeFields.includes(key)) return `${name}: ${described}`;
    const line = `${name}: ${shown(value, described)}`;
    // Too long for the queue to keep whole (wide characters): the shape alone.
    return line.length <= LINE_MAX
      ? line
      : `${name}: ${described}, value not shown: too long to show whole`;
  });
  if (keys.length > SHAPE_MAX_FIELDS) lines.push(`… and ${keys.length - SHAPE_MAX_FIELDS} more`);
  return lines;
}
