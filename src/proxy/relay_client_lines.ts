/**
 * How a `RelaySession` takes in one line from the client: parsed (ids kept
 * as the client spelled them, long integers digit for digit), routed, and
 * written to the server as the bytes it came as, at once or in its turn in
 * the call line, counted as held while its decision is pending; a batch
 * split into what goes now and what waits (an empty one refused); a line
 * that cannot be read answered with an error.
 *
 * @example
 * ```ts
 * clientLine(state, text, bytes.length, [bytes], lineDefect([bytes]));
 * ```
 */
import { idKey } from "../protocol/jsonrpc_id.ts";
import { classifyMessage, type Message, type RequestMessage } from "../protocol/jsonrpc_message.ts";
import { mayHoldLongInteger } from "../protocol/exact_integers.ts";
import { jsonTextDefect } from "../protocol/json_text_defect.ts";
import { RPC_PARSE_ERROR } from "../protocol/responses.ts";
import type { CallPlace } from "./call_line.ts";
import { encoder, exactLine, fragmentsOf, itemTexts, parseText } from "./relay_line_text.ts";
import { isToolCall, messageValue } from "./relay_envelopes.ts";
import { droppedUnread } from "./relay_client_line_loss.ts";
import { refuseLine } from "./relay_client_refusals.ts";
import {
  isNoRequest,
  refuseBatchElements,
  refuseNoRequest,
  routeFromClient,
} from "./relay_client_route.ts";
import { exactIds, exactOf } from "./relay_exact_ids.ts";
import { answeringBatch, type BatchAnswers } from "./relay_batch_answers.ts";
import type { LineHold, RelayState } from "./relay_state.ts";

/** Writes with `send`, then lets go with `release` (even when the write throws). */
function sendThen(send: () => void, release: () => void): void {
  try {
    send();
  } finally {
    release();
  }
}

export function clientLine(
  s: RelayState,
  text: string | undefined,
  size: number,
  bytes: readonly Uint8Array[],
  byteDefect: string | undefined,
): void {
  const value = text === undefined ? undefined : parseText(text);
  const defect = byteDefect ?? (value === undefined ? undefined : jsonTextDefect(text!));
  if (value !== undefined && defect !== undefined) {
    s.routedParts = bytes;
    try {
      // A batch's refusals go to the client as one array line (see `relay_batch_answers.ts`).
      if (Array.isArray(value)) answeringBatch(s, () => refuseLine(s, value, defect, text!));
      else refuseLine(s, value, defect, text!);
    } finally {
      s.routedParts = undefined;
    }
    return;
  }
  if (value === undefined) {
    s.droppedFromClient++;
    const facts = fragmentsOf(bytes);
    droppedUnread(
      s,
      `dropped a line from the client that is not JSON (${size} bytes); ` +
        "MCP over stdio needs one JSON-RPC message per line",
      facts.kind === "unknown" && !facts.mentionsMethod ? { ...facts, id: undefined } : facts,
      RPC_PARSE_ERROR,
      "Parse error: thoth could not read the request as JSON, so it was not forwarded",
      "thoth could not read the client's answer as JSON, so it was not forwarded",
    );
    return;
  }
  const send = () => {
    for (const part of bytes) s.ports.toServer(part);
  };
  s.exactLine = mayHoldLongInteger(text!) ? exactLine(value, text!) : undefined;
  const message = exactIds(s, classifyMessage(value), text!);
  s.routedParts = bytes;
  try {
    if (message.kind === "batch") {
      // JSON-RPC answers an empty batch with one error, never forwarded (see `refuseNoRequest`).
      if (message.items.length === 0) refuseNoRequest(s, "an empty batch", message);
      else {answeringBatch(s, (answers) =>
          clientBatch(s, send, message.items, size, text!, answers));}
      return;
    }
    const forward = routeFromClient(s, message);
    if (forward === true) {
      // An allowed call goes behind the calls the client sent before it (see `call_line.ts`).
      if (s.callLine.size === 0 || !isToolCall(message)) send();
      else queueCall(s, message, send, size);
    } else if (forward !== false) {
      const release = holdLine(s, message, size);
      const place = isToolCall(message) && !waitsForPerson(s, message)
        ? s.callLine.join(idKey(message.id))
        : undefined;
      void forward.then((ok) => {
        if (place === undefined) {
          try {
            if (ok) send();
          } finally {
            release();
          }
          return;
        }
        s.callLine.settle(place, ok ? () => sendThen(send, release) : undefined, release);
        if (!ok) release();
      }, (error) => {
        if (place !== undefined) s.callLine.settle(place, undefined);
        release();
        throw error;
      });
    }
  } finally {
    s.exactLine = undefined;
    s.routedParts = undefined;
  }
}

/**
 * A tool call allowed at once while calls sent before it are still on
 * their way (see `call_line.ts`): it is written in its turn, and counts
 * as held for the server until then.
 */
function queueCall(s: RelayState, message: RequestMessage, send: () => void, size: number): void {
  const release = holdLine(s, message, size);
  const place = s.callLine.join(idKey(message.id));
  s.callLine.settle(place, () => sendThen(send, release), release);
}

/** Whether the held call `message` waits for a person (it takes no place in the call line). */
function waitsForPerson(s: RelayState, message: RequestMessage): boolean {
  return s.held.get(idKey(message.id))?.abort !== undefined;
}

/**
 * A client batch (`text`, parsed into `items`): forwarded as it came when
 * every element may go now. Otherwise some element was held, answered or
 * consumed: the rest go now, in one batch, and each held element on its
 * own once allowed (thoth's own answers to the line go in one array line,
 * `answers`), every one as the text the client wrote (its ids
 * spelled as written, its numbers digit for digit). Held `tools/call`s
 * take their places in the call line (see `call_line.ts`), and so do the
 * elements that go now when they hold an allowed call and calls sent
 * before wait there.
 */
function clientBatch(
  s: RelayState,
  send: () => void,
  items: Message[],
  size: number,
  text: string,
  answers: BatchAnswers,
): void {
  // Elements that are no request at all are answered and recorded together (one note).
  const routes = items.map((item) => isNoRequest(item) ? false : routeFromClient(s, item));
  if (routes.includes(false)) {
    const refused = items.filter(isNoRequest);
    if (refused.length > 0) refuseBatchElements(s, refused, answers);
  }
  if (routes.every((r) => r === true)) {
    send();
    return;
  }
  const texts = itemTexts(text, items.length) ??
    items.map((item, index) => JSON.stringify(reserialized(s, item, index)));
  // The line counts as held until its last held element was decided (and written).
  const later: Promise<unknown>[] = [];
  /** Writes `bytes` in the turn of `place` (none: at once); resolves once written or dropped. */
  const inTurn = (place: CallPlace, bytes: Uint8Array, ok: boolean) =>
    new Promise<void>((done) => {
      const write = () => s.ports.toServer(bytes);
      s.callLine.settle(place, ok ? () => sendThen(write, done) : undefined, done);
      if (!ok) done();
    });
  // Allowed calls among the elements that go now, while calls sent before wait in the line:
  // they go in their turn, in a place taken before this batch's held elements take theirs.
  const nowPlace = s.callLine.size > 0 &&
      routes.some((route, index) => route === true && isToolCall(items[index]!))
    ? s.callLine.join(undefined)
    : undefined;
  const now: string[] = [];
  routes.forEach((route, index) => {
    const item = items[index]!;
    if (route === true) {
      now.push(texts[index]!);
      return;
    }
    if (route === false) return;
    const place = isToolCall(item) && !waitsForPerson(s, item)
      ? s.callLine.join(idKey(item.id))
      : undefined;
    const bytes = encoder.encode(texts[index]! + "\n");
    later.push(route.then((ok) => {
      if (place !== undefined) return inTurn(place, bytes, ok);
      if (ok) s.ports.toServer(bytes);
    }, (error) => {
      if (place !== undefined) s.callLine.settle(place, undefined);
      throw error;
    }));
  });
  if (now.length > 0) {
    const bytes = encoder.encode(`[${now.join(",")}]\n`);
    if (nowPlace === undefined) s.ports.toServer(bytes);
    else later.push(inTurn(nowPlace, bytes, true));
  }
  const counted = later.length === 0 ? undefined : s.opts.heldBytes;
  if (counted !== undefined) {
    counted.add(size);
    void Promise.allSettled(later).then(() => counted.remove(size));
  }
}

/**
 * An element of a client batch as JSON would write it (long integers
 * digit for digit): only when its text cannot be found in the line, which
 * does not happen to a line that parses.
 */
function reserialized(s: RelayState, item: Message, index: number): unknown {
  return (item.kind === "batch" ? undefined : exactOf(s, item.value, index)) ??
    messageValue(item);
}

/**
 * Counts a client line held on its way (a request waiting for its
 * decision) in `heldBytes`; returns what stops counting it, once it was
 * written or answered. A request's line is found by its id again when its
 * call starts waiting for a person (`uncountWhileAsked` in
 * `relay_call_approval.ts`).
 */
function holdLine(s: RelayState, message: Message, size: number): () => void {
  const budget = s.opts.heldBytes;
  if (budget === undefined) return () => {};
  const hold: LineHold = { size, counted: true };
  budget.add(size);
  const key = message.kind === "request" ? idKey(message.id) : undefined;
  if (key !== undefined) s.lineHolds.set(key, hold);
  return () => {
    if (key !== undefined && s.lineHolds.get(key) === hold) s.lineHolds.delete(key);
    if (!hold.counted) return;
    hold.counted = false;
    budget.remove(size);
  };
}
