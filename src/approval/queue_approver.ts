/**
 * `queueApprover()`: who answered a queued approval, as the audit records
 * it. An answer file says who wrote it (`by`), but anything running as a
 * user who may write in the queue can write any name there: the approver is
 * the account that owns the file, by its uid: named as the waiting thoth's
 * own user (resolved by uid and the password file) when the uids match, else
 * as `uid N` whoever reads it (the sandboxed core cannot read the password
 * file, `thoth approvals` can: both must name the same approver). The name
 * the file gives is kept only when it differs, and then marked as a claim.
 * {@linkcode listedApprover} adds the password file's name of another uid
 * for a person reading the list (`uid 65534 (nobody)`). Where
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
 * queueApprover({ claimed: "ana", ownerUid: 65534, ownUid: 1000, ownName: "ana" });
 * // 'uid 65534 (the answer file claims "ana")'
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
  /**
   * The password file's name for a uid, where it can be read: the waiting
   * thoth's own user's when `ownName` is unknown; another uid's only in
   * {@linkcode listedApprover}, beside the uid.
   */
  nameOf?: (uid: number) => string | undefined;
}

/** The approver of a queue answer, for the audit and the model. */
export function queueApprover(answerer: QueueAnswerer): string {
  return approverWords(answerer, false);
}

/**
 * The approver of a queue answer as `thoth approvals list` shows it: the
 * same as {@linkcode queueApprover} (so the list and the audit name one
 * approver), with the password file's name of another uid added where it
 * can be read: `uid 65534 (nobody; the answer file claims "alice")`.
 *
 * @example
 * ```ts
 * listedApprover({ claimed: "", ownerUid: 65534, ownUid: 1000, nameOf: () => "nobody" });
 * // "uid 65534 (nobody)"
 * ```
 */
export function listedApprover(answerer: QueueAnswerer): string {
  return approverWords(answerer, true);
}

function approverWords(answerer: QueueAnswerer, withAccount: boolean): string {
  const claim = displayText(answerer.claimed, 64);
  const { ownerUid } = answerer;
  if (ownerUid === null) return `${claim} (claimed by the answer file; its owner is unknown here)`;
  // The waiting thoth's own user by the name it was given (resolved by uid
  // outside the sandbox), or the password file's; any other uid as a uid.
  const own = ownerUid === answerer.ownUid;
  const ownName = own ? answerer.ownName ?? answerer.nameOf?.(ownerUid) : undefined;
  const who = ownName !== undefined && ownName !== ""
    ? displayText(ownName, 64)
    : `uid ${ownerUid}`;
  const account = own || !withAccount ? undefined : answerer.nameOf?.(ownerUid);
  const notes = [
    ...(account === undefined || account === "" ? [] : [displayText(account, 64)]),
    ...(claim === who || claim === "" ? [] : [`the answer file claims "${claim}"`]),
  ];
  return notes.length === 0 ? who : `${who} (${notes.join("; ")})`;
}
