/**
 * Whether a value set where an id belongs (`THOTH_TENANT_ID` and
 * `--tenant-id`, `--agent-id` and the agent id derived from a server command,
 * `THOTH_FLEET_ID`, the Intune and Jamf device ids) is a key pasted in the
 * wrong place: one of thoth's secret detectors flags it (an AWS key id, a
 * GitHub, GitLab, Slack or provider token, a JWT…), or it has a key's issuer
 * prefix in the issuer's own case with a random key body right after it
 * (`sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2`, `lin_api_…`, `fc-<32 hex>`), or is
 * thoth's own key (`aten_thoth_…`, whatever follows: see
 * `prefixedRandomKey`, the part of this test that loads no detector, which
 * `thoth run` checks its flags by). A name with such a prefix and words
 * after it (`sk-telecom`, `hf_InferenceEndpoint1`), or the prefix in another
 * case (`AsiaPacificFleet2024`, `asia-kb-3f2a1b9c8d7e6f5a`), is an id. An id is sent, shown, resolved in DNS and written
 * into the audit log for good, a key must not be; but an id of
 * capital letters only (`ASIAPACIFICSOUTHEAST`, which has an AWS key id's
 * prefix and length) is taken for what it says it is: an AWS key id is the
 * only format thoth detects that can be all capitals, and it holds a digit
 * in practice. A key of any other format is refused with or without digits
 * (a Google key `AIza…` with none is rare but possible).
 *
 * Loads the detectors, not the schema library: `thoth run`'s quick
 * environment check imports it only when an id looks random enough to be a
 * key (a hex device id, say), and keeps its fast path.
 *
 * @example
 * ```ts
 * flaggedAsKey("AKIAZ4XQ7M2PLK5RTS3B"); // true
 * flaggedAsKey("sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2"); // true: a key prefix and a random part
 * flaggedAsKey("aten_thoth_agent_prod_3f9a1c7e2b8d"); // true: thoth's own key format
 * flaggedAsKey("acme-prod"); // false
 * flaggedAsKey("123e4567-e89b-12d3-a456-426614174000"); // false: a UUID
 * flaggedAsKey("ASIAPACIFICSOUTHEAST"); // false: capitals only
 * flaggedAsKey("2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f"); // false: a hex device id
 * flaggedAsKey("AsiaPacificFleet2024"); // false: AWS issues `ASIA` in capitals
 * ```
 */
import { DETECTORS } from "../policy/detectors/detectors.ts";
import { digitCensus, meetsDigitNeed } from "../policy/detectors/digit_census.ts";
import { hidden, KEY_IN_IDENTIFIER_RULE, prefixedRandomKey } from "./shown_env_value.ts";

export { KEY_IN_IDENTIFIER_RULE };

/** The secret detectors of the policy engine, the ones a pasted key trips. */
const KEY_DETECTORS = DETECTORS.filter((detector) => detector.kind === "secret");

/** An id of capital letters only: never taken for a key (see the module's doc). */
export const CAPITALS_ONLY = /^[A-Z]+$/;

/** Whether `value`, set as an id, is a key (see the module's doc). */
export function flaggedAsKey(value: string): boolean {
  if (CAPITALS_ONLY.test(value)) return false;
  if (prefixedRandomKey(value)) return true;
  const digits = digitCensus(value);
  return KEY_DETECTORS.some((detector) =>
    meetsDigitNeed(digits, detector.digits) && detector.detect(value, undefined)
  );
}

/**
 * `value` (a server's name in a client config, an id) as `wrap-config` and
 * `thoth status` show it: as written, or by fingerprint when it is a key
 * ({@linkcode flaggedAsKey}, what `thoth run` refuses as an id).
 *
 * @example
 * ```ts
 * shownUnlessKey("pg-asia-east"); // "pg-asia-east"
 * shownUnlessKey("ghp_R8x2Kq7LmN4pZ9tW3vY6bC1dF5hJ0sA2eG7k");
 * // "(value hidden: it looks like a key or token, fingerprint …)"
 * ```
 */
export function shownUnlessKey(value: string): string {
  return flaggedAsKey(value) ? hidden(value) : value;
}
