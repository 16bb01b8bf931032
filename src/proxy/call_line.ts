/**
 * Allowed tool calls reach the server in the order the client sent them.
 * Each call is decided on its own, and a decision may come later (a large
 * call's arguments are digested off the synchronous path, a synced audit
 * record, thoth listing the tools first): a call the relay cannot forward at
 * once takes its place in the line, and one allowed at once while the line
 * is not empty goes to its end. A call is written once every call before it
 * has been written or has left the line: refused or answered by thoth, or
 * waiting for a person (a person, not the pipe, paces those: the calls
 * behind never wait for one). An empty line costs one check per call. Pure:
 * the writes are closures the relay hands in.
 *
 * @example
 * ```ts
 * const line = new CallLine();
 * const first = line.join("n:1");        // decided later
 * line.settle(line.join("n:2"), send2);  // allowed at once: waits behind n:1
 * line.settle(first, send1);             // n:1 is written, then n:2
 * ```
 */

/** One call's place in the line. */
export interface CallPlace {
  /** The call's id key (see `idKey`); undefined for a batch's elements that go together. */
  readonly key: string | undefined;
  /** "waiting": not decided; "ready": allowed, not written; "gone": written or left. */
  state: "waiting" | "ready" | "gone";
  /** Writes the call (once allowed). */
  send?: (() => void) | undefined;
  /** Lets go of what the call holds, when it leaves the line unwritten (withdrawn). */
  drop?: (() => void) | undefined;
}

/** Tool calls on their way to the server, oldest first. */
export class CallLine {
  readonly #places: CallPlace[] = [];
  /** The places not yet gone, by id key. */
  readonly #byKey = new Map<string, CallPlace>();

  /** How many places the line holds (some may be gone, until they reach its head). */
  get size(): number {
    return this.#places.length;
  }

  /**
   * A call takes the last place in the line; without a key (the elements of
   * a batch written together), the place can be neither excused nor withdrawn.
   */
  join(key: string | undefined): CallPlace {
    const place: CallPlace = { key, state: "waiting" };
    this.#places.push(place);
    if (key !== undefined) this.#byKey.set(key, place);
    return place;
  }

  /**
   * The call at `place` was decided: `send` writes it (allowed), in its turn;
   * without one it leaves the line. `drop` lets go of what it holds if it is
   * withdrawn before its turn. A place that left the line already (its call
   * waits for a person, or the line was cleared) writes at once.
   */
  settle(place: CallPlace, send: (() => void) | undefined, drop?: () => void): void {
    if (place.state !== "waiting") {
      send?.();
      return;
    }
    if (send === undefined) {
      this.#leave(place);
    } else {
      place.state = "ready";
      place.send = send;
      place.drop = drop;
    }
    this.#flush();
  }

  /** The call `key` waits for a person: it leaves the line, and is written when approved. */
  excuse(key: string): void {
    const place = this.#byKey.get(key);
    if (place === undefined || place.state !== "waiting") return;
    this.#leave(place);
    this.#flush();
  }

  /**
   * Withdraws the call `key` when it was allowed but not written yet (the
   * client cancelled it): true when it was, and it will never be written.
   */
  withdraw(key: string): boolean {
    const place = this.#byKey.get(key);
    if (place === undefined || place.state !== "ready") return false;
    const drop = place.drop;
    this.#leave(place);
    drop?.();
    this.#flush();
    return true;
  }

  /** Empties the line (the server is gone): nothing in it is written. */
  clear(): void {
    const places = this.#places.splice(0);
    this.#byKey.clear();
    for (const place of places) {
      const drop = place.state === "ready" ? place.drop : undefined;
      place.state = "gone";
      place.send = undefined;
      place.drop = undefined;
      drop?.();
    }
  }

  #leave(place: CallPlace): void {
    place.state = "gone";
    place.send = undefined;
    place.drop = undefined;
    if (place.key !== undefined && this.#byKey.get(place.key) === place) {
      this.#byKey.delete(place.key);
    }
  }

  /** Writes the calls at the head that are allowed, and forgets those gone. */
  #flush(): void {
    const places = this.#places;
    while (places.length > 0) {
      const head = places[0]!;
      if (head.state === "waiting") return;
      places.shift();
      if (head.state !== "ready") continue;
      const send = head.send!;
      this.#leave(head);
      send();
    }
  }
}
