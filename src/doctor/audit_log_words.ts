/**
 * What `thoth doctor` and `thoth health` say of the audit log they found
 * sound, in parts: the state file's MAC (see `state_mac_check.ts`), how far
 * the chain of the newest records was followed (see `recent_chain.ts`), and
 * the records past the state's count (see `check_log_end.ts`). And what
 * they say of a state file whose MAC does not verify, which they do not
 * search further: an earlier release's writer leaves one too (a warning in
 * `thoth audit verify`, which looks for the earlier state), so it is not
 * called tampering here. Pure.
 *
 * @example
 * ```ts
 * chainWords({ checked: 1000, limited: false, problem: undefined });
 * // "the log's end matches its state and its last 1,000 record(s) chain (not a full verify)"
 * ```
 */
import type { PastCount } from "../audit/check_log_end.ts";
import type { RecentChain } from "../audit/recent_chain.ts";
import { RECENT_CHAIN_BYTES } from "../audit/recent_chain.ts";
import type { StateMacCheck } from "../audit/state_mac_check.ts";
import { groupDigits } from "../size_text.ts";

/** The message of a state file whose MAC does not verify. */
export const STATE_MAC_FAILED = "the audit state's MAC does not verify (an edited state file, " +
  "or an earlier thoth release wrote the log)";

/** The hint that goes with {@linkcode STATE_MAC_FAILED}. */
export const STATE_MAC_FAILED_HINT = 'run "thoth audit verify": it tells a state file an ' +
  "earlier release wrote (state_mac_stale, a warning) from one edited (state_mac_failed, " +
  "tampering)";

/**
 * What was checked of the state file's MAC, for a log of `size` records
 * whose MAC did not fail: it verifies, or was not checked (and why).
 * Undefined for an empty log's state without a MAC (one made before the keys).
 */
export function stateMacWords(check: StateMacCheck, size: number): string | undefined {
  switch (check.outcome) {
    case "verified":
      return "the audit state's MAC verifies";
    case "not_checked":
      return `the audit state's MAC was not checked (${check.detail})`;
    case "absent":
    case "removed":
      return size === 0 ? undefined : "the audit state carries no MAC, so none was checked " +
        "(an earlier release's state file, or its MAC was taken out)";
    default:
      return `the audit state's MAC was not checked (${check.detail ?? check.outcome})`;
  }
}

/**
 * That the log's end matches its state, and how far the newest records were
 * followed: "chain" only when two records or more were, and the byte limit
 * named when it stopped the check short of the records it looks at.
 */
export function chainWords(chain: RecentChain): string {
  const matches = "the log's end matches its state";
  const mib = `${RECENT_CHAIN_BYTES / 1024 ** 2} MiB`;
  if (chain.checked >= 2) {
    return `${matches} and its last ${groupDigits(chain.checked)} record(s) chain (${
      chain.limited ? `limited to the last ${mib}; ` : ""
    }not a full verify)`;
  }
  if (chain.limited) {
    return `${matches}; no chain was followed: the last ${mib} hold ${
      chain.checked === 0 ? "no whole record" : "one record"
    } (not a full verify)`;
  }
  return `${matches} (not a full verify)`;
}

/**
 * The records past the state's count, or undefined when there are none:
 * said, never a failure (a session writes them before its state).
 */
export function pastWords(past: PastCount | undefined): string | undefined {
  if (past === undefined) return undefined;
  const what = past.records === 0
    ? "part of a record"
    : `${groupDigits(past.records)}${past.unread ? " or more" : ""} record(s)${
      past.partial ? " and part of one" : ""
    }`;
  return `${what} past the state's count: a session is writing, or the state file is old`;
}
