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
import { AppError } from "../errors.ts";
import { refuseClient } from "./refuse_client.ts";
import { listenForStop, type StopSignal, stopSignalOf } from "./stop_signals.ts";
import { StreamWriter } from "./stream_writer.ts";
import { spawnFailureText, spawnUpstream } from "./upstream_spawn.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES, DEFAULT_SETTLE_MS } from "./proxy_defaults.ts";
import type { ClientBroke, ProxyOptions, ProxyResult } from "./proxy_options.ts";
import { relayUntilExit } from "./relay_until_exit.ts";
import { errorText } from "./error_text.ts";

export { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES, DEFAULT_SETTLE_MS };
export type { ProxyOptions, ProxyResult };

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
    return await relayUntilExit(child, options, io);
  } finally {
    stop.dispose();
  }
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
