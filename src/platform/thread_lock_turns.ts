/**
 * This thread's line for each lock path: the holder whose turn it is, and the
 * holders of this thread waiting for it, in order. A file lock blocks the
 * thread that asks for it, so two holders of one thread (two logs opened by
 * one process, say) must not both ask: the second would block the thread
 * the first needs to let go. Each takes its turn here first (see
 * `file_lock.ts`). One line per thread: module state is per thread, and
 * each Worker has its own.
 *
 * @example
 * ```ts
 * const turns = new ThreadLockTurns();
 * if (!turns.takeIfFree(path, lock)) await turns.wait(path, lock);
 * // … lock the file, work, unlock it …
 * turns.pass(path, lock);
 * ```
 */
import { type CancelTimer, unrefTimer } from "./unref_timer.ts";

/** This thread's holder of a lock path, and the holders of this thread waiting for it. */
interface Turns {
  holder: object;
  waiting: { holder: object; go: () => void }[];
}

/** The turns of this thread's holders, per lock path. */
export class ThreadLockTurns {
  readonly #turns = new Map<string, Turns>();

  /**
   * Gives `holder` the turn of `path` when no holder of this thread has it;
   * says whether `holder` has it (true too when it has it already: taken
   * again before a release).
   */
  takeIfFree(path: string, holder: object): boolean {
    const line = this.#turns.get(path);
    if (line !== undefined) return line.holder === holder; // taken again before a release
    this.#turns.set(path, { holder, waiting: [] });
    return true;
  }

  /** Waits in the line of `path` until the holder before passes the turn on to `holder`. */
  wait(path: string, holder: object): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#turns.get(path)!.waiting.push({ holder, go: resolve });
    return promise;
  }

  /**
   * Waits in the line as {@linkcode wait} does, leaving it when `ms` pass
   * first, or `stop` is aborted: true once `holder` has the turn, false when
   * it left the line.
   */
  waitWithin(
    path: string,
    holder: object,
    ms: number,
    stop: AbortSignal | undefined,
  ): Promise<boolean> {
    const line = this.#turns.get(path)!;
    const { promise, resolve } = Promise.withResolvers<boolean>();
    let cancel: CancelTimer = () => {};
    const leave = () => {
      cancel();
      stop?.removeEventListener("abort", leave);
      const at = line.waiting.indexOf(place);
      if (at < 0) return; // given the turn already
      line.waiting.splice(at, 1);
      resolve(false);
    };
    const place = {
      holder,
      go: () => {
        cancel();
        stop?.removeEventListener("abort", leave);
        resolve(true);
      },
    };
    line.waiting.push(place);
    cancel = unrefTimer(leave, ms);
    stop?.addEventListener("abort", leave, { once: true });
    return promise;
  }

  /** Gives the turn of `path`, when `holder` has it, to the next holder waiting, if any. */
  pass(path: string, holder: object): void {
    const line = this.#turns.get(path);
    if (line === undefined || line.holder !== holder) return;
    const next = line.waiting.shift();
    if (next === undefined) {
      this.#turns.delete(path);
      return;
    }
    line.holder = next.holder;
    next.go();
  }
}
