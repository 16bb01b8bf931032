/**
 * Whether a value set where an id belongs (`THOTH_FLEET_ID`, the Intune and
 * Jamf device ids) is a key pasted in the wrong place: one of thoth's secret
 * detectors flags it (an AWS key id, a GitHub, GitLab, Slack or provider
 * token, a JWT…) and it holds a digit. An id is sent and shown, a key must
 * not be; but an id made of letters only (`ASIAPACIFICSOUTHEAST`, which has
 * an AWS key id's prefix and length) is taken for what it says it is: the
 * keys of every provider format thoth detects carry digits in practice.
 *
 * Loads the detectors, not the schema library: `thoth run`'s quick
 * environment check imports it only when an id looks random enough to be a
 * key (a hex device id, say), and keeps its fast path.
 *
 * @example
 * ```ts
 * flaggedAsKey("AKIAZ4XQ7M2PLK5RTS3B"); // true
 * flaggedAsKey("ASIAPACIFICSOUTHEAST"); // false: no digit
 * flaggedAsKey("2f1e6b0d7c334b1a9f0e1a2b3c4d5e6f"); // false: a hex device id
 * ```
 */
import { DETECTORS } from "../policy/detectors/detectors.ts";
import { digitCensus, meetsDigitNeed } from "../policy/detectors/digit_census.ts";

/** Why a key-shaped value is refused where an id belongs. */
export const KEY_IN_IDENTIFIER_RULE =
  "an id, not a key or token: thoth's key detectors flag this value as a credential, so it " +
  "is refused rather than shown or sent; set the real id (and if it is a key, revoke it: it " +
  "may have been exposed)";

/** The secret detectors of the policy engine, the ones a pasted key trips. */
const KEY_DETECTORS = DETECTORS.filter((detector) => detector.kind === "secret");

/** Whether `value`, set as an id, is a key (see the module's doc). */
export function flaggedAsKey(value: string): boolean {
  if (!/[0-9]/.test(value)) return false;
  const digits = digitCensus(value);
  return KEY_DETECTORS.some((detector) =>
    meetsDigitNeed(digits, detector.digits) && detector.detect(value, undefined)
  );
}
