/**
 * `runProxy()`: one governed stdio session. Starts the upstream server, relays
 * both directions through a {@linkcode RelaySession}, and owns the lifecycle:
 * client EOF closes the server's stdin, then SIGTERM, then SIGKILL; a server
 * exit answers every pending request and returns the server's exit code.
 *
 * @example
 * ```ts
 * const result = await runProxy({ command: "node", args: ["server.js"], server: "demo" });
 * Deno.exit(result.exitCode);
 * ```
 */
import { allowAllEnforcer } from "../enforcer/allow_all_enforcer.ts";
import { newDecisionId } from "../enforcer/decision_id.ts";
import type { Enforcer } from "../enforcer/enforcer.ts";
import { AppError } from "../errors.ts";
import { classifyMessage } from "../protocol/jsonrpc_message.ts";
import { LineDecoder, type LineSink } from "../protocol/line_decoder.ts";
import { errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import {
  type Approver,
  LARGE_LINE_BYTES,
  type RelayEvents,
  RelaySession,
} from "./relay_session.ts";
import { StreamWriter, type SyncSink } from "./stream_writer.ts";
import { commandName, spawnUpstream } from "./upstream_spawn.ts";

import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES } from "./proxy_defaults.ts";

export { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES };

/** Options of {@linkcode runProxy}. */
export interface ProxyOptions {
  /** The upstream command and its arguments, exactly as given after `--`. */
  command: string;
  args: readonly string[];
  /** The governed server's agent id. */
  server: string;
  enforcer?: Enforcer;
  approver?: Approver;
  events?: RelayEvents;
  maxLineBytes?: number;
  /** The client side; default: this process's stdin, and its stdout written synchronously. */
  clientIn?: ReadableStream<Uint8Array>;
  clientOut?: WritableStream<Uint8Array> | SyncSink;
  /** A line for stderr; default writes `thoth: <message>` to stderr. */
  note?: (message: string) => void;
  /** Wait at each shutdown step, in milliseconds. */
  graceMs?: number;
  /** Install SIGINT/SIGTERM handlers (the CLI does; tests usually do not). */
  handleSignals?: boolean;
  /**
   * Stops the session as a signal would; the abort reason names the signal
   * ("SIGTERM", "SIGINT"). Used when signals arrive in another thread.
   */
  stop?: AbortSignal;
  /**
   * The upstream could not be resolved before starting (not found, not
   * executable): skip the spawn and answer the client's first request with it.
   */
  upstreamError?: AppError;
  /**
   * thoth itself cannot govern (a broken policy, a bad environment): start no
   * server, print the error, and answer the client's first request with `wire`.
   */
  refusal?: { error: AppError; wire: string };
  cwd?: string;
  /** Told the server's process id once it runs (the sandbox's watchdog needs it). */
  onSpawned?: (pid: number) => void;
  /** Told once the server has exited, before anything more is written (its pid may be reused). */
  onExited?: () => void;
}

/** How a session ended. */
export interface ProxyResult {
  exitCode: number;
  reason: "client_closed" | "upstream_exited" | "signal" | "spawn_failed";
  /** Requests answered with an error because the server went away. */
  answeredOnExit: number;
}

const encoder = new TextEncoder();

function stderrNote(message: string): void {
  const bytes = encoder.encode(`thoth: ${message}\n`);
  let offset = 0;
  while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
}

/** Runs one governed session to its end. Never throws for upstream or client failures. */
export async function runProxy(options: ProxyOptions): Promise<ProxyResult> {
  const note = options.note ?? stderrNote;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  const clientIn = options.clientIn ?? Deno.stdin.readable;
  const toClient = new StreamWriter(
    options.clientOut ?? Deno.stdout,
    (error) => note(`cannot write to the client (${errorText(error)}); it may have gone away`),
  );

  if (options.refusal !== undefined) {
    const { error, wire } = options.refusal;
    return await refuseClient(error, wire, clientIn, toClient, note, maxLineBytes);
  }
  let child: Deno.ChildProcess;
  try {
    if (options.upstreamError !== undefined) throw options.upstreamError;
    child = spawnUpstream({ command: options.command, args: options.args, cwd: options.cwd });
    options.onSpawned?.(child.pid);
  } catch (error) {
    const code = error instanceof AppError ? error.code : "";
    const name = commandName(options.command);
    const wire = code === "upstream.not_found"
      ? `thoth could not start the MCP server: command "${name}" was not found`
      : code === "upstream.not_executable"
      ? `thoth could not start the MCP server: command "${name}" is not executable`
      : `thoth could not start the MCP server "${name}"`;
    return await refuseClient(
      error,
      `${wire} (see thoth's stderr)`,
      clientIn,
      toClient,
      note,
      maxLineBytes,
    );
  }

  let upstreamExited = false;
  const toServer = new StreamWriter(child.stdin, (error) => {
    if (!upstreamExited) note(`cannot write to the MCP server (${errorText(error)})`);
  });
  const session = new RelaySession(
    {
      toServer: (bytes) => toServer.write(bytes),
      toClient: (bytes) => toClient.write(bytes),
      note,
    },
    {
      server: options.server,
      enforcer: options.enforcer ?? allowAllEnforcer,
      newDecisionId,
      maxLineBytes,
      nonce: newDecisionId().slice(2, 10),
      ...(options.approver ? { approver: options.approver } : {}),
      ...(options.events ? { events: options.events } : {}),
    },
  );

  const serverPump = pumpLines(
    child.stdout,
    maxLineBytes,
    {
      line: (line) => guarded(note, () => session.fromServer(line)),
      lineParts: (parts) => guarded(note, () => session.fromServerParts(parts)),
      oversize: (info) => guarded(note, () => session.fromServerOversize(info)),
    },
    toClient,
    [toClient, toServer],
    LARGE_LINE_BYTES,
  );
  const clientPump = pumpLines(
    clientIn,
    maxLineBytes,
    {
      line: (line) => guarded(note, () => session.fromClient(line)),
      lineParts: (parts) => guarded(note, () => session.fromClientParts(parts)),
      oversize: (info) => guarded(note, () => session.fromClientOversize(info)),
    },
    toServer,
    [toServer, toClient],
    LARGE_LINE_BYTES,
  );

  let reason: ProxyResult["reason"] = "upstream_exited";
  let caughtSignal: Deno.Signal | undefined;
  let stopping = false;
  const status = child.status;
  const stop = async (why: "client_closed" | "signal") => {
    if (stopping) return;
    stopping = true;
    reason = why;
    void toServer.close();
    if (why === "signal") {
      safeKill(child, "SIGTERM");
    } else if (await settlesWithin(status, grace)) {
      return;
    } else {
      note(`the MCP server did not exit ${grace} ms after its input closed; sending SIGTERM`);
      safeKill(child, "SIGTERM");
    }
    if (await settlesWithin(status, grace)) return;
    note(`the MCP server did not exit ${grace} ms after SIGTERM; sending SIGKILL`);
    safeKill(child, "SIGKILL");
  };
  void clientPump.done.then(() => {
    if (!upstreamExited) void stop("client_closed");
  });

  const onSignal = (signal: Deno.Signal) => {
    caughtSignal = signal;
    note(`received ${signal}; stopping the MCP server`);
    void stop("signal");
  };
  const removeSignals = options.handleSignals ? installSignalHandlers(onSignal) : () => {};
  const onStop = () => onSignal(stopReason(options.stop?.reason));
  if (options.stop?.aborted) onStop();
  options.stop?.addEventListener("abort", onStop, { once: true });

  const exit = await status;
  upstreamExited = true;
  options.onExited?.();
  await settlesWithin(serverPump.done, 500);
  const exitText = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  const answeredOnExit = session.upstreamGone(
    `The MCP server exited (${exitText}) before answering this request`,
  );
  if (!stopping) {
    note(
      `the MCP server exited with ${exitText}` +
        (answeredOnExit > 0 ? `; answered ${answeredOnExit} pending request(s) with an error` : ""),
    );
  } else if (answeredOnExit > 0) {
    note(`answered ${answeredOnExit} pending request(s) with an error at shutdown`);
  }
  removeSignals();
  options.stop?.removeEventListener("abort", onStop);
  serverPump.cancel();
  clientPump.cancel();
  await settlesWithin(toClient.close(), grace);
  const exitCode = caughtSignal !== undefined ? signalExitCode(caughtSignal) : exit.code;
  return { exitCode, reason, answeredOnExit };
}

/**
 * The server could not be started, or may not be governed: answer the
 * client's first request (its `initialize`) with `wire` as the error, then end.
 */
async function refuseClient(
  error: unknown,
  wire: string,
  clientIn: ReadableStream<Uint8Array>,
  toClient: StreamWriter,
  note: (message: string) => void,
  maxLineBytes: number,
): Promise<ProxyResult> {
  const appError = error instanceof AppError ? error : undefined;
  note(`error: ${appError?.message ?? errorText(error)}`);
  for (const hint of appError?.hints ?? []) note(`hint: ${hint}`);
  let answered = false;
  const pump = pumpLines(
    clientIn,
    maxLineBytes,
    {
      line: (line) => {
        if (answered) return;
        let value: unknown;
        try {
          value = JSON.parse(new TextDecoder().decode(line));
        } catch {
          return;
        }
        const message = classifyMessage(value);
        if (message.kind === "request") {
          toClient.write(
            errorResponse(message.id, RPC_SERVER_ERROR, wire),
          );
          answered = true;
        }
      },
      oversize: () => {},
    },
    toClient,
    [],
    Infinity,
    () => answered,
  );
  await pump.done;
  pump.cancel();
  await toClient.close();
  return { exitCode: appError?.exitCode ?? 1, reason: "spawn_failed", answeredOnExit: 0 };
}

interface Pump {
  done: Promise<void>;
  cancel(): void;
}

function pumpLines(
  stream: ReadableStream<Uint8Array>,
  maxLineBytes: number,
  sink: LineSink,
  backpressure: StreamWriter,
  coalesce: readonly StreamWriter[],
  partsFrom = Infinity,
  until: () => boolean = () => false,
): Pump {
  const reader = new ChunkReader(stream);
  const decoder = new LineDecoder(maxLineBytes, sink, partsFrom);
  let cancelled = false;
  const done = (async () => {
    try {
      while (!until()) {
        const value = await reader.read();
        if (value === undefined) break;
        for (const writer of coalesce) writer.cork();
        try {
          decoder.push(value);
        } finally {
          for (const writer of coalesce) writer.uncork();
        }
        await backpressure.ready();
      }
    } catch {
      // A read error ends this direction like an EOF.
    }
    if (!cancelled) decoder.end();
  })();
  return {
    done,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      reader.cancel();
    },
  };
}

/** Bytes asked for per read: the size of a pipe's buffer on Linux. */
const READ_BYTES = 64 * 1024;

/**
 * Reads a byte stream into one reused buffer and hands out each chunk in an
 * array of its own size. A runtime byte stream otherwise allocates a fresh
 * 64 KiB buffer for every read, most of it empty when messages are small:
 * under load that garbage was a tenth of thoth's memory. A read that fills
 * most of the buffer hands the buffer over instead of copying it. Streams
 * that are not byte streams are read as they are.
 */
class ChunkReader {
  readonly #byob: ReadableStreamBYOBReader | undefined;
  readonly #plain: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #buffer: Uint8Array | undefined;

  constructor(stream: ReadableStream<Uint8Array>) {
    try {
      this.#byob = stream.getReader({ mode: "byob" });
    } catch {
      this.#plain = stream.getReader();
    }
  }

  /** The next chunk, or undefined at the end of the stream. */
  async read(): Promise<Uint8Array | undefined> {
    if (this.#byob === undefined) {
      const { value, done } = await this.#plain!.read();
      return done ? undefined : value;
    }
    const { value, done } = await this.#byob.read(this.#buffer ?? new Uint8Array(READ_BYTES));
    if (done || value === undefined) return undefined;
    if (value.length > READ_BYTES / 2) {
      this.#buffer = undefined;
      return value;
    }
    this.#buffer = new Uint8Array(value.buffer);
    return value.slice();
  }

  cancel(): void {
    (this.#byob ?? this.#plain)!.cancel().catch(() => {});
  }
}

function guarded(note: (message: string) => void, work: () => void): void {
  try {
    work();
  } catch (error) {
    note(`internal error while relaying a message (dropped): ${errorText(error)}`);
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function safeKill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = { SIGINT: 2, SIGTERM: 15 };

function stopReason(reason: unknown): Deno.Signal {
  return reason === "SIGINT" ? "SIGINT" : "SIGTERM";
}

function signalExitCode(signal: Deno.Signal): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 1);
}

function installSignalHandlers(onSignal: (signal: Deno.Signal) => void): () => void {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const handlers = signals.map((signal) => {
    const handler = () => onSignal(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
