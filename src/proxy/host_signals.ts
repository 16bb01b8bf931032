/**
 * The sandboxed core's side of who signals its MCP server. The core may
 * signal only the server itself; the thread that started it signals the
 * server's whole process group (an `npx` server's children with it), but
 * only once it has checked the pid the core named (`server-checked`). A stop
 * that arrives between the core's `spawned` and that answer is held, not
 * sent to the server alone: once the answer comes, it goes to the host when
 * the host vouched for the pid, else to the server by the core. If no answer
 * comes within `waitMs` (a `ps` that hangs), the held signals go to the
 * server alone, so a stop is never lost.
 *
 * @example
 * ```ts
 * const host = new HostSignals((signal) => postMessage({ type: "signal", signal }));
 * host.signal("SIGTERM", () => child.kill("SIGTERM")); // true: held or sent to the host
 * host.checked(true); // the held SIGTERM goes to the host
 * ```
 */

/** A signal the core may send its server. */
export type CoreSignal = "SIGTERM" | "SIGKILL";

/** How long a stop waits for the host's check before the core signals its server alone. */
export const HOST_CHECK_WAIT_MS = 2000;

/** Routes the core's signals to its host or to the server alone (see the module doc). */
export class HostSignals {
  readonly #toHost: (signal: CoreSignal) => void;
  readonly #waitMs: number;
  /** Whether the host signals the server: undefined until it has answered. */
  #vouched: boolean | undefined;
  #held: { signal: CoreSignal; alone: () => void }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(toHost: (signal: CoreSignal) => void, waitMs: number = HOST_CHECK_WAIT_MS) {
    this.#toHost = toHost;
    this.#waitMs = waitMs;
  }

  /**
   * Sends `signal` to the server's group through the host, or holds it until
   * the host has checked the pid. Returns false when the host will not signal
   * the server: the caller then signals the server itself. `alone` signals
   * the server alone, for a held signal the host turns out not to send.
   */
  signal(signal: CoreSignal, alone: () => void): boolean {
    if (this.#vouched === false) return false;
    if (this.#vouched === true) {
      this.#toHost(signal);
      return true;
    }
    this.#held.push({ signal, alone });
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      // Still no answer: a stop is not left waiting on it.
      for (const held of this.#takeHeld()) held.alone();
    }, this.#waitMs);
    return true;
  }

  /** The host's answer: whether it signals the server. Only the first counts. */
  checked(vouched: boolean): void {
    if (this.#vouched !== undefined) return;
    this.#vouched = vouched;
    for (const held of this.#takeHeld()) {
      if (vouched) this.#toHost(held.signal);
      else held.alone();
    }
  }

  #takeHeld(): { signal: CoreSignal; alone: () => void }[] {
    // Only a timer set: naming `clearTimeout` at all loads the Node timers module (see `unref_timer.ts`).
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = this.#held;
    this.#held = [];
    return held;
  }
}
