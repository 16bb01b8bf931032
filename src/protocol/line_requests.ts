/**
 * The requests in a line thoth will not relay, so that each can be answered
 * instead of waiting for an answer that never comes: a line that could not be
 * delivered to the server, or one thoth refuses outright. Undelivered bytes
 * come back as they were written (one line, the lines of one chunk joined,
 * or the pieces of one long line one by one): {@linkcode UndeliveredLines}
 * puts the lines back together first. Pure.
 *
 * @example
 * ```ts
 * requestsInLine(new TextEncoder().encode('{"jsonrpc":"2.0","id":5,"method":"ping"}\n'));
 * // { requests: [{ id: 5, method: "ping" }], messages: 1, batch: false }
 * ```
 */
import { joinParts } from "./byte_parts.ts";
import { exactId, type JsonRpcId } from "./jsonrpc_id.ts";
import { readFragments } from "./message_fragments.ts";
import { classifyMessage } from "./jsonrpc_message.ts";
import { mayHoldLongInteger, parseExactIntegers } from "./exact_integers.ts";
import { OVERSIZE_WINDOW } from "./line_decoder.ts";

/** A request found in a line. */
export interface LineRequest {
  /** Its id as the client wrote it (an integer past 2^53 keeps its digits). */
  id: JsonRpcId;
  /** Its method; undefined when the line could not be read whole. */
  method: string | undefined;
}

/** What one line holds. */
export interface LineRequests {
  /** The requests in it, in order: each waits for an answer. */
  requests: LineRequest[];
  /** How many messages it held (a batch holds several); 0 when it is not JSON. */
  messages: number;
  /** Whether it is a batch (its answers then go in one array). */
  batch: boolean;
}

const LF = 0x0a;
const lossy = new TextDecoder();

/** Reassembles bytes that were not delivered into the lines they were. */
export class UndeliveredLines {
  #held: Uint8Array[] = [];

  /** Takes bytes that were not delivered; returns what each line they complete holds, in order. */
  push(bytes: Uint8Array): LineRequests[] {
    const lines: LineRequests[] = [];
    let start = 0;
    for (let end = bytes.indexOf(LF); end !== -1; end = bytes.indexOf(LF, start)) {
      this.#held.push(bytes.subarray(start, end + 1));
      lines.push(requestsInLine(joinParts(this.#held)));
      this.#held = [];
      start = end + 1;
    }
    if (start < bytes.length) this.#held.push(bytes.subarray(start));
    return lines;
  }
}

/** The requests in one line (with or without its terminator). */
export function requestsInLine(line: Uint8Array): LineRequests {
  const text = lossy.decode(line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON (or only the end of a line whose start was delivered): its first
    // and last bytes may still show a request's id.
    const window = Math.min(OVERSIZE_WINDOW, text.length);
    const { id, kind } = readFragments(text.slice(0, window), text.slice(text.length - window));
    return {
      requests: id !== undefined && kind === "request" ? [{ id, method: undefined }] : [],
      messages: 0,
      batch: false,
    };
  }
  const exact = mayHoldLongInteger(text) ? exactValue(text) : undefined;
  const message = classifyMessage(value);
  const batch = message.kind === "batch";
  const items = batch ? message.items : [message];
  const requests: LineRequest[] = [];
  items.forEach((item, index) => {
    if (item.kind !== "request") return;
    const exactItem = !batch ? exact : Array.isArray(exact) ? exact[index] : undefined;
    const exactIdValue = exactItem !== null && typeof exactItem === "object"
      ? (exactItem as Record<string, unknown>)["id"]
      : undefined;
    requests.push({ id: exactId(item.id, exactIdValue), method: item.method });
  });
  return { requests, messages: items.length, batch };
}

/** The line parsed again with its long integers' digits kept; undefined if that fails. */
function exactValue(text: string): unknown {
  try {
    return parseExactIntegers(text);
  } catch {
    return undefined;
  }
}
