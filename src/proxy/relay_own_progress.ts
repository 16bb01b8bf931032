/**
 * The progress thoth itself reports under a client's progress token while a
 * call waits for a person: remembered (bounded) so the server's progress for
 * the same call goes on above it once released, and forgotten when the call
 * ends, however it ends.
 *
 * @example
 * ```ts
 * noteOwnProgress(state, { progressToken: "t", progress: 3 }); // the server's goes on above 3
 * forgetProgress(state, idKey("t")); // the call ended
 * ```
 */
import { idKey } from "../protocol/jsonrpc_id.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import type { RelayState } from "./relay_state.ts";

/** Progress tokens thoth reported on remembered (see `progressSent`); older ones are forgotten. */
const MAX_PROGRESS_TOKENS = 256;

/** The call under a token ended: the server's later progress under it is its own. */
export function forgetProgress(s: RelayState, progressKey: string | undefined): void {
  if (progressKey !== undefined) s.progressSent.delete(progressKey);
}

/** Remembers the progress thoth reported under a token (bounded: the oldest goes first). */
export function noteOwnProgress(s: RelayState, params: unknown): void {
  if (!isPlainObject(params)) return;
  const token = params["progressToken"];
  const progress = params["progress"];
  if ((typeof token !== "string" && typeof token !== "number") || typeof progress !== "number") {
    return;
  }
  const key = idKey(token);
  s.progressSent.delete(key);
  if (s.progressSent.size >= MAX_PROGRESS_TOKENS) {
    s.progressSent.delete(s.progressSent.keys().next().value!);
  }
  s.progressSent.set(key, { sent: progress });
}
