/**
 * `runProxy()`: one governed stdio session. Starts the upstream server, relays
 * both directions through a {@linkcode RelaySession}, and owns the lifecycle.
 * Client EOF first lets the tool calls still being decided (or waiting for a
 * person) settle, bounded, then closes the server's stdin, then sends SIGTERM,
 * then SIGKILL; a stop signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) sends SIGTERM
 * at once. Signals reach the server's whole process group. The client's EOF
 * is seen even while a write to a server that stopped reading waits; if that
 * write is still waiting a grace after, the writes are given up and SIGTERM
 * follows: each request in a write never started is answered with an error,
 * while those of the write in progress (part of it may be in the pipe) wait
 * for the server's answer or its exit. The client's input is read no further
 * while more than {@linkcode HELD_BYTES} of it is held for the server (calls
 * being decided, writes not taken): a flood costs bounded memory. A server
 * that closes its output but runs on is stopped the same way, every request
 * to it answered at once. A server exit answers every pending request (and each request the
 * client had already sent, read for a moment more) and returns the server's
 * exit code; a tool call thoth still held (being decided, or waiting for a
 * person) never reached the server and is told so, with why (see
 * `exit_answer_texts.ts`). A client whose output breaks (a write to it
 * fails: it closed its end) is taken as gone: its input is read no further
 * and nothing more of it is relayed, not even a call still being decided,
 * and the session ends as at its EOF. A decision the enforcer gives later
 * has a deadline: past it the call is blocked (see `decision_deadlines.ts`).
 * Nothing meant for the server is lost unseen: a request it can no longer be
 * sent is noted and answered with an error.
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
import { type LineRequests, UndeliveredLines } from "../protocol/line_requests.ts";
import { errorResponse, RPC_SERVER_ERROR } from "../protocol/responses.ts";
import { newIdNonce } from "../protocol/own_ids.ts";
import {
  type Approver,
  LARGE_LINE_BYTES,
  type RelayEvents,
  RelaySession,
} from "./relay_session.ts";
import { DecisionTracker } from "./decision_tracker.ts";
import { HELD_BYTES, pumpLines } from "./pump_lines.ts";
import { ByteBudget } from "./byte_budget.ts";
import { refuseClient } from "./refuse_client.ts";
import { listenForStop, signalExitCode, type StopSignal, stopSignalOf } from "./stop_signals.ts";
import { StreamWriter, type SyncSink } from "./stream_writer.ts";
import { signalGroup, spawnFailureText, spawnUpstream } from "./upstream_spawn.ts";

import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES, DEFAULT_SETTLE_MS } from "./proxy_defaults.ts";
import { exitAnswerTexts, OUTPUT_CLOSED_TEXT } from "./exit_answer_texts.ts";
import { CORE_FAILED_HELD, CORE_FAILED_SENT, type CoreFaults } from "./core_faults.ts";
import { CoreFaultAnswers } from "./core_fault_answers.ts";
import type { LineSink } from "../protocol/line_decoder.ts";

export { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES, DEFAULT_SETTLE_MS };

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
   * {@linkcode DEFAULT_SETTLE_MS}.
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

const encoder = new TextEncoder();

function stderrNote(message: string): void {
  const bytes = encoder.encode(`thoth: ${message}\n`);
  let offset = 0;
  while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
}

/** A wait for calls still being decided at the client's EOF that goes without a note. */
const QUIET_SETTLE_MS = 1000;

/** How long a server whose output ended has to exit before it is taken as running on. */
const OUTPUT_END_WAIT_MS = 200;

/** How long the client's input is still read after the server exited (requests already sent). */
const DRAIN_MS = 200;

/** Runs one governed session to its end. Never throws for upstream or client failures. */
export async function runProxy(options: ProxyOptions): Promise<ProxyResult> {
  const note = options.note ?? stderrNote;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const clientIn = options.clientIn ?? Deno.stdin.readable;
  let droppedForClient = false;
  const clientBroke: ClientBroke = {};
  const toClient = new StreamWriter(
    options.clientOut ?? Deno.stdout,
    (error) => {
      if (clientBroke.take?.(error) === true) return;
      note(`cannot write to the client (${errorText(error)}); it may have gone away`);
    },
    (_bytes, why) => {
      // After a failure the note above has said it; after thoth closed the output, say it once.
      if (why === "closed" && !droppedForClient) {
        droppedForClient = true;
        note("dropped a message for the client: thoth had already closed its output");
      }
    },
  );
  const stop = stopSource(options);
  try {
    const io = { clientIn, toClient, note, maxLineBytes, stop: stop.signal, clientBroke };
    if (options.refusal !== undefined) {
      options.spawnTried?.();
      return { ...await refuseClient(options.refusal, io), answeredOnExit: 0 };
    }
    let child: Deno.ChildProcess;
    try {
      try {
        if (options.upstreamError !== undefined) throw options.upstreamError;
        child = spawnUpstream({ command: options.command, args: options.args, cwd: options.cwd });
      } finally {
        options.spawnTried?.();
      }
      options.onSpawned?.(child.pid);
    } catch (error) {
      const wire = spawnFailureText(error instanceof AppError ? error.code : "", options.command);
      return { ...await refuseClient({ error, wire }, io), answeredOnExit: 0 };
    }
    return await relay(child, options, io);
  } finally {
    stop.dispose();
  }
}

/** The client side of a session, and what stops it. */
interface SessionIo {
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
interface ClientBroke {
  take?: (error: unknown) => boolean;
}

/** Relays between the client and the running server until the server exits. */
async function relay(
  child: Deno.ChildProcess,
  options: ProxyOptions,
  io: SessionIo,
): Promise<ProxyResult> {
  const { note, maxLineBytes, toClient, stop } = io;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  let upstreamExited = false;
  /** A fault escaped the core (see `faults`): nothing more goes to the server. */
  let coreFailed = false;
  let undelivered = new UndeliveredLines();
  /** Set while thoth gives up writes whose requests the session answers itself. */
  let dropsAnswered = false;
  /**
   * Set once the server can take no more requests (it closed its output, or
   * exited): each request written after that is answered with this at once.
   */
  let lost: { cause: string; text: string } | undefined;
  /** A write to the server failed (not given up by thoth): its input is gone, maybe with it. */
  let writeBroke = false;
  /**
   * Whether the server exited soon after a write to it failed. A server that
   * exits at once breaks the pipe before its exit is seen: its exit, not the
   * broken pipe, is what answers the requests it never got.
   */
  let exitAfterBreak: Promise<boolean> | undefined;
  /**
   * The client's bytes held for the server: calls still being decided, and
   * writes it has not taken. The client's input is read no further while
   * more than {@linkcode HELD_BYTES} is held.
   */
  const heldForServer = new ByteBudget(HELD_BYTES);
  const toServer = new StreamWriter(
    child.stdin,
    (error) => {
      if (upstreamExited) return;
      writeBroke = true;
      // A server that exits at once breaks the pipe before its exit is seen: wait as
      // `notDelivered` does, and say the pipe broke only of a server still running.
      exitAfterBreak ??= settlesWithin(child.status, Math.min(grace, OUTPUT_END_WAIT_MS));
      void exitAfterBreak.then((exited) => {
        if (exited || upstreamExited) return;
        note(
          `cannot write to the MCP server (${errorText(error)}); it no longer reads its input, ` +
            "so each request from now on is answered with an error",
        );
      });
    },
    (bytes, why) => {
      if (dropsAnswered) return;
      for (const line of undelivered.push(bytes)) notDelivered(line, why);
    },
    heldForServer,
  );
  /**
   * Stops writing to the server: what it has not taken is dropped, unseen by
   * `notDelivered` (the session's `upstreamGone` answers its requests), and
   * its input closes (once a write in progress ends).
   */
  const dropServerInput = (why: string) => {
    dropsAnswered = true;
    try {
      toServer.abandon(new Error(why));
    } finally {
      dropsAnswered = false;
    }
    undelivered = new UndeliveredLines();
  };
  const tracker = new DecisionTracker();
  const session = new RelaySession(
    {
      toServer: (bytes) => {
        if (!coreFailed) toServer.write(bytes);
      },
      toClient: (bytes) => toClient.write(bytes),
      note,
    },
    {
      server: options.server,
      // Its later decisions are counted as the session holds them (`holding`), until they
      // come or their deadline passes: one that never comes must not hold the shutdown.
      enforcer: options.enforcer ?? allowAllEnforcer,
      ...(options.decisionDeadlineMs === undefined
        ? {}
        : { decisionDeadlineMs: options.decisionDeadlineMs }),
      newDecisionId,
      maxLineBytes,
      // The ids of thoth's own requests: the server's nonce is its own, and tells nothing of this one.
      nonce: newIdNonce(),
      ...(options.approver ? { approver: tracker.approver(options.approver) } : {}),
      ...(options.events ? { events: options.events } : {}),
      // A call held while thoth lists the server's tools is still being decided.
      holding: (wait) => tracker.wait(wait),
      heldBytes: heldForServer,
    },
  );

  /**
   * A line meant for the server that did not reach it: noted, and each request
   * in it answered with an error, given to the session as the server's answer
   * would be (the session then forgets the request and records its outcome).
   * Once the server has exited, its exit answers them instead.
   */
  const notDelivered = (line: LineRequests, why: "failed" | "closed") => {
    const gone = lost;
    if (upstreamExited && gone === undefined) return;
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
      if (upstreamExited && gone === undefined) return;
      for (const answer of answers) guarded(note, () => session.fromServer(answer));
    };
    // Later, never from inside the session's own call that tried to send it.
    if (gone !== undefined || why === "closed" || !writeBroke) {
      tell();
      queueMicrotask(answer);
      return;
    }
    // After a broken pipe, once the server has had a moment to exit: a server that exited
    // is not told of as one that stopped reading, and its exit answers instead.
    exitAfterBreak ??= settlesWithin(child.status, Math.min(grace, OUTPUT_END_WAIT_MS));
    void exitAfterBreak.then((exited) => {
      if (exited || upstreamExited) return;
      tell();
      answer();
    });
  };

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
    // A last line without its newline is relayed as it came: end it, so that what
    // thoth writes next (answers for the requests left) is a line of its own.
    { partsFrom: LARGE_LINE_BYTES, ended: () => toClient.endLine() },
  );
  /**
   * A write to the client failed: it reads thoth's output no more, so nothing
   * it sends from then on is relayed (its answers could not reach it) and its
   * input is read no further, which ends the session as its EOF does.
   */
  let clientGone = false;
  /** Lines from the client not relayed because it had stopped reading. */
  let ignoredFromClient = 0;
  const fromClient = (work: () => void) => {
    if (clientGone) ignoredFromClient++;
    else guarded(note, work);
  };
  /** Where the client's lines go; after a core fault, to `afterFault` instead. */
  const clientSink: LineSink = {
    line: (line) => fromClient(() => session.fromClient(line)),
    lineParts: (parts) => fromClient(() => session.fromClientParts(parts)),
    oversize: (info) => fromClient(() => session.fromClientOversize(info)),
  };
  const clientPump = pumpLines(
    io.clientIn,
    maxLineBytes,
    clientSink,
    toServer,
    [toServer, toClient],
    {
      partsFrom: LARGE_LINE_BYTES,
      held: heldForServer,
      until: () => clientGone,
      stalled: (ms) => {
        if (closing || outputEnded || upstreamExited || caught !== undefined) return;
        note(
          `the MCP server has not read its input for ${Math.round(ms / 1000)} s; ` +
            "requests wait until it does",
        );
      },
    },
  );

  const status = child.status;
  /** Aborted by a stop signal or the server's exit: every wait below ends with it. */
  const ending = new AbortController();
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  let reason: ProxyResult["reason"] = "upstream_exited";
  let caught: StopSignal | undefined;
  let closing = false;
  /** The server closed its output while still running (see `serverOutputEnded`). */
  let outputEnded = false;
  /** At the client's EOF the server still had not read what it was sent, and was stopped. */
  let stalledAtClose = false;
  let terminating = false;
  const signalServer = (signal: "SIGTERM" | "SIGKILL") => {
    if (upstreamExited) return;
    const grouped = options.signalGroup?.(signal, () => safeKill(child, signal)) ??
      signalGroup(child.pid, signal);
    if (!grouped) safeKill(child, signal);
  };
  const terminate = async () => {
    if (terminating) return;
    terminating = true;
    signalServer("SIGTERM");
    if (await settlesWithin(status, grace)) return;
    note(`the MCP server did not exit ${grace} ms after SIGTERM; sending SIGKILL`);
    signalServer("SIGKILL");
  };
  const clientClosed = async () => {
    if (coreFailed) return;
    // thoth's own requests to the client (approval forms) can get no answer now.
    session.clientInputClosed();
    if (closing || outputEnded || caught !== undefined || upstreamExited) return;
    closing = true;
    reason = "client_closed";
    // Most decisions take a moment (a synced audit record); say so only of a longer wait.
    const quiet = Math.min(settleMs, QUIET_SETTLE_MS);
    let settled = await tracker.settled(quiet, ending.signal);
    if (!settled && !ending.signal.aborted && settleMs > quiet) {
      note(
        `the client closed its input; waiting up to ${settleMs} ms for ${tracker.waiting} ` +
          "tool call(s) still being decided before closing the MCP server's input",
      );
      settled = await tracker.settled(settleMs - quiet, ending.signal);
    }
    if (ending.signal.aborted) return;
    if (!settled) {
      note(
        `tool call(s) still undecided ${settleMs} ms after the client closed its input; ` +
          "closing the MCP server's input anyway",
      );
    }
    void toServer.close();
    if (await settlesWithin(status, grace) || terminating) return;
    const unsent = toServer.unsentBytes;
    if (unsent === 0) {
      note(`the MCP server did not exit ${grace} ms after its input closed; sending SIGTERM`);
    } else {
      // Its input cannot close while a write to it waits: give the writes up (each request in
      // a write never started is answered with an error; the write in progress may still be
      // read, so its requests wait for an answer or the exit), and stop it.
      note(
        `the MCP server has not read its input (${unsent} bytes still waiting) ${grace} ms ` +
          "after the client closed its input; giving them up and sending SIGTERM",
      );
      stalledAtClose = true;
      toServer.abandon(new Error("the MCP server does not read its input"));
    }
    await terminate();
  };
  void clientPump.done.then(clientClosed);
  io.clientBroke.take = (error) => {
    // However the session is ending, no call goes to the server from now on, not even one
    // still being decided: no one would read its result.
    session.clientOutputBroke();
    // Already ending, or the client closed its input first: the writer's own note says it.
    if (closing || outputEnded || upstreamExited || caught !== undefined) return false;
    clientGone = true;
    note(
      `cannot write to the client (${errorText(error)}); it may have gone away, so thoth ` +
        "relays none of its requests from now on and ends the session as when the client " +
        "closes its input",
    );
    // Not from inside the write that failed: the pump may be handing over a line.
    queueMicrotask(() => clientPump.cancel());
    return true;
  };

  /**
   * The server's output ended. A server that exits ends it just before; one
   * still running a moment later can answer nothing more: every request
   * waiting for it, and every later one, is answered with an error now, and
   * it is stopped (input closed, then SIGTERM, then SIGKILL).
   */
  const serverOutputEnded = async () => {
    if (upstreamExited || caught !== undefined || closing || coreFailed) return;
    if (await settlesWithin(status, Math.min(grace, OUTPUT_END_WAIT_MS))) return;
    if (upstreamExited || caught !== undefined || closing || outputEnded || coreFailed) return;
    outputEnded = true;
    note("the MCP server closed its output but is still running; stopping it");
    dropServerInput("the MCP server closed its output");
    const texts = exitAnswerTexts({ ended: "output_closed" });
    const answered = session.upstreamGone(texts.sent, texts.held);
    lost = { cause: "it closed its output", text: OUTPUT_CLOSED_TEXT };
    if (answered > 0) note(`answered ${answered} pending request(s) with an error`);
    if (await settlesWithin(status, grace) || terminating) return;
    note(`the MCP server did not exit ${grace} ms after its input closed; sending SIGTERM`);
    await terminate();
  };
  void serverPump.done.then(serverOutputEnded);

  const onStop = () => {
    if (caught !== undefined) return;
    caught = stopSignalOf(stop.reason);
    reason = "signal";
    ending.abort();
    note(`received ${caught}; stopping the MCP server`);
    void toServer.close();
    void terminate();
  };
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });

  /**
   * A fault escaped the core (see `core_faults.ts`): said on stderr; the
   * server is read no further, nothing more goes to the server, every request
   * still pending and call still held is answered with an error, and the
   * server is stopped. The client is still read, and each request it sends
   * until the session ends answered with an error (see
   * `core_fault_answers.ts`). The server's exit ends the session, with exit
   * code 1. Each step that fails too is noted, and the next one still taken.
   */
  const step = (what: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      note(`could not ${what} after the core failed: ${errorText(error)}`);
    }
  };
  /** Answers what the client sends after a core fault (see `core_fault_answers.ts`). */
  let afterFault: CoreFaultAnswers | undefined;
  const unlisten = options.faults?.listen((lines) => {
    coreFailed = true;
    reason = "core_failed";
    for (const line of lines) note(line);
    ending.abort();
    // Read on until thoth exits: each request from now on gets an error, never silence.
    step("answer the client's later requests", () => {
      afterFault = new CoreFaultAnswers((bytes) => toClient.write(bytes));
      Object.assign(clientSink, afterFault.sink());
    });
    step("stop reading the MCP server", () => serverPump.cancel());
    // A large line relayed in parts may have stopped midway: the answers start lines of their own.
    step("end the client's line", () => toClient.endLine());
    step("close the MCP server's input", () => dropServerInput("thoth's proxy core failed"));
    let answered = 0;
    step("answer the pending requests", () => {
      answered = session.upstreamGone(CORE_FAILED_SENT, CORE_FAILED_HELD);
    });
    if (answered > 0) note(`answered ${answered} pending request(s) with an error`);
    void terminate();
  });

  const exit = await status;
  upstreamExited = true;
  // Writes it never took are answered below; later ones, at once (see `lost`).
  dropServerInput("the MCP server exited");
  ending.abort();
  options.onExited?.();
  await settlesWithin(serverPump.done, 500);
  toClient.endLine();
  const exitText = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  // A call still held (being decided, or waiting for a person) never reached the server: it is
  // told so, not that the server did not answer it.
  const { sent: goneText, held: heldText } = exitAnswerTexts({
    ended: outputEnded ? "output_closed" : { exited: exitText },
    ...(caught === undefined ? {} : { caught }),
    stalledAtClose,
  });
  let answeredOnExit = coreFailed ? 0 : session.upstreamGone(goneText, heldText);
  if (!closing && caught === undefined && !outputEnded && !coreFailed) {
    // What the client sent before the server's exit was seen (a server that dies at once) is
    // read now, briefly, and each request in it answered with the exit.
    lost = {
      cause: `it exited with ${exitText}`,
      text: `The MCP server exited (${exitText}) before this request reached it`,
    };
    await settlesWithin(clientPump.done, DRAIN_MS);
    answeredOnExit += session.upstreamGone(goneText, heldText);
  }
  if (coreFailed) {
    note(`stopped the MCP server (it exited with ${exitText})`);
    // What the client sent before this is read now, briefly, and each request answered.
    await settlesWithin(clientPump.done, DRAIN_MS);
    const after = afterFault?.answered ?? 0;
    if (after > 0) {
      note(`answered ${after} request(s) the client sent after the core failed with an error`);
    }
  } else if (!closing && caught === undefined) {
    note(
      `the MCP server exited with ${exitText}` +
        (answeredOnExit > 0 ? `; answered ${answeredOnExit} pending request(s) with an error` : ""),
    );
  } else if (answeredOnExit > 0) {
    note(`answered ${answeredOnExit} pending request(s) with an error at shutdown`);
  }
  if (ignoredFromClient > 0) {
    note(
      `did not relay ${ignoredFromClient} message(s) the client sent after it stopped reading ` +
        "thoth's output",
    );
  }
  stop.removeEventListener("abort", onStop);
  delete io.clientBroke.take;
  serverPump.cancel();
  clientPump.cancel();
  await settlesWithin(toClient.close(), grace);
  unlisten?.();
  const exitCode = coreFailed ? 1 : caught !== undefined ? signalExitCode(caught) : exit.code;
  return { exitCode, reason, answeredOnExit };
}

/**
 * One abort signal for every way a session is told to stop: `options.stop`,
 * and this process's stop signals when `options.handleSignals` is set. Its
 * reason names the signal.
 */
function stopSource(options: ProxyOptions): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = (signal: StopSignal) => {
    if (!controller.signal.aborted) controller.abort(signal);
  };
  const onStop = () => abort(stopSignalOf(options.stop?.reason));
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener("abort", onStop, { once: true });
  const removeSignals = options.handleSignals ? listenForStop(Deno.build.os, abort) : () => {};
  return {
    signal: controller.signal,
    dispose() {
      removeSignals();
      options.stop?.removeEventListener("abort", onStop);
    },
  };
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
