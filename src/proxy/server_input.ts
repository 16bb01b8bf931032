/**
 * The server's input in a governed session (see `relay_until_exit.ts`): the
 * writer of what thoth sends it, and what becomes of a line that does not
 * reach it. Such a line is noted, and each request in it answered with an
 * error, given to the session as the server's answer would be; once the
 * server has exited, its exit answers them instead. A write that fails is
 * said once, and only of a server still running a moment later: a server
 * that exits at once breaks the pipe before its exit is seen.
 *
 * @example
 * ```ts
 * const input = new ServerInput({ child, grace: 2000, note, held, exited: () => false, answer });
 * input.writer.write(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"ping"}\n'));
 * input.drop("the MCP server exited");
 * ```
 */
import { type LineRequests, UndeliveredLines } from "../protocol/line_requests.ts";
import { errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import type { ByteBudget } from "./byte_budget.ts";
import { StreamWriter } from "./stream_writer.ts";
import { settlesWithin } from "./settles_within.ts";
import { errorText } from "./error_text.ts";

/** How long a server whose output ended has to exit before it is taken as running on. */
export const OUTPUT_END_WAIT_MS = 200;

/** What a {@linkcode ServerInput} writes to and tells. */
export interface ServerInputParts {
  /** The server: its input is written, its exit waited for. */
  child: Deno.ChildProcess;
  /** Wait at each shutdown step, in milliseconds. */
  grace: number;
  note: (message: string) => void;
  /** The client's bytes held for the server (writes it has not taken count here). */
  held: ByteBudget;
  /** Whether the server's exit has been seen. */
  exited: () => boolean;
  /** Gives the session an answer as the server's would be (not from inside its own call). */
  answer: (response: Uint8Array) => void;
}

/** The writer of the server's input, and what answers the lines it could not deliver. */
export class ServerInput {
  /** Writes to the server's input. */
  readonly writer: StreamWriter;
  /**
   * Set once the server can take no more requests (it closed its output, or
   * exited): each request written after that is answered with this at once.
   */
  lost: { cause: string; text: string } | undefined;
  #parts: ServerInputParts;
  #undelivered = new UndeliveredLines();
  /** Set while thoth gives up writes whose requests the session answers itself. */
  #dropsAnswered = false;
  /** A write to the server failed (not given up by thoth): its input is gone, maybe with it. */
  #writeBroke = false;
  /**
   * Whether the server exited soon after a write to it failed. A server that
   * exits at once breaks the pipe before its exit is seen: its exit, not the
   * broken pipe, is what answers the requests it never got.
   */
  #exitAfterBreak: Promise<boolean> | undefined;

  constructor(parts: ServerInputParts) {
    this.#parts = parts;
    const { child, grace, note } = parts;
    this.writer = new StreamWriter(
      child.stdin,
      (error) => {
        if (parts.exited()) return;
        this.#writeBroke = true;
        // A server that exits at once breaks the pipe before its exit is seen: wait as
        // `#notDelivered` does, and say the pipe broke only of a server still running.
        this.#exitAfterBreak ??= settlesWithin(child.status, Math.min(grace, OUTPUT_END_WAIT_MS));
        void this.#exitAfterBreak.then((exited) => {
          if (exited || parts.exited()) return;
          note(
            `cannot write to the MCP server (${errorText(error)}); it no longer reads its input, ` +
              "so each request from now on is answered with an error",
          );
        });
      },
      (bytes, why) => {
        if (this.#dropsAnswered) return;
        for (const line of this.#undelivered.push(bytes)) this.#notDelivered(line, why);
      },
      parts.held,
    );
  }

  /**
   * Stops writing to the server: what it has not taken is dropped, unseen by
   * `#notDelivered` (the session's `upstreamGone` answers its requests), and
   * its input closes (once a write in progress ends).
   */
  drop(why: string): void {
    this.#dropsAnswered = true;
    try {
      this.writer.abandon(new Error(why));
    } finally {
      this.#dropsAnswered = false;
    }
    this.#undelivered = new UndeliveredLines();
  }

  /**
   * A line meant for the server that did not reach it: noted, and each request
   * in it answered with an error, given to the session as the server's answer
   * would be (the session then forgets the request and records its outcome).
   * Once the server has exited, its exit answers them instead.
   */
  #notDelivered(line: LineRequests, why: "failed" | "closed"): void {
    const { child, grace, note, exited: serverExited } = this.#parts;
    const gone = this.lost;
    if (serverExited() && gone === undefined) return;
    const cause = gone?.cause ??
      (why === "closed" ? "its input was already closed" : "it no longer reads its input");
    const { requests } = line;
    const ids = requests.map((request) => JSON.stringify(request.id)).join(", ");
    const tell = () =>
      note(
        requests.length === 0
          ? `could not deliver a message to the MCP server (${cause}); it was dropped`
          : `could not deliver request ${ids} to the MCP server (${cause}); answered with an error`,
      );
    const text = gone?.text ??
      (why === "closed"
        ? "thoth could not deliver this request to the MCP server: the session was ending, " +
          "and the server's input was already closed"
        : "thoth could not deliver this request: the MCP server no longer reads its input");
    const answers = requests.map(({ id }) => errorResponse(id, RPC_SERVER_ERROR, text));
    const answer = () => {
      if (serverExited() && gone === undefined) return;
      for (const answer of answers) this.#parts.answer(answer);
    };
    // Later, never from inside the session's own call that tried to send it.
    if (gone !== undefined || why === "closed" || !this.#writeBroke) {
      tell();
      queueMicrotask(answer);
      return;
    }
    // After a broken pipe, once the server has had a moment to exit: a server that exited
    // is not told of as one that stopped reading, and its exit answers instead.
    this.#exitAfterBreak ??= settlesWithin(child.status, Math.min(grace, OUTPUT_END_WAIT_MS));
    void this.#exitAfterBreak.then((exited) => {
      if (exited || serverExited()) return;
      tell();
      answer();
    });
  }
}
