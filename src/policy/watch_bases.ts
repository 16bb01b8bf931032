/**
 * Whether the folders a server resolves relative paths against changed:
 * the session replaces the list, or grows it, when the client's roots
 * arrive, and what was worked out of the old list is worked out again
 * ({@linkcode watchBases}).
 */
import type { PathOptions } from "./path_reading.ts";

/**
 * A test of whether `options.bases` (the folders the server resolves
 * relative paths against) changed since it last answered: the session
 * replaces the list, or grows it, when the client's roots arrive. True at
 * its first call.
 *
 * @example
 * ```ts
 * const changed = watchBases(options);
 * if (changed()) recompute(options.bases);
 * ```
 */
export function watchBases(options: PathOptions): () => boolean {
  let read: readonly string[] | undefined;
  let seen = -1;
  return () => {
    const bases = options.bases;
    const length = bases?.length ?? 0;
    if (bases === read && length === seen) return false;
    read = bases;
    seen = length;
    return true;
  };
}
