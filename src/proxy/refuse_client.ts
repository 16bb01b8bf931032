/**
 * The session thoth will not relay: the server could not be started, or
 * thoth may not govern it. The error goes to stderr; the client's first
 * request (its `initialize`, alone or in a batch) is answered with the
 * reason, and the session ends. A stop signal ends the wait at once.
 *
 * @example
 * ```ts
 * const ended = await refuseClient(
 *   { error, wire: "thoth cannot govern this server" },
 *   { clientIn: Deno.stdin.readable, toClient, note, maxLineBytes: 1 << 20, stop },
 * );
 * ```
 */
import { AppError } from "../errors.ts";
import { requestsInLine } from "../protocol/line_requests.ts";
import { encodeLine, errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { pumpLines } from "./pump_lines.ts";
import { signalExitCode, stopSignalOf } from "./stop_signals.ts";
import type { StreamWriter } from "./stream_writer.ts";

/** Why the session is refused: `error` for stderr, `wire` for the client. */
export interface Refusal {
  error: unknown;
  wire: string;
}

/** The client side of a refused session. */
export interface RefusalIo {
  clientIn: ReadableStream<Uint8Array>;
  toClient: StreamWriter;
  note: (message: string) => void;
  maxLineBytes: number;
  /** Aborted with a signal's name ("SIGTERM") to stop waiting for the client. */
  stop: AbortSignal;
}

/** How a refused session ended. */
export interface RefusalEnd {
  exitCode: number;
  reason: "spawn_failed" | "signal";
}

/** Reports the refusal, answers the client's first request with it, and ends. */
export async function refuseClient(refusal: Refusal, io: RefusalIo): Promise<RefusalEnd> {
  const { error, wire } = refusal;
  const { toClient, note, stop } = io;
  const appError = error instanceof AppError ? error : undefined;
  note(`error: ${appError?.message ?? (error instanceof Error ? error.message : String(error))}`);
  for (const hint of appError?.hints ?? []) note(`hint: ${hint}`);
  let answered = false;
  const answer = (line: Uint8Array) => {
    if (answered) return;
    const { requests, batch } = requestsInLine(line);
    if (requests.length === 0) return;
    answered = true;
    if (!batch) {
      toClient.write(errorResponse(requests[0]!.id, RPC_SERVER_ERROR, wire));
      return;
    }
    // A batch is answered as one: an array with an error for each request in it.
    toClient.write(encodeLine(requests.map(({ id }) => ({
      jsonrpc: "2.0",
      id,
      error: { code: RPC_SERVER_ERROR, message: wire },
    }))));
  };
  const pump = pumpLines(
    io.clientIn,
    io.maxLineBytes,
    { line: answer, oversize: () => {} },
    toClient,
    [],
    { until: () => answered },
  );
  let stopped: () => void = () => {};
  const stopping = new Promise<void>((resolve) => stopped = resolve);
  const onStop = () => stopped();
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });
  try {
    await Promise.race([pump.done, stopping]);
  } finally {
    stop.removeEventListener("abort", onStop);
    pump.cancel();
  }
  await toClient.close();
  if (stop.aborted) {
    const signal = stopSignalOf(stop.reason);
    note(`received ${signal}; exiting`);
    return { exitCode: signalExitCode(signal), reason: "signal" };
  }
  return { exitCode: appError?.exitCode ?? 1, reason: "spawn_failed" };
}
