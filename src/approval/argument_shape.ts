/**
 * A summary of a call's arguments that shows their shape, not their values:
 * key names, types and sizes. A value is shown only for a top-level field the
 * policy marks safe, one that holds the command a call runs (in every
 * channel), or (in a prompt only) one that names a file or URL (see
 * `prompt_value_fields.ts`), and then faithfully: whole, or its start and its end
 * with its length (the end of a long path is where it points), with the
 * path or URL it resolves to when `.` or `..` segments move it; a value that
 * cannot be shown as it is gets its shape only (a command has what would not
 * show escaped instead, up to 2,000 characters wrapped over more lines: see
 * `command_lines.ts`). This is what a person sees in an approval prompt
 * and, without the file and URL values, what the approval queue stores on
 * disk. Pure.
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
import { resolvedTarget, targetInDoubt, urlShaped } from "./resolved_target.ts";
import { keyInClear } from "../policy/detectors/key_in_clear.ts";
import { childLabel, namedValueLabel } from "../policy/detectors/named_value_label.ts";
import { isRawJson } from "../protocol/exact_integers.ts";
import { NO_PROMPT_VALUES, type PromptValues } from "./prompt_value_fields.ts";
import { COMMAND_LINE_WIDTH, COMMAND_MAX_CHARS, commandLines } from "./command_lines.ts";

/** The most lines one command's value takes in a shape. */
const COMMAND_MAX_LINES = Math.ceil(COMMAND_MAX_CHARS / COMMAND_LINE_WIDTH);

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
 * A string as JSON, whole when it has at most `max` characters (the quotes
 * and escapes not counted), else cut as {@linkcode headAndTail} cuts it.
 */
function quoted(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return JSON.stringify(value);
  const head = Math.min(HEAD_CHARS, max - 2);
  const inner = (part: string[]) => JSON.stringify(part.join("")).slice(1, -1);
  return `"${inner(chars.slice(0, head))}…${inner(chars.slice(-(max - head - 1)))}"`;
}

/**
 * What may move where a value points in ways its start and end do not show:
 * a backslash (a separator to Windows) or a percent-encoded dot.
 */
const AMBIGUOUS = /\\|%2e|%2f|%5c/i;

const INVISIBLE = "value not shown: it holds invisible or control characters";

/**
 * A safe field's value as a prompt shows it: as JSON, whole, or its start and
 * its end with its length; a path or URL that `.` and `..` segments (also
 * with `\` or `%2e`) move elsewhere also shows where it resolves (see
 * `resolvedTarget`). A value that cannot be shown as it is (an invisible,
 * reordering or control character would be replaced), or that is too long to
 * show whole and holds a backslash or an encoded dot (its cut middle could
 * move it anywhere), is described by its shape only; a URL then still shows
 * where it resolves.
 */
function shown(value: unknown, shape: string): string {
  const text = JSON.stringify(value) ?? "null";
  if (!displayable(text)) return `${shape}, ${INVISIBLE}`;
  if (typeof value !== "string") {
    const { text: visible, cut } = headAndTail(text, VALUE_MAX_CHARS);
    return cut ? `${visible} (${Array.from(text).length} chars, middle cut)` : visible;
  }
  const length = Array.from(value).length;
  const cut = length > VALUE_MAX_CHARS;
  const doubt = targetInDoubt(value.normalize("NFC"));
  if (doubt !== undefined) return `${shape}, value not shown: ${doubt}`;
  const target = resolvedTarget(value.normalize("NFC"));
  if (target !== undefined && !displayable(target)) return `${shape}, ${INVISIBLE}`;
  const resolves = target === undefined
    ? ""
    : `, resolves to ${quoted(target, RESOLVED_MAX_CHARS)}`;
  if (cut && AMBIGUOUS.test(value)) {
    return `${shape}, value not shown: too long to show whole, and it holds a backslash or ` +
      "an encoded dot that can move where it points" +
      (urlShaped(value) && target !== undefined ? `; as a URL it${resolves.slice(1)}` : "");
  }
  const visible = cut
    ? `${quoted(value, VALUE_MAX_CHARS)} (${length} chars, middle cut)`
    : JSON.stringify(value);
  return visible + resolves;
}

/** The most items of a list a prompt shows (see {@linkcode listShown}). */
const LIST_MAX_ITEMS = 10;

/**
 * A list of strings as a prompt shows it, for a field the prompt shows by
 * default (`paths`): every item whole, as it is, or none (an item that would
 * be cut, moves with `..`, or cannot be shown as it is could hide where the
 * call goes among the others).
 */
function listShown(value: unknown[], shape: string): string {
  const items = value.length <= LIST_MAX_ITEMS && value.every((item) => typeof item === "string")
    ? value.map((item) => {
      const text = item as string;
      const whole = JSON.stringify(text);
      return shown(text, describe(text, undefined)) === whole ? whole : undefined;
    })
    : [];
  return items.length === value.length && items.every((item) => item !== undefined)
    ? `[${items.join(", ")}]`
    : `${shape}, value not shown: not every item can be shown whole as it is`;
}

/** The most lines a shape has: what the approval queue keeps (see `queue_record.ts`). */
export const SHAPE_MAX_LINES = 40;

/** What {@linkcode argumentShape} tells of the commands it shows. */
export interface CommandsSeen {
  /** Characters in the middle of a command not shown, by field (only those cut). */
  cut: Map<string, number>;
}

/**
 * One line per top-level argument: `name: shape`, or `name: value` for a
 * safe field (`safeFields`, the policy's) or a field a prompt shows by
 * default (`prompt`, see `prompt_value_fields.ts`: a string with the same
 * care as a safe one, a list of strings only whole; a field it hides says
 * why). A command's value (see `command_lines.ts`) may take more lines,
 * wrapped, up to {@linkcode SHAPE_MAX_LINES} in all; `seen`, when given, is
 * told which commands were cut and by how much.
 */
export function argumentShape(
  args: Record<string, unknown> | undefined,
  safeFields: readonly string[] = [],
  prompt: PromptValues = NO_PROMPT_VALUES,
  seen?: CommandsSeen,
): string[] {
  if (args === undefined) return [];
  const keys = Object.keys(args);
  const named = namedValueLabel(args);
  const listed = keys.slice(0, SHAPE_MAX_FIELDS);
  // The lines left for commands' continuation lines, once each field has its own.
  let spare = SHAPE_MAX_LINES - listed.length - (keys.length > SHAPE_MAX_FIELDS ? 1 : 0);
  const lines = listed.flatMap((key, index) => {
    const value = args[key];
    const name = keyName(key, index, undefined, 64);
    const described = describe(value, childLabel(key, named));
    const safe = safeFields.includes(key);
    const hidden = safe ? undefined : prompt.hidden.get(key);
    if (hidden !== undefined) return [`${name}: ${described}, value not shown: ${hidden}`];
    if (!safe && prompt.commands?.has(key) === true) {
      const most = Math.min(COMMAND_MAX_LINES, 1 + spare);
      const shownCommand = commandLines(name, value, most);
      spare -= shownCommand.lines.length - 1;
      if (shownCommand.hiddenChars > 0) seen?.cut.set(key, shownCommand.hiddenChars);
      return shownCommand.lines;
    }
    if (!safe && !prompt.fields.has(key)) return [`${name}: ${described}`];
    const line = `${name}: ${
      !safe && Array.isArray(value) ? listShown(value, described) : shown(value, described)
    }`;
    // Too long for the queue to keep whole (wide characters): the shape alone.
    return [
      line.length <= LINE_MAX
        ? line
        : `${name}: ${described}, value not shown: too long to show whole`,
    ];
  });
  if (keys.length > SHAPE_MAX_FIELDS) lines.push(`… and ${keys.length - SHAPE_MAX_FIELDS} more`);
  return lines;
}
