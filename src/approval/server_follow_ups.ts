/**
 * `ServerFollowUps`: which retries continue a server's own `input_required`
 * answer to a call a person allowed once (stateless, 2026-07-28 era). Such a
 * retry carries the server's `requestState`, not thoth's, and is the call
 * already allowed: it is forwarded unchanged, once per state the server
 * issued, bound like a grant to the digest, before the state expires. Asking
 * again would drop the server's state and start its exchange over,
 * endlessly. At most 64 calls and 64 states are kept per session; pure: time
 * is passed in. Used by `createApprover()` and `statelessStep()`.
 *
 * @example
 * ```ts
 * const followUps = new ServerFollowUps();
 * followUps.forwarded(7, { digest, tool: "delete_file", approver: "ana", decisionId: "d-1", askedDecisionId: "d-1", expiresAt: now + 300_000 }, now);
 * followUps.serverAnswered(7, "delete_file", { resultType: "input_required", requestState: "R" }, now, 300_000);
 * followUps.take("R", digest, now); // the binding, once
 * ```
 */
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";

/** What a follow-up retry must match, and who allowed the call it continues. */
export interface FollowUpBinding {
  digest: string;
  tool: string;
  approver: string;
  /** The decision of the call forwarded under the request id (a reused id decides anew). */
  decisionId: string;
  /** The decision the person answered (the first of a chain of follow-ups). */
  askedDecisionId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** At most this many calls (and as many server states) are tracked per session. */
const MAX_FOLLOW_UPS = 64;

/** Adds `key` to a bounded map: expired entries go first, then the oldest. */
function remember(
  map: Map<string, FollowUpBinding>,
  key: string,
  value: FollowUpBinding,
  now: number,
) {
  for (const [k, v] of map) if (v.expiresAt < now) map.delete(k);
  map.delete(key);
  while (map.size >= MAX_FOLLOW_UPS) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * The server's own `input_required` answers to calls a person allowed once
 * (stateless era). A call is noted when it is forwarded; when the server
 * answers it with a `requestState`, the client's retry carrying exactly that
 * state, for the same digest, may pass once before it expires. Pure: time
 * is passed in.
 *
 * @example
 * ```ts
 * const followUps = new ServerFollowUps();
 * followUps.forwarded(7, { digest, tool: "delete_file", approver: "ana", decisionId: "d-1", askedDecisionId: "d-1", expiresAt: now + 300_000 }, now);
 * followUps.serverAnswered(7, "delete_file", { resultType: "input_required", requestState: "R" }, now, 300_000);
 * followUps.take("R", digest, now); // the binding, once
 * ```
 */
export class ServerFollowUps {
  /** Forwarded calls by the client's request id. */
  readonly #calls = new Map<string, FollowUpBinding>();
  /** Server states by value. */
  readonly #states = new Map<string, FollowUpBinding>();

  /** A call allowed once was forwarded under the client's `requestId`. */
  forwarded(requestId: JsonRpcId, binding: FollowUpBinding, now: number): void {
    remember(this.#calls, idKey(requestId), binding, now);
  }

  /**
   * A decision was made for a call under `requestId`: a binding left for an
   * earlier call under the same id (cancelled, or answered by thoth) is void.
   */
  decided(requestId: JsonRpcId, decisionId: string): void {
    const key = idKey(requestId);
    if (this.#calls.get(key)?.decisionId !== decisionId) this.#calls.delete(key);
  }

  /** The call under `requestId` ended without reaching the server (cancelled, refused). */
  ended(requestId: JsonRpcId): void {
    this.#calls.delete(idKey(requestId));
  }

  /** The server answered the call with `requestId`; an `input_required` state opens a follow-up. */
  serverAnswered(
    requestId: JsonRpcId,
    tool: string,
    result: unknown,
    now: number,
    ttlMs: number,
  ): void {
    const key = idKey(requestId);
    const call = this.#calls.get(key);
    if (call === undefined) return;
    this.#calls.delete(key);
    if (call.tool !== tool || now > call.expiresAt) return;
    const answer = result !== null && typeof result === "object" && !Array.isArray(result)
      ? result as Record<string, unknown>
      : {};
    const state = answer["requestState"];
    if (answer["resultType"] !== "input_required" || typeof state !== "string") return;
    remember(this.#states, state, { ...call, expiresAt: now + ttlMs }, now);
  }

  /** Whether `state` is one the server issued for a call a person allowed (not yet taken). */
  holds(state: string): boolean {
    return this.#states.has(state);
  }

  /**
   * The binding a retry with the server's `state` continues, when its
   * `digest` matches and it has not expired. A state is spent on first
   * presentation, even for other arguments, so it cannot be probed; it is
   * taken when the retry is recognised, so only one retry continues it.
   */
  take(state: string, digest: string, now: number): FollowUpBinding | undefined {
    const found = this.#states.get(state);
    if (found === undefined) return undefined;
    this.#states.delete(state);
    return found.digest === digest && now <= found.expiresAt ? found : undefined;
  }

  /** Forgets everything (the session ended). */
  clear(): void {
    this.#calls.clear();
    this.#states.clear();
  }
}
