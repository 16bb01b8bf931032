/**
 * The proxy core as a Worker: started by {@linkcode startSandboxedProxy} with
 * permissions narrowed to one session's needs, it runs {@linkcode runProxy}
 * on this process's stdin and stdout and reports the exit code.
 *
 * Messages in: `{ type: "start", start: WorkerStart }`, `{ type: "stop", signal }`.
 * Messages out: `{ type: "spawned", pid }`, `{ type: "exited" }`, `{ type: "done", exitCode }`,
 * `{ type: "failed", message }`.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL("./proxy_worker.ts", import.meta.url), { type: "module" });
 * ```
 */
import { AppError } from "../errors.ts";
import { runProxy } from "./run_proxy.ts";
import { cannotGovernText } from "../protocol/responses.ts";
import { buildSessionEnforcer, type EnforcerConfig } from "../enforcer/build_session_enforcer.ts";

/** Everything the core needs, resolved by the unsandboxed side. */
export interface WorkerStart {
  command: string;
  args: string[];
  server: string;
  maxLineBytes: number;
  graceMs: number;
  /** A spawn failure found while resolving the command, as plain data. */
  upstreamError?: { code: string; message: string; hints: string[]; exitCode: number };
  enforcer: EnforcerConfig;
  /** Names (never values) of the environment variables the server inherits, for the audit. */
  envKeys: string[];
}

/** Messages the worker accepts. */
export type WorkerInbound =
  | { type: "start"; start: WorkerStart }
  | { type: "stop"; signal: "SIGINT" | "SIGTERM" };

/**
 * Messages the worker sends; `spawned` and `exited` tell the watchdog which
 * process is the server's, and when that pid stops being its.
 */
export type WorkerOutbound =
  | { type: "spawned"; pid: number }
  | { type: "exited" }
  | { type: "done"; exitCode: number }
  | { type: "failed"; message: string };

/** Runs one session from a start message; exported so tests can wrap it in their own worker. */
export async function runWorkerSession(
  start: WorkerStart,
  stop: AbortSignal,
  server?: { spawned(pid: number): void; exited(): void },
): Promise<number> {
  const note = (message: string) => {
    const bytes = new TextEncoder().encode(`thoth: ${message}\n`);
    let offset = 0;
    while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
  };
  let built;
  try {
    built = await buildSessionEnforcer(start.enforcer, start.server, note);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Fail closed, and say so to the client instead of leaving it with a dead pipe.
    const refused = await runProxy({
      command: start.command,
      args: start.args,
      server: start.server,
      note,
      refusal: { error, wire: cannotGovernText(error.code) },
    });
    return refused.exitCode;
  }
  await built.audit?.start(start.command, start.args, start.envKeys);
  const upstreamError = start.upstreamError === undefined ? undefined : new AppError(
    start.upstreamError.code as `upstream.${string}`,
    start.upstreamError.message,
    { hints: start.upstreamError.hints, exitCode: start.upstreamError.exitCode },
  );
  const result = await runProxy({
    command: start.command,
    args: start.args,
    server: start.server,
    maxLineBytes: start.maxLineBytes,
    graceMs: start.graceMs,
    stop,
    note,
    enforcer: built.enforcer,
    ...(built.events === undefined ? {} : { events: built.events }),
    ...(built.approver === undefined ? {} : { approver: built.approver }),
    ...(upstreamError === undefined ? {} : { upstreamError }),
    ...(server === undefined ? {} : { onSpawned: server.spawned, onExited: server.exited }),
  });
  built.endSession?.();
  const signal = stop.aborted ? String(stop.reason) : null;
  await built.audit?.end(signal === null ? result.exitCode : null, signal);
  return result.exitCode;
}

/** Wires the message protocol to {@linkcode runWorkerSession} in the current worker scope. */
export function serveProxyWorker(scope: {
  onmessage: ((event: MessageEvent<WorkerInbound>) => void) | null;
  postMessage(message: WorkerOutbound): void;
}): void {
  const stop = new AbortController();
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.type === "stop") {
      stop.abort(message.signal);
      return;
    }
    const server = {
      spawned: (pid: number) => scope.postMessage({ type: "spawned", pid }),
      exited: () => scope.postMessage({ type: "exited" }),
    };
    runWorkerSession(message.start, stop.signal, server).then(
      (exitCode) => scope.postMessage({ type: "done", exitCode }),
      (error) => {
        const text = error instanceof AppError
          ? [`error: ${error.message}`, ...error.hints.map((h) => `hint: ${h}`)].join("\n")
          : `error: internal error in the proxy core: ${
            error instanceof Error ? error.message : String(error)
          }`;
        scope.postMessage({ type: "failed", message: text });
      },
    );
  };
}

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  serveProxyWorker(globalThis as unknown as Parameters<typeof serveProxyWorker>[0]);
}
