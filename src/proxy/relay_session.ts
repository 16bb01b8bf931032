/**
 * The routing brain of one `thoth run`: lines from the client and from the
 * server go in, lines to either side and stderr notes come out through
 * {@linkcode RelayPorts}. Every message is forwarded as the exact bytes it
 * arrived as, except `tools/call` requests, which first pass the
 * {@linkcode Enforcer}. No process or stream handling here: `run_proxy.ts`
 * owns those.
 *
 * A response JSON-RPC does not allow (both `result` and `error`, even
 * `"error": null`; a `method` beside them, `""` too, which Go's SDK reads as
 * a response; no id, or one that is not a string or a number; an `error`
 * that is not an object; no `jsonrpc` "2.0"; see `jsonrpc_message.ts`) is
 * never forwarded, from either side, as readers differ on it; nor is a
 * message with an id, or an empty method, and neither a method name, a
 * result nor an error. The client's goes nowhere: the server's request it
 * names gets an error, and a result in it is still decided for the tools a
 * model chose, for the record. The server's is dropped: the request it
 * answers gets an error, and a tool call's outcome is recorded as that
 * error. An error without an id (JSON-RPC's answer to a request it could not
 * read) goes on as it came: no side can take it for an answer.
 *
 * @example
 * ```ts
 * const session = new RelaySession(ports, { server: "everything", enforcer, newDecisionId });
 * session.fromClient(lineBytes);
 * ```
 */
import { lineDefect } from "../protocol/line_defect.ts";
import type { OversizeLine } from "../protocol/line_decoder.ts";
import { joinParts, partsLength } from "../protocol/byte_parts.ts";
import { decodeLine, decodeParts } from "./relay_line_text.ts";
import { RelayState } from "./relay_state.ts";
import { clientLine } from "./relay_client_lines.ts";
import { fromClientOversize } from "./relay_client_line_loss.ts";
import { LARGE_LINE_BYTES, largeServerResponse, serverLine } from "./relay_server_lines.ts";
import { fromServerOversize } from "./relay_server_line_loss.ts";
import { requestClient } from "./relay_own_client_requests.ts";
import { clientLeft, clientOutputBroke, upstreamGone } from "./relay_shutdown.ts";
import type { OwnRequestOptions, RelayPorts, RelaySessionOptions } from "./relay_types.ts";

// The shapes the session is built with and talks through live in `relay_types.ts`.
export type {
  ApprovalOutcome,
  ApprovalRequest,
  ApprovalStage,
  Approver,
  ClientChannel,
  Handshake,
  OwnRequestOptions,
  RawResponse,
  RelayEvents,
  RelayPorts,
  RelaySessionOptions,
  StatelessApprovalStep,
} from "./relay_types.ts";

// Sizes in words, as the session's notes write them (see `relay_line_text.ts`).
export { formatBytes } from "./relay_line_text.ts";

/** How many dropped server lines that answered nothing are noted one by one. */
export { LOST_LINES_NOTED } from "./relay_server_line_loss.ts";

/** Server lines above this size take the envelope-only path (see `largeServerResponse`). */
export { LARGE_LINE_BYTES };

/**
 * The routing state of one relay session. Each step of it lives in a
 * `relay_*.ts` module as a plain function of the session's
 * {@linkcode RelayState}: client lines (`relay_client_lines.ts`,
 * `relay_client_route.ts`, `relay_client_requests.ts`,
 * `relay_client_refusals.ts`, `relay_client_answers.ts`), tool calls
 * (`relay_tool_calls.ts`, `relay_call_approval.ts`,
 * `relay_call_release.ts`), server lines (`relay_server_lines.ts`,
 * `relay_server_messages.ts`, `relay_server_answers.ts`,
 * `relay_server_line_loss.ts`), thoth's own requests
 * (`relay_own_listing.ts`, `relay_own_client_requests.ts`,
 * `relay_own_progress.ts`) and the end (`relay_shutdown.ts`).
 *
 * Their imports point one way, from the line entry points down: server
 * lines → server messages → server answers → client requests; client
 * lines → client route → client requests → tool calls → call approval →
 * call release → client answers; below those the refusals, the lines
 * lost, thoth's own requests and the end, then the helpers they share
 * (`relay_exact_ids.ts`, `relay_decision_bounds.ts`,
 * `relay_own_progress.ts`, `relay_line_text.ts`) and `relay_state.ts`. A
 * step a lower module needs from a higher one moves down instead.
 */
export class RelaySession {
  /** What the session keeps between messages (see `relay_state.ts`). */
  readonly #s: RelayState;

  constructor(ports: RelayPorts, options: RelaySessionOptions) {
    this.#s = new RelayState(ports, options);
  }

  /** Whether the client declared form-mode elicitation in `initialize`. */
  get clientSupportsElicitation(): boolean {
    return this.#s.clientElicitation;
  }

  /** Requests forwarded to the server and not yet answered, plus held calls. */
  get inFlight(): number {
    return this.#s.pending.size + this.#s.held.size;
  }

  /** Counts of non-JSON lines dropped, per direction. */
  get dropped(): { fromClient: number; fromServer: number } {
    return { fromClient: this.#s.droppedFromClient, fromServer: this.#s.droppedFromServer };
  }

  // ── client → server ──────────────────────────────────────────────────────

  /** One complete line from the client. */
  fromClient(line: Uint8Array): void {
    const bytes = [line];
    clientLine(this.#s, decodeLine(line), line.length, bytes, lineDefect(bytes));
  }

  /**
   * One complete line from the client, as the chunks it arrived in (a large
   * request): parsed without first copying it into one array, and forwarded,
   * when it may be, as those same chunks.
   */
  fromClientParts(parts: readonly Uint8Array[]): void {
    clientLine(this.#s, decodeParts(parts), partsLength(parts), parts, lineDefect(parts));
  }

  /** A client line over the cap: answered with an error when its id can be found. */
  fromClientOversize(info: OversizeLine): void {
    fromClientOversize(this.#s, info);
  }

  // ── server → client ──────────────────────────────────────────────────────

  /** One complete line from the server. */
  fromServer(line: Uint8Array): void {
    const s = this.#s;
    if (line.length > LARGE_LINE_BYTES && largeServerResponse(s, [line], line.length)) return;
    serverLine(s, line);
  }

  /**
   * One complete line from the server, as the chunks it arrived in: a large
   * response is forwarded chunk by chunk, never copied into one array; any
   * other line is joined and handled as by {@linkcode fromServer}.
   */
  fromServerParts(parts: readonly Uint8Array[]): void {
    const length = partsLength(parts);
    if (length > LARGE_LINE_BYTES && largeServerResponse(this.#s, parts, length)) return;
    serverLine(this.#s, joinParts(parts));
  }

  /** A server line over the cap: whoever waits for it, if found, gets an error. */
  fromServerOversize(info: OversizeLine): void {
    fromServerOversize(this.#s, info);
  }

  // ── thoth's own requests to the client ───────────────────────────────────

  /**
   * Sends a request of thoth's own to the client (elicitation for approval);
   * its id cannot collide with the server's, and its response is consumed.
   * When `options.signal` aborts first, the request is withdrawn: the client
   * is sent `notifications/cancelled` for it (so it can close the form), the
   * promise rejects, and an answer that still comes is consumed and handed to
   * `options.late`, never taken for the answer to anything else.
   */
  requestClient(
    method: string,
    params: unknown,
    options: OwnRequestOptions = {},
  ): Promise<Record<string, unknown>> {
    return requestClient(this.#s, method, params, options);
  }

  // ── the end ──────────────────────────────────────────────────────────────

  /**
   * The server is gone: answer every request it will never answer, and every
   * held call, with an error (`reason`; a held call, which the server never
   * saw, with `heldReason` when given: thoth was stopped, say). Returns how
   * many were answered.
   */
  upstreamGone(reason: string, heldReason: string = reason): number {
    return upstreamGone(this.#s, reason, heldReason);
  }

  /**
   * The client closed its input (thoth's stdin ended): calls already sent are
   * still answered on its output, but a request of thoth's own (an approval
   * form) can no longer be answered. Each one still open is withdrawn and
   * ends now with an error the approval channel reads as "reaches no one",
   * so the question moves to a channel a person can still answer, or the
   * call is denied, instead of waiting out the approval timeout.
   */
  clientInputClosed(): void {
    clientLeft(this.#s, "input_closed");
  }

  /**
   * The client stopped reading thoth's output (a write to it failed: it
   * closed its end): it is gone as at {@linkcode clientInputClosed}, and
   * more: no call is sent to the server from now on, not even one being
   * decided now and allowed later (it would run with no one to read its
   * result); each is told as cancelled instead. Safe to call from inside a
   * write to the client: the withdrawals follow in a microtask.
   */
  clientOutputBroke(): void {
    clientOutputBroke(this.#s);
  }
}
