/**
 * What `thoth run` says at its start when `--approval-timeout` is long
 * enough for the MCP client to give up first. The official MCP SDKs end a
 * request after 60 s (unless progress resets their timer, which a client
 * must ask for): a call still waiting for a person then fails in the
 * client with `Request timed out` (MCP error -32001), so the model never
 * hears thoth's answer (denied, timed out). A client that then cancels the
 * call withdraws it (it never runs, even if someone approves it later);
 * after one that does not, a later approval runs a call whose result no one
 * reads. The 45 s default ends the wait well before. Pure.
 *
 * @example
 * ```ts
 * approvalTimeoutWarning(45);  // undefined
 * approvalTimeoutWarning(600); // '--approval-timeout 600 is 55 s or more: …'
 * ```
 */

/** From this many seconds on, the client may give up on a call before thoth's wait ends. */
export const CLIENT_MAY_GIVE_UP_SEC = 55;

/** The warning for an approval timeout of `seconds`, or undefined when it is short enough. */
export function approvalTimeoutWarning(seconds: number): string | undefined {
  if (seconds < CLIENT_MAY_GIVE_UP_SEC) return undefined;
  return `--approval-timeout ${seconds} is ${CLIENT_MAY_GIVE_UP_SEC} s or more: MCP clients ` +
    "built on the official SDKs give up on a request after 60 s (unless progress resets " +
    "their timer), so a call still waiting for a person fails first in the client, with " +
    '"Request timed out" (MCP error -32001) instead of thoth\'s answer; a client that then ' +
    "cancels the call withdraws it (it does not run, even if someone approves it later), " +
    "and after one that does not, a later approval runs a call whose result no one reads; " +
    `keep it under ${CLIENT_MAY_GIVE_UP_SEC} s (the default is 45 s) unless the client waits longer`;
}
