/**
 * The relay's defaults, apart from the relay itself so that reading
 * `thoth run`'s flags does not load it.
 *
 * @example
 * ```ts
 * new LineDecoder(DEFAULT_MAX_LINE_BYTES, sink);
 * ```
 */
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../approval/approval_timeout.ts";

/** The default per-line byte cap: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The default wait at each shutdown step (stdin closed → SIGTERM → SIGKILL). */
export const DEFAULT_GRACE_MS = 2000;
/**
 * After the client closes its input, how long tool calls still being decided
 * (or waiting for a person) may take before the server's input is closed,
 * when the caller does not say: the approver's own default timeout and a
 * default grace. `thoth run` passes its `--approval-timeout` plus its
 * grace instead.
 */
export const DEFAULT_SETTLE_MS = DEFAULT_APPROVAL_TIMEOUT_MS + DEFAULT_GRACE_MS;
