/**
 * The relay's defaults, apart from the relay itself so that reading
 * `thoth run`'s flags does not load it.
 *
 * @example
 * ```ts
 * new LineDecoder(DEFAULT_MAX_LINE_BYTES, sink);
 * ```
 */

/** The default per-line byte cap: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The default wait at each shutdown step (stdin closed → SIGTERM → SIGKILL). */
export const DEFAULT_GRACE_MS = 2000;
