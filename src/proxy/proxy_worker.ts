/**
 * The proxy core as a Worker: started by {@linkcode startSandboxedProxy} with
 * permissions narrowed to one session's needs, it runs {@linkcode runProxy}
 * on this process's stdin and stdout and reports the exit code.
 *
 * Messages in: `{ type: "start", start: WorkerStart }`, `{ type: "stop", signal }`,
 * `{ type: "dialog-shown", id, shown }`, `{ type: "keys-read", id, … }`,
 * `{ type: "server-checked", signals }` (whether the host will signal the
 * server the core named; until it says so, and when it will not, the core
 * signals its server itself).
 * Messages out: `{ type: "spawned", pid }`, `{ type: "exited" }`, `{ type: "done", exitCode }`,
 * `{ type: "failed", message }`, `{ type: "dialog", id, request }`, `{ type: "dialog-cancel", id }`,
 * `{ type: "signal", signal }` (signal the server's process group: the core may not),
 * `{ type: "keys", id, op }` (the audit keys: the core may not read them).
 *
 * Once the spawn of the server was tried, whatever came of it, and before
 * any refusal is answered, the core gives up its permission to run programs:
 * from then on, whatever its input, it cannot start anything, not even the
 * server's own command with other arguments (`deno eval …`, `npx …`). An
 * approval dialog is shown by the unsandboxed thread, asked by message with
 * the question as data; the audit keys come the same way.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL("./proxy_worker.ts", import.meta.url), { type: "module" });
 * ```
 */
import { HostSignals } from "./host_signals.ts";
import { AppError } from "../errors.ts";
import { runProxy } from "./run_proxy.ts";
import { type StopSignal, stopSignalOf } from "./stop_signals.ts";
import { ClientInputWatch } from "./client_input_watch.ts";
import { endStoppedWait } from "./stopped_lock_wait.ts";
import { LOCK_WAIT_ENDED } from "../audit/take_audit_lock.ts";
import { cannotGovernText } from "../protocol/responses.ts";
import { buildSessionEnforcer, type EnforcerConfig } from "../enforcer/build_session_enforcer.ts";
import type { DialogRequest, DialogRunner, DialogShown } from "../approval/dialog_runner.ts";
import { useDeviceKeySource } from "../audit/device_keys.ts";
import { type KeyReply, type KeyRequest, keySourceOverMessages } from "./device_key_messages.ts";
import type { SessionIdentity } from "../audit/record.ts";
import { CoreFaults } from "./core_faults.ts";

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
  /**
   * Who and where the session runs, resolved by the unsandboxed side (the
   * core may not read the environment), for the `session_start` record.
   */
  identity?: SessionIdentity;
  /** Whether a fault that escapes the core is told with its stack (`thoth --verbose`). */
  verbose?: boolean;
}

/** Messages the worker accepts. */
export type WorkerInbound =
  | { type: "start"; start: WorkerStart }
  | { type: "stop"; signal: StopSignal }
  | { type: "dialog-shown"; id: number; shown: DialogShown }
  | { type: "server-checked"; signals: boolean }
  | KeyReply;

/**
 * Messages the worker sends; `spawned` and `exited` tell the watchdog which
 * process is the server's, and when that pid stops being its.
 */
export type WorkerOutbound =
  | { type: "spawned"; pid: number }
  | { type: "exited" }
  | { type: "done"; exitCode: number }
  | { type: "failed"; message: string }
  | { type: "dialog"; id: number; request: DialogRequest }
  | { type: "dialog-cancel"; id: number }
  | { type: "signal"; signal: "SIGTERM" | "SIGKILL" }
  | KeyRequest;

/** How the core reaches the thread that started it. */
export interface SessionHost {
  spawned(pid: number): void;
  exited(): void;
  /** Shows an approval dialog outside the sandbox. */
  showDialog?: DialogRunner;
  /**
   * Give up the permission to run programs as soon as the server's spawn was
   * tried, whatever came of it, and before any refusal is answered (the
   * sandboxed worker does).
   */
  giveUpRun?: boolean;
  /**
   * Signals the server's process group: the core, without the permission to
   * run programs, may signal only the server itself. Returns whether the host
   * will (it vouched for the server's pid, or has not answered yet: see
   * `host_signals.ts`, which calls `alone` when it turns out not to); when
   * not, the core signals its server itself.
   */
  signalGroup?: (signal: "SIGTERM" | "SIGKILL", alone: () => void) => boolean;
  /**
   * Where faults that escape the core go (the worker's global listeners):
   * the relaying session takes the first (see `core_faults.ts`).
   */
  faults?: CoreFaults;
}

/** Runs one session from a start message; exported so tests can wrap it in their own worker. */
export async function runWorkerSession(
  start: WorkerStart,
  stop: AbortSignal,
  server?: SessionHost,
): Promise<number> {
  const note = (message: string) => {
    const bytes = new TextEncoder().encode(`thoth: ${message}\n`);
    let offset = 0;
    while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
  };
  // Never throws: a refusal must still be answered.
  const dropRun = () => {
    if (server?.giveUpRun && !lockRun()) {
      note("warning: could not give up the permission to run programs");
    }
  };
  // Read from the start: a client that closes its input while the session's start waits for
  // the audit log's lock ends that wait, as a stop signal does (see `client_input_watch.ts`).
  const input = new ClientInputWatch(Deno.stdin.readable);
  let built;
  try {
    built = await buildSessionEnforcer(
      start.enforcer,
      start.server,
      note,
      server?.showDialog,
      { stop, inputClosed: input.ended },
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    dropRun();
    if (error.code === LOCK_WAIT_ENDED) {
      const read = input.read();
      await input.cancel();
      return endStoppedWait({
        error,
        signal: stop.aborted ? stopSignalOf(stop.reason) : undefined,
        read,
        note,
      });
    }
    // Fail closed, and say so to the client instead of leaving it with a dead pipe.
    const refused = await runProxy({
      command: start.command,
      args: start.args,
      server: start.server,
      clientIn: input.stream(),
      note,
      stop,
      refusal: { error, wire: cannotGovernText(error.code) },
    });
    return refused.exitCode;
  }
  await built.audit?.start(start.command, start.args, start.envKeys, start.identity);
  const upstreamError = start.upstreamError === undefined ? undefined : new AppError(
    start.upstreamError.code as `upstream.${string}`,
    start.upstreamError.message,
    { hints: start.upstreamError.hints, exitCode: start.upstreamError.exitCode },
  );
  const result = await runProxy({
    command: start.command,
    args: start.args,
    server: start.server,
    clientIn: input.stream(),
    maxLineBytes: start.maxLineBytes,
    graceMs: start.graceMs,
    // Calls still being decided when the client closes its input may wait out a person.
    settleMs: (start.enforcer.kind === "local" ? start.enforcer.approvalTimeoutMs : 0) +
      start.graceMs,
    stop,
    note,
    enforcer: built.enforcer,
    ...(built.events === undefined ? {} : { events: built.events }),
    ...(built.approver === undefined ? {} : { approver: built.approver }),
    ...(upstreamError === undefined ? {} : { upstreamError }),
    ...(server?.faults === undefined ? {} : { faults: server.faults }),
    ...(server === undefined ? {} : {
      spawnTried: dropRun,
      onSpawned: (pid: number) => server.spawned(pid),
      onExited: server.exited,
      ...(server.signalGroup === undefined ? {} : {
        signalGroup: (signal: "SIGTERM" | "SIGKILL", alone: () => void) =>
          server.signalGroup!(signal, alone),
      }),
    }),
  });
  built.endSession?.();
  // Counts taken back for calls that did not happen are written before the session ends.
  await built.countsSettled?.();
  const signal = stop.aborted ? String(stop.reason) : null;
  await built.audit?.end(signal === null ? result.exitCode : null, signal);
  return result.exitCode;
}

/**
 * Revokes this isolate's permission to run programs. A worker's permissions
 * are its own: the thread that started it keeps its own.
 */
function lockRun(): boolean {
  try {
    Deno.permissions.revokeSync({ name: "run" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Wires the message protocol to {@linkcode runWorkerSession} in the current
 * worker scope, and its uncaught errors and unhandled rejections to the
 * session (see `core_faults.ts`): the first, while the session relays, is
 * answered to the client and ends the session with exit code 1; any other
 * fails the worker, which its host reports.
 */
export function serveProxyWorker(scope: {
  onmessage: ((event: MessageEvent<WorkerInbound>) => void) | null;
  postMessage(message: WorkerOutbound): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: "unhandledrejection",
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
}): void {
  const faults = new CoreFaults();
  scope.addEventListener("error", (event) => {
    if (faults.take(event.error ?? event.message)) event.preventDefault();
  });
  scope.addEventListener("unhandledrejection", (event) => {
    if (faults.take(event.reason)) event.preventDefault();
  });
  const stop = new AbortController();
  const dialogs = new Map<number, (shown: DialogShown) => void>();
  const keys = keySourceOverMessages((request) => scope.postMessage(request));
  let dialogIds = 0;
  /** Whether the host vouched for the server's pid and will signal it, once it has said. */
  const hostSignals = new HostSignals((signal) => scope.postMessage({ type: "signal", signal }));
  const showDialog: DialogRunner = (request, signal) =>
    new Promise((resolve) => {
      const id = ++dialogIds;
      const cancel = () => scope.postMessage({ type: "dialog-cancel", id });
      dialogs.set(id, (shown) => {
        signal.removeEventListener("abort", cancel);
        resolve(shown);
      });
      signal.addEventListener("abort", cancel, { once: true });
      scope.postMessage({ type: "dialog", id, request });
    });
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.type === "stop") {
      stop.abort(message.signal);
      return;
    }
    if (message.type === "dialog-shown") {
      const settle = dialogs.get(message.id);
      dialogs.delete(message.id);
      settle?.(message.shown);
      return;
    }
    if (message.type === "server-checked") {
      hostSignals.checked(message.signals === true);
      return;
    }
    if (message.type === "keys-read") {
      keys.settle(message);
      return;
    }
    const server: SessionHost = {
      spawned: (pid: number) => scope.postMessage({ type: "spawned", pid }),
      exited: () => scope.postMessage({ type: "exited" }),
      signalGroup: (signal, alone) => hostSignals.signal(signal, alone),
      showDialog,
      giveUpRun: true,
      faults,
    };
    faults.verbose = message.start.verbose === true;
    // The core may not read the profile's keys: the thread that started it hands them over.
    const enforcer = message.start.enforcer;
    if (enforcer.kind === "local") useDeviceKeySource(enforcer.thothHome, keys.source);
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
