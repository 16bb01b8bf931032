/**
 * Faults that escape the proxy core (an uncaught error, an unhandled
 * rejection: a bug, since every expected failure is handled where it
 * happens), and the session that takes the first of them. The worker's
 * global listeners hand each fault to {@linkcode CoreFaults.take}; while a
 * session relays, the first one is taken: the session says so on stderr,
 * answers every request still pending (and every call still held) with an
 * error, forwards nothing more to the server, stops it and ends its audit
 * session, and thoth exits 1. Until then, each request the client still
 * sends is answered with an error that says thoth stopped governing (see
 * `core_fault_answers.ts`). Any later fault, or one while no session
 * relays, is not taken: the worker fails as it always did, and the thread
 * that started it reports it (the last resort). A fault can thus never
 * loop through the path that handles it. No cost on the relay's path:
 * nothing here runs until a fault.
 *
 * The client is told only that thoth's core failed: an error's message may
 * name a path or an argument's value, and goes to stderr alone.
 *
 * @example
 * ```ts
 * const faults = new CoreFaults();
 * addEventListener("unhandledrejection", (event) => {
 *   if (faults.take(event.reason)) event.preventDefault();
 * });
 * ```
 */

/** The answer to a request the server was sent, when the core fails. */
export const CORE_FAILED_SENT = "thoth's proxy core failed (an internal error), so the MCP " +
  "server's answer to this request cannot be relayed; thoth is stopping the server";

/** The answer to a call thoth still held (never sent to the server), when the core fails. */
export const CORE_FAILED_HELD = "thoth did not run this call: thoth's proxy core failed (an " +
  "internal error) while the call waited for its decision or a person's approval; the MCP " +
  "server never got it";

/**
 * The answer to each request the client sends after the core failed, until
 * thoth exits (see `core_fault_answers.ts`).
 */
export const CORE_FAILED_AFTER = "thoth stopped governing this session: its proxy core failed " +
  "(an internal error), so thoth did not send this request to the MCP server and is ending " +
  "the session";

/** Where the faults of one worker go, and whether one was taken. */
export class CoreFaults {
  #take: ((lines: string[]) => void) | undefined;
  #taken = false;
  /** Whether the stderr lines for a fault carry its stack (`thoth --verbose`). */
  verbose = false;

  /** Whether a fault was taken (the session then ends with exit code 1). */
  get taken(): boolean {
    return this.#taken;
  }

  /**
   * A session takes the first fault from now on, until the returned function
   * is called; `take` gets the stderr lines that describe it, and must not
   * throw (it may; the fault is then left to the worker's host).
   */
  listen(take: (lines: string[]) => void): () => void {
    this.#take = take;
    return () => {
      if (this.#take === take) this.#take = undefined;
    };
  }

  /**
   * A fault escaped the core: returns whether a session took it (the caller
   * then keeps the worker from failing at once). Only the first fault is
   * taken, and only while a session listens.
   */
  take(error: unknown): boolean {
    const take = this.#take;
    if (this.#taken || take === undefined) return false;
    this.#taken = true;
    this.#take = undefined;
    try {
      take(faultLines(error, this.verbose));
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The stderr lines for a fault: what failed, and with `verbose` the stack.
 *
 * @example
 * ```ts
 * faultLines(new Error("boom"), false);
 * // ["error: the proxy core failed: Error: boom; answering the client's pending requests with an error and ending the session"]
 * ```
 */
export function faultLines(error: unknown, verbose: boolean): string[] {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const [first = "", ...rest] = message.split("\n");
  const lines = [
    `error: the proxy core failed: ${first}`,
    ...rest,
  ];
  lines[lines.length - 1] += "; answering the client's pending requests with an error and " +
    "ending the session";
  if (verbose && error instanceof Error && error.stack !== undefined) {
    lines.push(...error.stack.split("\n").slice(1).map((line) => line.trim()));
  }
  return lines;
}
