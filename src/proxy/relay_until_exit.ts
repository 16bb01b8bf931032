/**
 * The part of `runProxy()` (`run_proxy.ts`) that runs once the server has
 * started: relays both directions through a `RelaySession` until the server
 * exits, and takes the session down on each way it ends (the client's EOF,
 * a client that stopped reading, the server's output ending, a stop signal,
 * a fault that escaped the core). What does not reach the server is answered
 * by `server_input.ts`.
 *
 * @example
 * ```ts
 * const child = spawnUpstream({ command: "node", args: ["server.js"] });
 * const result = await relayUntilExit(child, { command: "node", args: ["server.js"], server: "demo" }, io);
 * ```
 */
import { allowAllEnforcer } from "../enforcer/allow_all_enforcer.ts";
import { newDecisionId } from "../enforcer/decision_id.ts";
import { newIdNonce } from "../protocol/own_ids.ts";
import type { LineSink } from "../protocol/line_decoder.ts";
import { LARGE_LINE_BYTES, RelaySession } from "./relay_session.ts";
import { DecisionTracker } from "./decision_tracker.ts";
import { HELD_BYTES, pumpLines } from "./pump_lines.ts";
import { ByteBudget } from "./byte_budget.ts";
import { signalExitCode, type StopSignal, stopSignalOf } from "./stop_signals.ts";
import { signalGroup } from "./upstream_spawn.ts";
import { DEFAULT_GRACE_MS, DEFAULT_SETTLE_MS } from "./proxy_defaults.ts";
import { exitAnswerTexts, OUTPUT_CLOSED_TEXT } from "./exit_answer_texts.ts";
import { CORE_FAILED_HELD, CORE_FAILED_SENT } from "./core_faults.ts";
import { CoreFaultAnswers } from "./core_fault_answers.ts";
import type { ProxyOptions, ProxyResult, SessionIo } from "./proxy_options.ts";
import { OUTPUT_END_WAIT_MS, ServerInput } from "./server_input.ts";
import { settlesWithin } from "./settles_within.ts";
import { errorText } from "./error_text.ts";

/** A wait for calls still being decided at the client's EOF that goes without a note. */
const QUIET_SETTLE_MS = 1000;

/** How long the client's input is still read after the server exited (requests already sent). */
const DRAIN_MS = 200;

/** Relays between the client and the running server until the server exits. */
export async function relayUntilExit(
  child: Deno.ChildProcess,
  options: ProxyOptions,
  io: SessionIo,
): Promise<ProxyResult> {
  const { note, maxLineBytes, toClient, stop } = io;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  let upstreamExited = false;
  /** A fault escaped the core (see `faults`): nothing more goes to the server. */
  let coreFailed = false;
  /**
   * The client's bytes held for the server: calls still being decided, and
   * writes it has not taken. The client's input is read no further while
   * more than {@linkcode HELD_BYTES} is held.
   */
  const heldForServer = new ByteBudget(HELD_BYTES);
  const serverInput = new ServerInput({
    child,
    grace,
    note,
    held: heldForServer,
    exited: () => upstreamExited,
    answer: (answer) => guarded(note, () => session.fromServer(answer)),
  });
  const toServer = serverInput.writer;
  /** Stops writing to the server (see {@linkcode ServerInput.drop}). */
  const dropServerInput = (why: string) => serverInput.drop(why);
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
    serverInput.lost = { cause: "it closed its output", text: OUTPUT_CLOSED_TEXT };
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
  // Writes it never took are answered below; later ones, at once (see `ServerInput.lost`).
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
    serverInput.lost = {
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

function guarded(note: (message: string) => void, work: () => void): void {
  try {
    work();
  } catch (error) {
    note(`internal error while relaying a message (dropped): ${errorText(error)}`);
  }
}

function safeKill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}
