/**
 * The tools the server's live sampling requests (MCP 2025-11-25: a
 * `sampling/createMessage` it sends the client) offered the model, bounded
 * in all. Each offer stays on what holds it (the server's request waiting
 * for the client's answer, or the client's task for it); this ledger counts
 * them, so that a server sending many requests, each offering up to
 * `MAX_OFFERED_TOOLS` tools, cannot grow thoth's memory past
 * {@linkcode MAX_REMEMBERED_TOOLS} tools (the stateless era's bound, kept
 * apart). Past it, the oldest offer held is forgotten: its holder's offer
 * becomes `DROPPED_OFFER`, under which every tool chosen in the answer is
 * read with every hint at its strictest (fail closed), never with fewer
 * hints than it was offered with. A holder answered or gone is released.
 * A holder never released ages out like any other. Pure.
 *
 * @example
 * ```ts
 * const offers = new LiveOffers();
 * offers.hold(asked);    // asked.offered counted; the oldest forgotten past the bound
 * offers.release(asked); // answered
 * ```
 */
import type { ToolAnnotations } from "../policy/tool_call.ts";
import { DROPPED_OFFER } from "../protocol/offered_tools.ts";
import { MAX_REMEMBERED_TOOLS } from "./input_offers.ts";

/** What holds a live sampling request's offer: its request, or the client's task for it. */
export interface OfferHolder {
  offered?: ReadonlyMap<string, ToolAnnotations> | undefined;
}

export class LiveOffers {
  /** Each holder with the size of its offer, oldest first. */
  readonly #held = new Map<OfferHolder, number>();
  #tools = 0;

  /** How many offered tools are counted in all. */
  get tools(): number {
    return this.#tools;
  }

  /** How many holders are counted. */
  get size(): number {
    return this.#held.size;
  }

  /**
   * Counts `holder`'s offer as the newest; past the bound, forgets the
   * oldest offers (each becomes `DROPPED_OFFER`). An empty offer takes no
   * room and is not counted.
   */
  hold(holder: OfferHolder): void {
    this.release(holder);
    const size = holder.offered?.size ?? 0;
    if (size === 0) return;
    this.#held.set(holder, size);
    this.#tools += size;
    while (this.#tools > MAX_REMEMBERED_TOOLS) {
      const [oldest, count] = this.#held.entries().next().value!;
      this.#held.delete(oldest);
      this.#tools -= count;
      // Forgotten, not emptied of hints: every tool chosen in its answer is read at its strictest.
      oldest.offered = DROPPED_OFFER;
    }
  }

  /** `holder` no longer needs its offer counted (answered, cancelled or forgotten). */
  release(holder: OfferHolder): void {
    const count = this.#held.get(holder);
    if (count === undefined) return;
    this.#held.delete(holder);
    this.#tools -= count;
  }

  /** Forgets every count (the server is gone). */
  clear(): void {
    this.#held.clear();
    this.#tools = 0;
  }
}
