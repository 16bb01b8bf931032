/**
 * `DialogTurns`: lets one approval dialog be up at a time in a session.
 * Thirty STEP_UP calls at once would otherwise open thirty dialogs on the
 * desktop, and a person faced with a pile of them approves without reading
 * (approval fatigue). Each question waits its turn, first come first
 * served; the next dialog opens once the one before it was answered,
 * closed or timed out. A question whose wait ends while it is still in
 * line (its deadline came, or the client withdrew the call) leaves the
 * line without a dialog ever opening for it.
 *
 * @example
 * ```ts
 * const turns = new DialogTurns();
 * const done = await turns.take(signal);
 * if (done === undefined) return { kind: "timeout" }; // never shown
 * try { await show(request, signal); } finally { done(); }
 * ```
 */
export class DialogTurns {
  /** Settles when the last question in line is done with its dialog (or left the line). */
  #last: Promise<void> = Promise.resolve();

  /**
   * Waits for this question's turn. Resolves with the function that ends
   * the turn (call it once the dialog is gone), or undefined when `signal`
   * aborted first: then no dialog may open, and the line moves on as soon
   * as the question before it is done.
   */
  async take(signal: AbortSignal): Promise<(() => void) | undefined> {
    if (signal.aborted) return undefined;
    const before = this.#last;
    let done: () => void = () => {};
    this.#last = new Promise<void>((resolve) => done = resolve);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const left = await Promise.race([before.then(() => false), aborted]);
      if (left) {
        // Its place is kept until the one before it is done, so the order stands.
        void before.then(done);
        return undefined;
      }
      return once(done);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    }
  }
}

/** `fn`, callable any number of times, run only the first. */
function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
