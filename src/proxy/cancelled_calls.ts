/**
 * Requests the client cancelled after they were forwarded, until the server
 * answers them. The server may still answer such a request (MCP lets it), or
 * never (the SDK's servers drop a cancelled request's answer): while it has
 * not, its id is still in use there. A new request under that id would make
 * the two answers impossible to tell apart (the first, late one would be
 * taken for the new call's, in the audit and by the client), so the relay
 * refuses it, as it refuses any id an unanswered request still uses. Bounded:
 * at most {@linkcode MAX_CANCELLED} ids, each for {@linkcode CANCELLED_TTL_MS}
 * at most. Pure: time is passed in.
 *
 * @example
 * ```ts
 * const cancelled = new CancelledCalls();
 * cancelled.add("n:7", now);
 * cancelled.inUse("n:7", now); // true: a new request 7 is refused
 * cancelled.answered("n:7");   // true: the server's late answer to it
 * ```
 */

/** At most this many cancelled ids are remembered; the oldest goes first. */
export const MAX_CANCELLED = 256;

/** A cancelled id is remembered this long at most (the SDK client's default request timeout). */
export const CANCELLED_TTL_MS = 60_000;

/** The ids of forwarded requests the client cancelled and the server has not answered. */
export class CancelledCalls {
  /** When each was cancelled, by id key, oldest first. */
  readonly #at = new Map<string, number>();

  /** How many are remembered. */
  get size(): number {
    return this.#at.size;
  }

  /** The client cancelled the forwarded request with id key `key` at `now`. */
  add(key: string, now: number): void {
    this.#at.delete(key);
    if (this.#at.size >= MAX_CANCELLED) this.#at.delete(this.#at.keys().next().value!);
    this.#at.set(key, now);
  }

  /** Whether the server may still answer the cancelled request `key` (an entry past its time goes). */
  inUse(key: string, now: number): boolean {
    const at = this.#at.get(key);
    if (at === undefined) return false;
    if (now - at <= CANCELLED_TTL_MS) return true;
    this.#at.delete(key);
    return false;
  }

  /** The server answered `key`: true, and forgotten, when it was a cancelled request. */
  answered(key: string): boolean {
    return this.#at.delete(key);
  }

  /** Forgets everything (the server is gone). */
  clear(): void {
    this.#at.clear();
  }
}
