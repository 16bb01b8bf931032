/**
 * The tools the server's stateless-era sampling requests offered the model
 * (see `offered_tools.ts`), remembered until the client answers them, each
 * in the scope of what asked: a request's round trip (an `input_required`
 * result, answered by that request's retry, see `round_trips.ts`), or a
 * task (`tasks/get` or `notifications/tasks`, answered by `tasks/update`).
 * Within a scope, by `inputRequests` key; a key seen again adds its offer at
 * the stricter hints. Reading an offer does not use it up: a retry the
 * server never got (thoth refused it, or it failed) may come again. A round
 * trip's offers go when the request that continued it is answered (see
 * `endRound`; concurrent identical requests share a scope, counted), a
 * task's when it ends. Bounded: at most {@linkcode MAX_INPUT_SCOPES} scopes
 * and {@linkcode MAX_REMEMBERED_TOOLS} tools in all, the oldest scope going
 * first; an offer that grows past `MAX_OFFERED_TOOLS` is dropped. An
 * answer under a key no longer here, or a tool its offer does not hold, is
 * read at its strictest. Pure.
 *
 * @example
 * ```ts
 * const offers = new InputOffers();
 * offers.beginRound(resultRound(result) ?? round, sampledOffers(result.inputRequests));
 * offers.offer({ round }, "s1"); // the tools request "s1" of that round trip offered
 * ```
 */
import type { ToolAnnotations } from "../policy/tool_call.ts";
import {
  DROPPED_OFFER,
  MAX_OFFERED_TOOLS,
  stricterAnnotations,
} from "../protocol/offered_tools.ts";

/** At most this many scopes (round trips and tasks) have offers remembered. */
export const MAX_INPUT_SCOPES = 256;
/** At most this many offered tools are remembered in all. */
export const MAX_REMEMBERED_TOOLS = 16_384;

/** Where an answer's offers are: a request's round trip, or a task. */
export type OfferScope = { round: string } | { task: string };

type Offers = ReadonlyMap<string, ReadonlyMap<string, ToolAnnotations>>;

interface Scope {
  offers: Map<string, ReadonlyMap<string, ToolAnnotations>>;
  tools: number;
  /** Round trips: how many requests wait on it. */
  holds: number;
}

export class InputOffers {
  readonly #scopes = new Map<string, Scope>();
  #tools = 0;

  /** How many scopes have offers remembered. */
  get size(): number {
    return this.#scopes.size;
  }

  /** How many offered tools are remembered in all. */
  get tools(): number {
    return this.#tools;
  }

  /** Remembers the offers of a round trip a request waits on (one more request, when seen). */
  beginRound(round: string, offers: Offers): void {
    this.#remember(`R${round}`, offers, 1);
  }

  /** A request that continued the round trip `round` was answered: its offers go once none waits. */
  endRound(round: string): void {
    const entry = `R${round}`;
    const scope = this.#scopes.get(entry);
    if (scope === undefined) return;
    scope.holds--;
    if (scope.holds <= 0) this.#drop(entry);
  }

  /** Remembers the offers a task's state holds. */
  rememberTask(task: string, offers: Offers): void {
    this.#remember(`T${task}`, offers, 0);
  }

  /** Forgets every offer of the task `task` (it ended). */
  endTask(task: string): void {
    this.#drop(`T${task}`);
  }

  /**
   * The tools the request under `key` offered in `scope`; undefined when
   * thoth never saw it (or no longer remembers it).
   */
  offer(scope: OfferScope, key: string): ReadonlyMap<string, ToolAnnotations> | undefined {
    const entry = "round" in scope ? `R${scope.round}` : `T${scope.task}`;
    return this.#scopes.get(entry)?.offers.get(key);
  }

  /** Forgets everything (the server is gone). */
  clear(): void {
    this.#scopes.clear();
    this.#tools = 0;
  }

  #remember(entry: string, offers: Offers, holds: number): void {
    const scope = this.#scopes.get(entry) ?? { offers: new Map(), tools: 0, holds: 0 };
    // The newest last: the oldest scope goes first.
    this.#scopes.delete(entry);
    this.#scopes.set(entry, scope);
    scope.holds += holds;
    for (const [key, offered] of offers) {
      const had = scope.offers.get(key);
      // A dropped offer stays dropped: its tools are read at their strictest.
      if (had === DROPPED_OFFER) continue;
      const merged = new Map<string, ToolAnnotations>(offered === DROPPED_OFFER ? undefined : had);
      for (const [name, hints] of offered) {
        merged.set(name, stricterAnnotations(merged.get(name), hints)!);
      }
      // Too many to keep: an empty offer, under which every tool chosen is read at its strictest.
      const kept = offered === DROPPED_OFFER || merged.size > MAX_OFFERED_TOOLS
        ? DROPPED_OFFER
        : merged;
      const before = had?.size ?? 0;
      scope.offers.set(key, kept);
      scope.tools += kept.size - before;
      this.#tools += kept.size - before;
    }
    while (this.#scopes.size > MAX_INPUT_SCOPES || this.#tools > MAX_REMEMBERED_TOOLS) {
      this.#drop(this.#scopes.keys().next().value!);
    }
  }

  #drop(entry: string): void {
    const scope = this.#scopes.get(entry);
    if (scope === undefined) return;
    this.#scopes.delete(entry);
    this.#tools -= scope.tools;
  }
}
