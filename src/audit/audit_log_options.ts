/**
 * What opening the audit log takes (see `audit_log.ts`), and what its
 * appends and checkpoints hand back. Types only.
 *
 * @example
 * ```ts
 * const options: OpenAuditLogOptions = { thothHome: "/home/ana/.thoth", sync: "always" };
 * const receipt: AppendReceipt = await (await openAuditLog(options)).append(event);
 * ```
 */
import type { LockPatience } from "../platform/take_lock_patiently.ts";
import type { LockWaitEnd } from "./take_audit_lock.ts";

/** How to open the log. */
export interface OpenAuditLogOptions {
  thothHome: string;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
  /** `always`: fsync before each append resolves. Default: background sync every `syncIntervalMs`. */
  sync?: "default" | "always";
  /** Sign a checkpoint after this many records (default 1000). */
  checkpointEvery?: number;
  /** …or when this much time passed since the last one (default 60 s). */
  checkpointIntervalMs?: number;
  /**
   * A count-triggered checkpoint waits until this long after the previous one
   * (default 1 s): under heavy load, signing every N records would cost more
   * than it protects, and the records in between still reach the next one.
   */
  checkpointMinIntervalMs?: number;
  /** Start a new segment past this size (default 64 MiB); a new UTC day also starts one. */
  maxSegmentBytes?: number;
  /** Background sync period (default 100 ms). */
  syncIntervalMs?: number;
  /**
   * How long opening waits for the writers' lock before it fails with
   * `audit.locked` (default 10 s, see `take_audit_lock.ts`), and when it
   * says so on `note` (after 1 s): the wait never blocks the thread.
   */
  lockPatience?: LockPatience;
  /**
   * How long each batch waits for the lock another process holds, off the
   * thread (default 10 s, saying so after 1 s: see `audit_log_batch_lock.ts`).
   */
  batchLockPatience?: LockPatience;
  /** Where those waits' notes go (default: stderr, as `thoth: …`). */
  note?: (message: string) => void;
  /**
   * What ends those waits early, opening's and each batch's (a stop, the
   * client's input closed): then `audit.lock_wait_ended` (see
   * `take_audit_lock.ts`, `audit_log_batch_lock.ts`).
   */
  lockWaitEnd?: LockWaitEnd;
}

/** What an append produced. */
export interface AppendReceipt {
  seq: number;
  /** Leaf hash (hex) of the stored line. */
  leafHash: string;
}

/** A checkpoint just signed. */
export interface CheckpointReceipt {
  size: number;
  root: string;
  note: string;
}

/** A signing key rotated (see `rotateSigningKey`): the record that says so and the checkpoint the new key signed. */
export interface KeyRotationReceipt {
  /** The seq of the `key_rotation` record. */
  seq: number;
  /** `<name>+<key hash>` of the key replaced, and of the key that replaced it. */
  oldKey: string;
  newKey: string;
  checkpoint: CheckpointReceipt;
}
