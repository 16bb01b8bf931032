/**
 * What the client is told of each request the MCP server can no longer
 * answer when it goes away, as two texts: one for the requests the server
 * was sent (it may have started on them), one for the tool calls thoth
 * still held (being decided, or waiting for a person's approval), which the
 * server never got and which did not run. The held text never says the
 * server failed to answer: the call never reached it. The same words go
 * into the audit record of a withdrawn approval. Pure.
 *
 * @example
 * ```ts
 * exitAnswerTexts({ ended: { exited: "code 9" } }).held;
 * // "thoth did not run this call: the MCP server exited (code 9) before the call was sent to it, …"
 * exitAnswerTexts({ ended: "output_closed" }).sent;
 * // "The MCP server closed its output while still running, so it can answer no request; …"
 * ```
 */
import type { StopSignal } from "./stop_signals.ts";

/** How the server went away, and what thoth did about it. */
export interface ServerEnd {
  /**
   * `output_closed`: it closed its output and ran on (thoth stops it); else
   * how it exited, as `code 9` or `signal SIGINT`.
   */
  ended: "output_closed" | { exited: string };
  /** thoth itself was stopped by this signal, and stopped the server. */
  caught?: StopSignal;
  /** At the client's EOF the server had not read its input, and thoth stopped it. */
  stalledAtClose?: boolean;
}

/** The answer to a request sent to a server that closed its output while still running. */
export const OUTPUT_CLOSED_TEXT = "The MCP server closed its output while still running, so it " +
  "can answer no request; thoth is stopping it";

/** While the call was held: the end of each held text. */
const WHILE_HELD = "while the call waited for its decision or a person's approval";

/**
 * The texts for a server that ended as `end` says: `sent` for the requests
 * it was sent, `held` for the calls thoth held and never sent it.
 */
export function exitAnswerTexts(end: ServerEnd): { sent: string; held: string } {
  const { ended, caught } = end;
  if (ended === "output_closed") {
    return {
      sent: OUTPUT_CLOSED_TEXT,
      held: "thoth did not run this call: the MCP server closed its output (it can answer no " +
        `request, and thoth is stopping it) before the call was sent to it, ${WHILE_HELD}`,
    };
  }
  const sent = `The MCP server exited (${ended.exited}) before answering this request` +
    (caught !== undefined
      ? `: thoth was stopped (${caught}) and stopped the server`
      : end.stalledAtClose === true
      ? ": it no longer read its input, so thoth stopped it when the client closed its input"
      : "");
  const held = caught !== undefined
    ? `thoth did not run this call: it was withdrawn because thoth was stopped (${caught}) ` +
      `${WHILE_HELD}; the MCP server never got it`
    : `thoth did not run this call: the MCP server exited (${ended.exited}) before the call was ` +
      `sent to it, ${WHILE_HELD}`;
  return { sent, held };
}
