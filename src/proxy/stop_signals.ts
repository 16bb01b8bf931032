/**
 * The signals that stop a session, and what thoth exits with after each:
 * SIGINT and SIGTERM, and SIGHUP (the terminal or the client's session went
 * away) and SIGQUIT, which would otherwise end thoth at once and leave the
 * server running with no session end recorded. Each stops the server as
 * SIGTERM does; thoth then exits with 128 + the signal's number.
 *
 * @example
 * ```ts
 * const remove = listenForStop("linux", (signal) => console.error(signal));
 * remove();
 * ```
 */

/** A signal that stops a session. */
export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT";

const NUMBERS: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

/** The stop signals a process can listen for on `os` (only SIGINT on Windows). */
export function stopSignals(os: string): StopSignal[] {
  return os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
}

/** The exit code after stopping for `signal`: 128 + its number (SIGTERM: 143). */
export function signalExitCode(signal: StopSignal): number {
  return 128 + NUMBERS[signal];
}

/** The stop signal an abort reason names; SIGTERM for any other reason. */
export function stopSignalOf(reason: unknown): StopSignal {
  return typeof reason === "string" && Object.hasOwn(NUMBERS, reason)
    ? reason as StopSignal
    : "SIGTERM";
}

/** Calls `onSignal` for each stop signal this process gets; returns the remover. */
export function listenForStop(os: string, onSignal: (signal: StopSignal) => void): () => void {
  const removers = stopSignals(os).map((signal) => {
    const handler = () => onSignal(signal);
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  });
  return () => {
    for (const remove of removers) remove();
  };
}
