/**
 * The client line being routed as the client wrote it: each request's
 * numeric id spelled as written (an integer past 2^53, `2.0`), and a
 * message's value with the digits of its long integers kept (see
 * `exact_integers.ts`), read from `RelayState.exactLine` while the line is
 * routed.
 *
 * @example
 * ```ts
 * const message = exactIds(state, classifyMessage(value), text); // ids as written
 * const exact = exactOf(state, message.value); // undefined: no long integers
 * ```
 */
import { exactId, spelledId } from "../protocol/jsonrpc_id.ts";
import type { Message } from "../protocol/jsonrpc_message.ts";
import { idTextOf } from "../protocol/id_text.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { arrayItemSpans } from "./relay_line_text.ts";
import type { RelayState } from "./relay_state.ts";

/**
 * `message` (parsed from `text`) with each request's numeric id as the
 * client wrote it, when `String(id)` would write it otherwise: an integer
 * past 2^53, or a number spelled its own way (`2.0`, see `spelledId`).
 * The server's answer must carry that spelling, and thoth's own answers do.
 */
export function exactIds(s: RelayState, message: Message, text: string): Message {
  let spans: [number, number][] | undefined | null = null;
  const itemText = (index: number | undefined): string | undefined => {
    if (index === undefined) return text;
    if (spans === null) spans = arrayItemSpans(text);
    const span = spans?.[index];
    return span === undefined ? undefined : text.slice(span[0], span[1]);
  };
  const withId = (item: Message, index?: number): Message => {
    if (item.kind !== "request") return item;
    let id = item.id;
    if (s.exactLine !== undefined) {
      const exact = exactOf(s, item.value, index);
      id = exactId(id, isPlainObject(exact) ? exact["id"] : undefined);
    }
    if (typeof id === "number") {
      const written = itemText(index);
      id = spelledId(id, written === undefined ? undefined : idTextOf(written));
    }
    return id === item.id ? item : { ...item, id };
  };
  return message.kind === "batch"
    ? { ...message, items: message.items.map((item, index) => withId(item, index)) }
    : withId(message);
}

/**
 * The message `value` of the client line being routed, with the digits of
 * its long integers kept; undefined when the line has none.
 */
export function exactOf(s: RelayState, value: unknown, index?: number): unknown {
  const line = s.exactLine;
  if (line === undefined) return undefined;
  if (line.value === value) return line.exact;
  if (!Array.isArray(line.value) || !Array.isArray(line.exact)) return undefined;
  // Elements that are equal numbers are told apart by their place, never by value.
  const at = index ?? line.value.indexOf(value);
  return at === -1 || line.value[at] !== value ? undefined : line.exact[at];
}
