/**
 * What the client sends once the proxy core failed (see `core_faults.ts`),
 * until thoth exits: still read, never relayed. Each request is answered at
 * once with a JSON-RPC error under its id that says thoth stopped governing
 * the session and why ({@linkcode CORE_FAILED_AFTER}), so that the client is
 * not left waiting for an answer that never comes; a batch's requests are
 * answered in one array, as a batch is. Notifications and answers (to
 * requests of the server's, which is being stopped) are dropped. A line
 * past the size cap, or one that is not JSON, is answered when its first or
 * last bytes show a request's id. Nothing here parses more than one line at
 * a time, and nothing runs before a fault.
 *
 * @example
 * ```ts
 * const after = new CoreFaultAnswers((bytes) => toClient.write(bytes));
 * Object.assign(clientSink, after.sink()); // from the fault on
 * ```
 */
import { joinParts } from "../protocol/byte_parts.ts";
import type { LineSink, OversizeLine } from "../protocol/line_decoder.ts";
import { type LineRequest, requestsInLine } from "../protocol/line_requests.ts";
import { encodeLine, errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { CORE_FAILED_AFTER } from "./core_faults.ts";
import { fragmentsOfOversize } from "./relay_line_text.ts";

/** Answers what the client sends after a core fault (see the module doc). */
export class CoreFaultAnswers {
  readonly #write: (bytes: Uint8Array) => void;
  /** How many requests were answered. */
  answered = 0;

  constructor(write: (bytes: Uint8Array) => void) {
    this.#write = write;
  }

  /** The sink the client's lines go to from the fault on. */
  sink(): Required<LineSink> {
    return {
      line: (line) => this.#line(line),
      lineParts: (parts) => this.#line(joinParts(parts)),
      oversize: (info) => this.#oversize(info),
    };
  }

  #line(line: Uint8Array): void {
    const { requests, batch } = requestsInLine(line);
    this.#answer(requests, batch);
  }

  #oversize(info: OversizeLine): void {
    const { id, kind } = fragmentsOfOversize(info);
    if (id !== undefined && kind === "request") this.#answer([{ id, method: undefined }], false);
  }

  /** Answers `requests` (a batch's in one array, as a batch is answered). */
  #answer(requests: readonly LineRequest[], batch: boolean): void {
    if (requests.length === 0) return;
    this.answered += requests.length;
    if (!batch) {
      for (const { id } of requests) {
        this.#write(errorResponse(id, RPC_SERVER_ERROR, CORE_FAILED_AFTER));
      }
      return;
    }
    this.#write(encodeLine(requests.map(({ id }) => ({
      jsonrpc: "2.0",
      id,
      error: { code: RPC_SERVER_ERROR, message: CORE_FAILED_AFTER },
    }))));
  }
}
