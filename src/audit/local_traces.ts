/**
 * What the device's own files say beside its audit log, for a local
 * verification (not a bundle): the writer's state file as a witness, when the
 * first signing key was made, whether the state's MAC verifies, and the
 * writer's intent in `.pending`. `witness_findings.ts` judges them. Pure.
 *
 * @example
 * ```ts
 * const local: LocalTraces = {
 *   dir: "audit", stateSource: ".state.json", state: "missing", keysCreated: null,
 * };
 * ```
 */
import type { StateWitness } from "./state_witness.ts";
import type { PendingBatch } from "./pending_batch.ts";

/** What the device's files say beside its log (a local verification, not a bundle). */
export interface LocalTraces {
  /** The audit folder, for messages. */
  dir: string;
  /** The state file's name, for messages. */
  stateSource: string;
  /**
   * What the writer's state file says, or that there is none, that it is
   * empty, or that it cannot be read. A writer makes the state file counting
   * no records together with the keys, so an empty one is no writer's doing.
   */
  state: StateWitness | "missing" | "empty" | "unreadable";
  /** Why an "unreadable" state file could not be read ("it is not a regular file"). */
  stateProblem?: string;
  /**
   * When the device's first signing key was created; null when there is no
   * key. A writer makes the keys, the audit folder and the state file
   * together, and thoth removes none of them.
   */
  keysCreated: string | null;
  /**
   * The state file's MAC verifies under this device's audit key: its count
   * vouches for the records it counts, and records past it need a writer's
   * intent to vouch for them (see `past_the_count.ts`).
   */
  stateMacVerified?: boolean;
  /** The writer's intent in `.pending` (see `pending_batch.ts`), when its MAC verifies. */
  pending?: PendingBatch;
}
