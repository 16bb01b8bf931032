/**
 * `queueApprover()`: who answered a queued approval, as the audit records
 * it. An answer file says who wrote it (`by`), but anything running as a
 * user who may write in the queue can write any name there: the approver is
 * the account that owns the file, by its uid (named as the waiting thoth's
 * own user, resolved by uid and the password file, when the uids match; else
 * by the password file where it can be read, else as `uid N`). The name the
 * file gives is kept only when it differs, and then marked as a claim. Where
 * the system has no uids (Windows), the claim is all there is, and it is
 * marked so. The owner counts only for a file of its own: the queue refuses
 * an answer file that is a symbolic link or has more than one link (see
 * `open_answer_file.ts`), since linking another user's writable file into
 * the queue would otherwise name that user. Pure: the password file's
 * lookup is passed in.
 *
 * @example
 * ```ts
 * queueApprover({ claimed: "ana", ownerUid: 1000, ownUid: 1000, ownName: "ana" }); // "ana"
 * queueApprover({ claimed: "ceo", ownerUid: 1000, ownUid: 1000, ownName: "ana" });
 * // 'ana (the answer file claims "ceo")'
 * ```
 */
import { displayText } from "./display_text.ts";

/** What {@linkcode queueApprover} weighs. */
export interface QueueAnswerer {
  /** The `by` of the answer file: what its writer claims. */
  claimed: string;
  /**
   * The uid that owns the answer file, read through the handle of a file with
   * one link that is no symbolic link; null where the system has none.
   */
  ownerUid: number | null;
  /** The uid of the waiting thoth (that owns its request file); null when unknown. */
  ownUid: number | null;
  /** The waiting thoth's own user, resolved by uid and the password file; absent when unknown. */
  ownName?: string | undefined;
  /** The password file's name for a uid, where it can be read. */
  nameOf?: (uid: number) => string | undefined;
}

/** The approver of a queue answer, for the audit and the model. */
export function queueApprover(answerer: QueueAnswerer): string {
  const claim = displayText(answerer.claimed, 64);
  const { ownerUid } = answerer;
  if (ownerUid === null) return `${claim} (claimed by the answer file; its owner is unknown here)`;
  const named = ownerUid === answerer.ownUid && answerer.ownName !== undefined
    ? answerer.ownName
    : answerer.nameOf?.(ownerUid);
  const who = named === undefined || named === "" ? `uid ${ownerUid}` : displayText(named, 64);
  return claim === who || claim === "" ? who : `${who} (the answer file claims "${claim}")`;
}
