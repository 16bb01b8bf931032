/**
 * What `runProxy()` (`run_proxy.ts`) is given, how the session it runs
 * ended, and the client side it relays for (`relay_until_exit.ts`). Pure
 * data.
 *
 * @example
 * ```ts
 * const options: ProxyOptions = { command: "node", args: ["server.js"], server: "demo" };
 * ```
 */
import type { Enforcer } from "../enforcer/enforcer.ts";
import type { AppError } from "../errors.ts";
import type { Approver, RelayEvents } from "./relay_session.ts";
import type { StreamWriter, SyncSink } from "./stream_writer.ts";
import type { CoreFaults } from "./core_faults.ts";

/** Options of `runProxy()` (`run_proxy.ts`). */
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
  /** Install handlers for the stop signals (see `stop_signals.ts`); tests usually do not. */
  handleSignals?: boolean;
  /**
   * Stops the session as a signal would; the abort reason names the signal
   * ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"). Used when signals arrive in
   * another thread.
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
  /**
   * Told once the server's spawn was tried, whatever came of it (also when
   * there was none to try), before `onSpawned` and before any refusal is
   * answered: the sandboxed core gives up running programs here. Must not throw.
   */
  spawnTried?: () => void;
  /** Told the server's process id once it runs (the sandbox's watchdog needs it). */
  onSpawned?: (pid: number) => void;
  /** Told once the server has exited, before anything more is written (its pid may be reused). */
  onExited?: () => void;
  /**
   * After the client closes its input, how long tool calls still waiting for
   * their decision or a person's approval may take before the server's input
   * is closed, in milliseconds (the approval timeout and a grace); default
   * `DEFAULT_SETTLE_MS` (`proxy_defaults.ts`).
   */
  settleMs?: number;
  /**
   * How long a decision the enforcer gives later may take before the call
   * is blocked, in milliseconds (see `RelaySessionOptions.decisionDeadlineMs`).
   */
  decisionDeadlineMs?: number;
  /**
   * Sends a signal to the server's process group where this thread may not
   * (the sandboxed core asks its host); returns whether it was sent or will
   * be (`alone` signals the server alone, for a signal the host turns out not
   * to send). Default: this thread signals the group itself, else the server
   * alone.
   */
  signalGroup?: (signal: "SIGTERM" | "SIGKILL", alone: () => void) => boolean;
  /**
   * Where faults that escape the core go (the sandboxed worker's global
   * listeners): while the session relays, it takes the first one, answers
   * every pending request with an error, forwards nothing more, stops the
   * server and ends with exit code 1 (see `core_faults.ts`).
   */
  faults?: CoreFaults;
}

/** How a session ended. */
export interface ProxyResult {
  exitCode: number;
  reason: "client_closed" | "upstream_exited" | "signal" | "spawn_failed" | "core_failed";
  /** Requests answered with an error because the server went away. */
  answeredOnExit: number;
}

/** The client side of a session, and what stops it. */
export interface SessionIo {
  clientIn: ReadableStream<Uint8Array>;
  toClient: StreamWriter;
  note: (message: string) => void;
  maxLineBytes: number;
  /** Aborted with the name of the stop signal that arrived. */
  stop: AbortSignal;
  /** Told when a write to the client fails (see {@linkcode ClientBroke}). */
  clientBroke: ClientBroke;
}

/**
 * Where a failed write to the client is taken: `take`, while set, deals
 * with it (says so, and ends the session) and returns true; otherwise the
 * writer notes the failure itself.
 */
export interface ClientBroke {
  take?: (error: unknown) => boolean;
}
