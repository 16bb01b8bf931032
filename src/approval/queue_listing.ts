/**
 * The listing of the local approval queue (`thoth approvals list` and
 * `watch`): every request in the folder with its answer, its state now, and,
 * when a person's answer did not decide the call, what became of it. A
 * request that expired over {@linkcode FINAL_AFTER_MS} ago no longer
 * changes: its files are read once, and after that only looked at (`lstat`)
 * to see whether they changed.
 *
 * @example
 * ```ts
 * const items = await queue.list(); // through ApprovalQueue, which holds one QueueListing
 * ```
 */
import type { ApprovalQueue } from "./approval_queue.ts";
import type { QueueFolder } from "./queue_folder.ts";
import type { OpenAnswerFileOptions } from "./open_answer_file.ts";
import {
  fromEarlierRelease,
  type QueueAnswer,
  type QueueEntry,
  takesAnswerGiven,
} from "./queue_record.ts";
import {
  EARLIER_RELEASE_ANSWER_REASON,
  unreadableToEarlierRelease,
} from "./earlier_release_request.ts";
import type { WaiterWatch } from "./waiter_watch.ts";
import type { AnswerMacKey } from "./answer_mac.ts";
import type { LaterReleaseRequest } from "./later_release_request.ts";

/**
 * A request that expired this long ago no longer changes: its waiting thoth
 * closed it at its expiry (or is gone). {@linkcode QueueListing.list} reads
 * its files once, and then only looks whether they changed (`lstat`, no read).
 */
export const FINAL_AFTER_MS = 60_000;

/**
 * How often a lister looks again at an answer or outcome file with a second
 * link (see `open_answer_file.ts`): a queue writer's second link lasts only
 * between its link and its removal of the temp file, and the list decides
 * nothing (the waiting thoth looks more often before it refuses an answer).
 */
const LIST_LINK_TRIES = 3;

/** A request as listed: its entry, its answer if settled, and its state now. */
export interface QueueItem {
  entry: QueueEntry;
  answer: QueueAnswer | undefined;
  /**
   * Who wrote the answer, as the system says: the uid that owns its file
   * (null: unknown here, or the file is no answer); its `by` is a claim.
   */
  answerOwner?: number | null;
  /**
   * Why the file where the answer goes is no answer, as a sentence ("the
   * answer file is malformed: …"): a link, not a regular file, not a valid
   * answer, or a person's answer without a MAC made with this profile's key
   * (checked where the key can be read). The request is settled, refused;
   * `answer` is thoth's placeholder denial.
   */
  answerProblem?: string;
  /** `orphaned`: unanswered, and the thoth that asked is gone (see `waiter_watch.ts`). */
  state: "pending" | "settled" | "expired" | "orphaned";
  /**
   * What became of the call when a person's answer did not decide it:
   * `withdrawn`, the proxy says the call was cancelled (or its session
   * ended) before the answer was used (see {@linkcode ApprovalQueue.recordOutcome});
   * `misbound`, the proxy says it refused the answer, as given for another
   * call than the one it holds (a request file rewritten after it was
   * queued, see `answer_binding.ts`), or for none said, so the call did
   * not run; `refused`, the proxy says it refused the call the answer
   * approved (its approval could not be recorded in the audit log, or
   * marked taken), or the answer is for other arguments than the call's, which
   * thoth refuses, or it is of this release's form and the thoth that asked
   * is of an earlier release, which refuses it as malformed (and notes
   * nothing: see `earlier_release_request.ts`); `orphaned`, an approval its thoth never marked taken
   * (it runs an approved call only once it has) and that thoth is gone
   * (its pid, trusted here, no longer runs it). Absent when the answer
   * decided the call.
   */
  callFate?: {
    outcome: "withdrawn" | "misbound" | "refused" | "orphaned";
    reason: string;
    /**
     * What says so: the waiting thoth's outcome note (`waiting-thoth-note`,
     * a claim any process of this user could write), the digests of the
     * request and the answer (`digest-mismatch`), the missing taken marker
     * and the pid (`waiter-gone`), or the request's version and the
     * answer's form (`earlier-release`).
     */
    source: "waiting-thoth-note" | "digest-mismatch" | "waiter-gone" | "earlier-release";
  };
}

/** Why an answer for other arguments decided nothing, as the list says it. */
export const MISMATCH_REASON = "the answer does not match the call's arguments, so thoth " +
  "refused the call";

/**
 * Why an approval its thoth never marked taken decided nothing, as the list
 * says it: that thoth was killed before it took the answer in, or it could
 * not make the mark and so refused the call (see `AnswerTaken`).
 */
export const WAITER_GONE_REASON = "its thoth ended without marking it taken";

/** The listing of one queue folder, with what it found final so far. */
export class QueueListing {
  readonly #queue: ApprovalQueue;
  readonly #folder: QueueFolder;
  readonly #watch: WaiterWatch;
  readonly #now: () => number;
  /**
   * Requests {@linkcode list} found final (see {@linkcode FINAL_AFTER_MS}), by
   * request id, with what their files were then: listed again from here,
   * unread, while their files stay the same.
   */
  #final = new Map<string, { files: string; item: QueueItem }>();
  /**
   * The requests of a later release {@linkcode list} last found (see
   * `later_release_request.ts`): not listed as items, since this release
   * cannot read them, but counted, so a list is not "empty" while they wait.
   */
  #later: LaterReleaseRequest[] = [];

  constructor(queue: ApprovalQueue, folder: QueueFolder, watch: WaiterWatch, now: () => number) {
    this.#queue = queue;
    this.#folder = folder;
    this.#watch = watch;
    this.#now = now;
  }

  /**
   * Every request in the folder, oldest first; a person's answer is checked
   * by its MAC when `key` is given (see `answer_mac.ts`).
   */
  async list(key?: AnswerMacKey): Promise<QueueItem[]> {
    const items: QueueItem[] = [];
    const ids = await this.#folder.requestIds();
    const now = this.#now();
    const final = new Map<string, { files: string; item: QueueItem }>();
    const later: LaterReleaseRequest[] = [];
    for (const id of ids) {
      // What the request's files are now, before any is read: a change after it shows next time.
      // (A listing that could check MACs sees answers another could not: not the same.)
      const seen = await this.#filesNow(id);
      const files = seen === undefined ? undefined : `${seen}|${key === undefined ? "-" : "mac"}`;
      const known = this.#final.get(id);
      if (known !== undefined && files !== undefined && known.files === files) {
        final.set(id, known);
        items.push(known.item);
        continue;
      }
      const entry = await this.#queue.entry(id);
      if (entry === null) {
        const other = await this.#queue.laterReleaseEntry(id);
        if (other !== null) later.push(other);
        continue;
      }
      const item = await this.#listed(entry, now, key);
      if (files !== undefined && now - entry.expiresAt > FINAL_AFTER_MS) {
        final.set(id, { files, item });
      }
      items.push(item);
    }
    this.#final = final;
    this.#later = later;
    return items.sort((a, b) => a.entry.createdAt - b.entry.createdAt);
  }

  /** The requests of a later release the last {@linkcode list} found, oldest id first. */
  get later(): readonly LaterReleaseRequest[] {
    return this.#later;
  }

  /**
   * What the files of request `id` are (inode, size and time of each, or
   * none), as one string that changes when any of them does; undefined when
   * they cannot be looked at.
   */
  async #filesNow(id: string): Promise<string | undefined> {
    const kinds = ["request", "answer", "outcome"] as const;
    try {
      const seen = await Promise.all(kinds.map(async (kind) => {
        try {
          const info = await Deno.lstat(this.#folder.path(id, kind));
          return `${info.dev}:${info.ino}:${info.size}:${info.mtime?.getTime()}:${info.isFile}`;
        } catch (error) {
          if (error instanceof Deno.errors.NotFound) return "-";
          throw error;
        }
      }));
      return seen.join("|");
    } catch {
      return undefined;
    }
  }

  /** `entry` as listed at `now`: its answer, its state, and what became of its call. */
  async #listed(entry: QueueEntry, now: number, key?: AnswerMacKey): Promise<QueueItem> {
    const owned = await this.#queue.ownedAnswer(entry.id, {
      tries: LIST_LINK_TRIES,
      ...(key === undefined ? {} : { key }),
    });
    const answer = owned?.answer;
    const state = answer !== undefined
      ? "settled"
      : now > entry.expiresAt
      ? "expired"
      : await this.#watch.orphaned(entry)
      ? "orphaned"
      : "pending";
    const answerProblem = owned?.refused !== undefined
      ? `the answer file is not an answer: ${owned.refused}`
      : owned?.malformed !== undefined
      ? `the answer file is malformed: ${owned.malformed}`
      : owned?.unsigned !== undefined
      ? `the answer file is not signed: ${owned.unsigned}`
      : undefined;
    const callFate = answerProblem === undefined && answer !== undefined
      ? await this.#callFate(entry, answer, { tries: LIST_LINK_TRIES })
      : undefined;
    return {
      entry,
      answer,
      state,
      ...(owned ? { answerOwner: owned.ownerUid } : {}),
      ...(answerProblem === undefined ? {} : { answerProblem }),
      ...(callFate === undefined ? {} : { callFate }),
    };
  }

  /**
   * What became of the call `entry` asked about, when a person's `answer`
   * did not decide it (see {@linkcode QueueItem.callFate}).
   */
  async #callFate(
    entry: QueueEntry,
    answer: QueueAnswer,
    options: OpenAnswerFileOptions,
  ): Promise<QueueItem["callFate"]> {
    const person = answer.decision === "approve" || answer.decision === "session" ||
      answer.decision === "deny";
    if (!person) return undefined;
    if (answer.digest !== entry.digest) {
      return { outcome: "refused", reason: MISMATCH_REASON, source: "digest-mismatch" };
    }
    const outcome = await this.#queue.outcome(entry, options);
    if (outcome !== undefined) {
      return { outcome: outcome.outcome, reason: outcome.reason, source: "waiting-thoth-note" };
    }
    // A thoth of an earlier release refuses this release's answer as malformed, and says so
    // nowhere here: the request's version and the answer's form tell it.
    // So does one that takes no `given` (request version 2) an answer of version 3.
    const unread = fromEarlierRelease(entry)
      ? unreadableToEarlierRelease(answer)
      : !takesAnswerGiven(entry) && answer.v > 2;
    if (unread) {
      return {
        outcome: "refused",
        reason: EARLIER_RELEASE_ANSWER_REASON,
        source: "earlier-release",
      };
    }
    const approved = answer.decision === "approve" || answer.decision === "session";
    return approved && await this.#watch.approvalUnread(entry)
      ? { outcome: "orphaned", reason: WAITER_GONE_REASON, source: "waiter-gone" }
      : undefined;
  }
}

/** Why an orphaned request waits for no one, for a listing. */
export function describeOrphan(entry: QueueEntry): string {
  return `orphaned: the thoth that asked (pid ${entry.pid}) is gone`;
}
