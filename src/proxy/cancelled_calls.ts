/**
 * Requests the client cancelled after they were forwarded, until the server
 * answers them. The server may still answer such a request (MCP lets it), or
 * never (the SDK's servers drop a cancelled request's answer): while it has
 * not, its id is still in use there. A new request under that id would make
 * the two answers impossible to tell apart (the first, late one would be
 * taken for the new call's, in the audit and by the client), so the relay
 * refuses it, as it refuses any id an unanswered request still uses. A
 * cancelled `tools/call` keeps what its late answer needs to be recorded as
 * that decision's outcome. Its late answer counts only under the id as the
 * client wrote it (`2`, not `2.0`). Bounded: at most {@linkcode MAX_CANCELLED} ids,
 * each for {@linkcode CANCELLED_TTL_MS} at most. Pure: time is passed in.
 *
 * @example
 * ```ts
 * const cancelled = new CancelledCalls();
 * cancelled.add("n:7", now, { id: 7, tool: "slow", started: 3, decisionId: "d-1" });
 * cancelled.inUse("n:7", now); // true: a new request 7 is refused
 * cancelled.answered("n:7");   // { call: { id: 7, … } }: the server's late answer to it
 * ```
 */
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { LooseIdIndex, LooseIndexedMap } from "../protocol/loose_id_index.ts";

/** At most this many cancelled ids are remembered; the oldest goes first. */
export const MAX_CANCELLED = 256;

/** A cancelled id is remembered this long at most (the SDK client's default request timeout). */
export const CANCELLED_TTL_MS = 60_000;

/** A governed `tools/call` the client cancelled after it was forwarded. */
export interface CancelledCall {
  /** The client's request id. */
  id: JsonRpcId;
  tool: string;
  /** When it was forwarded (the relay's monotonic clock). */
  started: number;
  /** The decision that let it through. */
  decisionId: string;
}

/** What the relay knew of a cancelled request the server has now answered. */
export interface AnsweredCancel {
  /** The `tools/call` it was, when it was one. */
  call: CancelledCall | undefined;
  /**
   * thoth answered the request itself, not the client cancelling it (see
   * {@linkcode CancelledCalls.answeredByThoth}): its late answer is no one's.
   */
  answeredByThoth?: true;
}

interface Entry {
  at: number;
  call: CancelledCall | undefined;
  /** The text of the request's numeric id as the client wrote it. */
  spelling: string | undefined;
  answeredByThoth: boolean;
}

/** The ids of forwarded requests the client cancelled and the server has not answered. */
export class CancelledCalls {
  /** Each one, by id key, oldest first, counted by loose key (see {@linkcode twinOf}). */
  readonly #entries = new LooseIndexedMap<Entry>(new LooseIdIndex());

  constructor() {
    this.#entries.indexing = true;
  }

  /** How many are remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The client cancelled the forwarded request with id key `key` at `now`
   * (`call`: a tools/call; `spelling`: the text of its numeric id as the
   * client wrote it, which the late answer must carry).
   */
  add(key: string, now: number, call?: CancelledCall, spelling?: string): void {
    this.#set(key, { at: now, call, spelling, answeredByThoth: false });
  }

  /**
   * thoth answered the forwarded request `key` itself at `now` (the server's
   * answer could not be relayed), while the server may still answer it under
   * `spelling`: its id stays in use as a cancelled one's does, and that
   * answer is handed back as {@linkcode AnsweredCancel.answeredByThoth}.
   */
  answeredByThoth(key: string, now: number, spelling?: string): void {
    this.#set(key, { at: now, call: undefined, spelling, answeredByThoth: true });
  }

  #set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_CANCELLED) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, entry);
  }

  /** Whether the server may still answer the cancelled request `key` (an entry past its time goes). */
  inUse(key: string, now: number): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    if (now - entry.at <= CANCELLED_TTL_MS) return true;
    this.#entries.delete(key);
    return false;
  }

  /**
   * Whether `key` was cancelled within {@linkcode CANCELLED_TTL_MS} of `now`;
   * unlike {@linkcode inUse}, an entry past its time stays (its late answer is still told).
   */
  recent(key: string, now: number): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && now - entry.at <= CANCELLED_TTL_MS;
  }

  /**
   * The server answered `key`: what was cancelled, forgotten now; undefined
   * when nothing was, or when the answer's id is written otherwise than the
   * request's (`spelling`, asked only then: the text of the answer's numeric
   * id), which answers nothing (the entry stays).
   */
  answered(key: string, spelling?: () => string | undefined): AnsweredCancel | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.spelling !== undefined && spelling !== undefined && spelling() !== entry.spelling) {
      return undefined;
    }
    this.#entries.delete(key);
    return entry.answeredByThoth
      ? { call: entry.call, answeredByThoth: true }
      : { call: entry.call };
  }

  /** The id keys remembered, oldest first. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /**
   * A key other than `key` cancelled within {@linkcode CANCELLED_TTL_MS} of
   * `now` that a client matching ids loosely takes for `key` (`"2"` for `2`,
   * see `looseKeyOf`); undefined when there is none. Walks only the keys
   * that read the same.
   */
  twinOf(key: string, now: number): string | undefined {
    return this.#entries.index.twinOf(key, (other) => this.recent(other, now));
  }

  /** Forgets everything (the server is gone). */
  clear(): void {
    this.#entries.clear();
  }
}
