/**
 * The records a writer takes in that nothing vouched for, and the
 * `tail_taken_in` record it writes first. A state file whose MAC verifies
 * (see `state_mac.ts`), and that matches the log, vouches for the records it
 * counts: the records past them were written by a thoth killed before it
 * counted them, or added by someone who can write the audit folder. A state
 * file without a valid MAC (an earlier release's, one stripped or forged,
 * one missing) vouches for nothing: only the last signed checkpoint does.
 * A killed writer's batch intent (see `pending_batch.ts`), built on the
 * state read, vouches for the records it names.
 * Either way the records are kept (a killed writer's must not be lost), and
 * the record says which they are before any checkpoint signs them. Pure.
 *
 * @example
 * ```ts
 * tailTakenIn(12, 14, PAST_THE_COUNT);
 * // { type: "tail_taken_in", firstSeq: 12, lastSeq: 13, count: 2, reason: "past the state file's count" }
 * ```
 */
import type { TailTakenInEvent } from "./record.ts";

/** How far a writer trusts the state file it read. */
export type StateTrust =
  /** The very text this writer last wrote there. */
  | "own"
  /** Its MAC verifies under this device's key. */
  | "mac"
  /** It carries no MAC (an earlier release's, or stripped), or it could not be read. */
  | "none"
  /** It carries a MAC that does not verify: forged, or written under another key. */
  | "bad";

/** The reason for records past the count of a state file whose MAC verified. */
export const PAST_THE_COUNT = "past the state file's count";

/**
 * The reason for records past the last signed checkpoint beside a state file
 * without a MAC: the first upgrade after an earlier release's session was
 * killed meets one, and so does a state file replaced by hand.
 */
export const NO_MAC = "the state file had no MAC (written by an earlier release, or replaced)";

/** The reason earlier builds of this release wrote for {@linkcode NO_MAC}. */
export const NO_MAC_BEFORE = "the state file had no MAC";

/** What a writer adds to a rebuild's reason when the state file's MAC did not verify. */
export const MAC_DID_NOT_VERIFY =
  "its MAC did not verify: no thoth holding this device's audit key wrote it";

/**
 * Why records past the last signed checkpoint were taken in when the state
 * file did not vouch for them (`readable`: the file could be parsed).
 */
export function untrustedReason(trust: StateTrust, readable: boolean): string {
  if (!readable) return "the state file was missing or damaged";
  if (trust === "bad") return "the state file's MAC did not verify";
  if (trust === "none") return NO_MAC;
  return "the state file did not match the log";
}

/**
 * The record a writer writes before chaining onto `size` records of which
 * only the first `vouched` were vouched for; `undefined` when all were.
 */
export function tailTakenIn(
  vouched: number,
  size: number,
  reason: string,
): TailTakenInEvent | undefined {
  if (size <= vouched) return undefined;
  return {
    type: "tail_taken_in",
    firstSeq: vouched,
    lastSeq: size - 1,
    count: size - vouched,
    reason,
  };
}
