/**
 * How a `RelaySession` takes in one line from the server: a large answer to
 * a call relayed chunk by chunk unparsed, when its ends show it may be;
 * any other line parsed, checked (a defect, a key in another case, a
 * repeated key refuse it), each message booked (`relay_server_messages.ts`),
 * and the line written to the client as it came, or with only the
 * progress thoth must shift rewritten.
 *
 * @example
 * ```ts
 * if (!largeServerResponse(state, [bytes], bytes.length)) serverLine(state, bytes);
 * ```
 */
import { idKey, idText } from "../protocol/jsonrpc_id.ts";
import { readFragmentsWithText } from "../protocol/message_fragments.ts";
import { classifyMessage, type Message } from "../protocol/jsonrpc_message.ts";
import { idTextOf } from "../protocol/id_text.ts";
import { OVERSIZE_WINDOW } from "../protocol/line_decoder.ts";
import { lineDefect } from "../protocol/line_defect.ts";
import { repeatedEnvelopeKey } from "../protocol/repeated_envelope_key.ts";
import { firstBytes, lastBytes, terminatorLength } from "../protocol/byte_parts.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { keyMentions } from "../protocol/id_key_mentions.ts";
import { topLevelKeys } from "../protocol/top_level_keys.ts";
import {
  arrayItemSpans,
  bomKeeping,
  decodeLine,
  encoder,
  lossy,
  parseText,
  shiftedProgressText,
  valueSpan,
} from "./relay_line_text.ts";
import {
  envelopeVariant,
  foldedEnvelopes,
  keptItems,
  relayableEnvelope,
} from "./relay_envelopes.ts";
import { forgetProgress } from "./relay_own_progress.ts";
import { refuseServerLine, unreadServerLine } from "./relay_server_line_loss.ts";
import { noteServerMessage } from "./relay_server_messages.ts";
import type { RelayState } from "./relay_state.ts";

/** Server lines are checked for a carriage return inside, not for a byte order mark. */
const SERVER_LINE_CHECK = { bom: false };

/** Server lines above this size take the envelope-only path (see `largeServerResponse`). */
export const LARGE_LINE_BYTES = 256 * 1024;

export function serverLine(s: RelayState, line: Uint8Array): void {
  const text = decodeLine(line);
  const value = text === undefined ? undefined : parseText(text);
  if (value === undefined) {
    unreadServerLine(s, line);
    return;
  }
  const message = classifyMessage(value);
  const defect = lineDefect([line], SERVER_LINE_CHECK);
  if (defect !== undefined) {
    const items = message.kind === "batch" ? message.items : [message];
    const ids = items.flatMap((item) =>
      item.kind === "response" && item.id !== null ? [item.id] : []
    );
    refuseServerLine(s, defect, ids);
    return;
  }
  const variant = envelopeVariant(message);
  if (variant !== undefined) {
    // A lenient client (Go's encoding/json) reads `"ID"` as `id`: the line could answer a
    // call thoth holds, or be a request thoth never saw as one. Read as such a client would.
    const read = foldedEnvelopes(message);
    refuseServerLine(s, `the key ${JSON.stringify(variant)}`, read.answers, read.requests);
    return;
  }
  const repeated = message.kind === "batch" ? undefined : repeatedEnvelopeKey(line, text!);
  if (repeated !== undefined) {
    // Readers differ on a repeated key (the last, the first, or no message at all): the
    // request the parsed message answers gets an error, and the line goes nowhere.
    const ids = message.kind === "response" && message.id !== null ? [message.id] : [];
    const asked = message.kind === "request" ? [message.id] : [];
    refuseServerLine(s, `the key ${JSON.stringify(repeated)} twice`, ids, asked);
    return;
  }
  const offset = s.progressSent.size === 0 ? undefined : offsetProgress(s, message, line);
  if (message.kind !== "batch") {
    if (noteServerMessage(s, message, () => idTextOf(text!))) {
      s.ports.toClient(offset ?? line);
    }
    return;
  }
  let spans: [number, number][] | undefined | null = null;
  const spelling = (index: number) => () => {
    if (spans === null) spans = arrayItemSpans(text!);
    const span = spans?.[index];
    return span === undefined ? undefined : idTextOf(text!.slice(span[0], span[1]));
  };
  const kept = message.items.map((item, index) => noteServerMessage(s, item, spelling(index)));
  if (kept.every((keep) => keep)) {
    s.ports.toClient(offset ?? line);
  } else if (kept.some((keep) => keep)) {
    s.ports.toClient(keptItems(offset ?? line, message.items, kept));
  }
}

/**
 * The server's progress under a token thoth already reported on (while the
 * call waited for a person) must go on increasing, as MCP requires: each
 * such notification for that call, now running on the server, is sent with
 * thoth's last value plus one added to its `progress` (and `total`).
 * Returns the line with only those notifications rewritten (every other
 * element of a batch keeps its exact bytes), or undefined when the line
 * holds none and goes out as it came.
 */
function offsetProgress(s: RelayState, message: Message, line: Uint8Array): Uint8Array | undefined {
  const items = message.kind === "batch" ? message.items : [message];
  const offsets = items.map((item) => progressOffset(s, item));
  if (offsets.every((offset) => offset === undefined)) return undefined;
  const text = bomKeeping.decode(line);
  const spans = message.kind === "batch" ? arrayItemSpans(text) : [valueSpan(text)];
  if (spans === undefined || spans.length !== offsets.length) return undefined;
  let out = "";
  let at = 0;
  offsets.forEach((offset, index) => {
    if (offset === undefined) return;
    const [start, end] = spans[index]!;
    const shifted = shiftedProgressText(text.slice(start, end), offset);
    if (shifted === undefined) return;
    out += text.slice(at, start) + shifted;
    at = end;
  });
  return at === 0 ? undefined : encoder.encode(out + text.slice(at));
}

/**
 * What to add to the progress in `item`: thoth's last value under its token
 * plus one, when it is a progress notification for the call thoth reported
 * on and the server now runs; else undefined.
 */
function progressOffset(s: RelayState, item: Message): number | undefined {
  if (item.kind !== "notification" || item.method !== "notifications/progress") return undefined;
  const params = item.params;
  if (!isPlainObject(params) || typeof params["progress"] !== "number") return undefined;
  const token = params["progressToken"];
  if (typeof token !== "string" && typeof token !== "number") return undefined;
  const key = idKey(token);
  const own = s.progressSent.get(key);
  if (own?.call === undefined || s.pending.get(own.call)?.progressKey !== key) {
    return undefined;
  }
  return own.sent + 1;
}

/**
 * A large server line is relayed without parsing it whole when its first and
 * last bytes show a JSON object answering a pending request that needs no
 * bookkeeping from its body (any tools/call or resource result), and whose
 * top-level keys (found by one scan that tracks nesting, see
 * `top_level_keys.ts`) are those of a result JSON-RPC allows. This keeps
 * a 20 MiB result from being decoded and parsed, and, as the chunks it
 * arrived in are forwarded one by one, from being copied. Returns false
 * to fall back to the full parse.
 */
export function largeServerResponse(
  s: RelayState,
  parts: readonly Uint8Array[],
  length: number,
): boolean {
  const window = Math.min(OVERSIZE_WINDOW, length);
  const head = lossy.decode(firstBytes(parts, window));
  const tail = lossy.decode(lastBytes(parts, window));
  if (!/^\s*\{/.test(head) || !/\}\s*$/.test(tail)) return false;
  // A request of the server's (a large sampling request) may share an id with
  // one of the client's: it is parsed whole, never taken for an answer.
  const { id, idText: written, kind } = readFragmentsWithText(head, tail);
  if (id === undefined || kind !== "response") return false;
  const key = idKey(id);
  const pending = s.pending.get(key);
  if (
    pending === undefined || pending.method === "tools/list" || pending.method === "initialize"
  ) {
    return false;
  }
  // Another spelling of the request's id (`2.0` for `2`): parsed whole, and dropped there.
  const wanted = idText(pending.id);
  if (wanted !== undefined && written !== wanted) return false;
  // The client's parser keeps the last of duplicate keys: an `id` anywhere else in the
  // line, even in bytes thoth does not read, could answer another call; a `method` would
  // make it a request of the server's to the client. Parsed whole then, and routed as
  // what it is (see `jsonrpc_message.ts`: a message with a method is a request). So is a
  // line that may hold `"ID"` or `"Method"`, which a client that folds key case reads so.
  const mentions = keyMentions(parts);
  if (mentions.id !== 1 || mentions.method !== 0 || mentions.variant) return false;
  // Only an answer JSON-RPC allows goes on unparsed: one `result`, no `error` (one beside
  // the result, however far from the line's ends, is refused once parsed whole) and
  // `jsonrpc` "2.0". Top-level keys only: a nested `"error": null` keeps the fast path.
  const top = topLevelKeys(parts);
  if (top === undefined || !relayableEnvelope(top)) return false;
  const defect = lineDefect(parts, SERVER_LINE_CHECK);
  if (defect !== undefined) {
    refuseServerLine(s, defect, [id]);
    return true;
  }
  s.pending.delete(key);
  forgetProgress(s, pending.progressKey);
  // A task's result is the outcome of the call that created the task.
  const task = pending.method === "tasks/result" && pending.taskId !== undefined
    ? s.tasks.take(pending.taskId)
    : undefined;
  if (pending.method === "tools/call" || task !== undefined) {
    const isError = /"isError"\s*:\s*true/.test(tail);
    s.opts.events?.outcome?.(
      task?.id ?? pending.id,
      task?.tool ?? pending.tool ?? "",
      isError,
      s.now() - (task?.started ?? pending.started),
      undefined,
      { parts, bytes: length - terminatorLength(parts) },
    );
  }
  for (const part of parts) s.ports.toClient(part);
  return true;
}
