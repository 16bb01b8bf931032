/**
 * The default wait for a person: 45 s. Clients give up on a request after
 * their own timeout (the official MCP SDKs after 60 s, unless progress resets
 * it), and the model must hear thoth's answer (timed out, denied), not the
 * client's `-32001`: the wait ends well before, leaving time for the answer.
 * Its own module, so `thoth run`'s flag reader takes it without the approver.
 *
 * @example
 * ```ts
 * const timeoutMs = flags.approvalTimeoutSec * 1000 || DEFAULT_APPROVAL_TIMEOUT_MS;
 * ```
 */

/** The default approval timeout, in milliseconds. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 45_000;

/** The longest approval timeout `--approval-timeout` accepts, in seconds. */
export const MAX_APPROVAL_TIMEOUT_S = 3600;
