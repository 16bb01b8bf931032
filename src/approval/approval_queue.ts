/**
 * The local approval queue under `<thothHome>/approvals/`: one JSON file per
 * request, written atomically, and one answer file per request, created by
 * hard-linking a complete temp file into place (see `queue_folder.ts`). The
 * link fails if an answer exists, so the first settler wins and every later
 * one (another `thoth approvals` process, or the proxy marking its own
 * timeout) learns who did: safe with any number of thoth processes on the
 * machine. An answer file that is a symbolic link or keeps a second link is
 * no answer (see `open_answer_file.ts`): its owner need not have written it.
 * A person's answer is signed: {@linkcode ApprovalQueue.settle} makes its
 * MAC with the profile's key before it links the answer, and the waiting
 * thoth refuses an answer without one (see `answer_mac.ts`).
 * The waiting thoth refreshes its request file's time while it waits
 * ({@linkcode ApprovalQueue.refresh}), and marks an answer it read, acted
 * on and recorded with a file of its own ({@linkcode ApprovalQueue.markTaken},
 * for pruning; it runs no approved call it could not mark); a request whose
 * thoth is gone is `orphaned` (see `waiter_watch.ts`): listed as such (see
 * `queue_listing.ts`), and refused an answer, since nothing would read it.
 * A person's approval its thoth never marked taken (and that thoth is gone)
 * is listed as such: the call did not run.
 *
 * @example
 * ```ts
 * const queue = new ApprovalQueue("/home/ana/.thoth/approvals");
 * const entry = await queue.submit({ ...facts, expiresAt: Date.now() + 60_000 });
 * await queue.settle(entry.id, { decision: "approve", by: "ana" });
 * ```
 */
import { AppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import type { OpenAnswerFileOptions } from "./open_answer_file.ts";
import { type AnswerMacKey, answerMacName } from "./answer_mac.ts";
import { readAnswerKey } from "./read_answer_key.ts";
import {
  fromEarlierRelease,
  parseQueueEntry,
  parseQueueOutcome,
  QUEUE_ANSWER_VERSION,
  QUEUE_ID,
  QUEUE_ID_ALPHABET,
  QUEUE_ID_LENGTH,
  QUEUE_REQUEST_VERSION,
  type QueueAnswer,
  type QueueEntry,
  type QueueOutcome,
  type QueueOutcomeKind,
} from "./queue_record.ts";
import { settledAnswer, type Settlement } from "./settlement.ts";
import {
  alreadySettled,
  answerRefused,
  expiredRequest,
  orphanedRequest,
  sessionNotOffered,
  unknownRequest,
} from "./settle_refusals.ts";
import { probeHostIdentity } from "./host_identity.ts";
import { waiterAlive } from "./waiter_alive.ts";
import { answerFileOpener, QueueFolder } from "./queue_folder.ts";
import { type AnswerReadOptions, type OwnedAnswer, readOwnedAnswer } from "./read_owned_answer.ts";
import { type HostCheck, type WaiterCheck, WaiterWatch } from "./waiter_watch.ts";
import { type QueueItem, QueueListing } from "./queue_listing.ts";
import { earlierReleaseRefusal } from "./earlier_release_request.ts";
import {
  laterReleaseRefusal,
  type LaterReleaseRequest,
  laterReleaseRequest,
} from "./later_release_request.ts";

/** How often {@linkcode ApprovalQueue.markTaken} tries to make a marker before it gives up. */
export const MARK_TRIES = 3;

/** How long it waits between those tries, in milliseconds. */
const MARK_RETRY_MS = 100;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(QUEUE_ID_LENGTH));
  return Array.from(bytes, (b) => QUEUE_ID_ALPHABET[b % QUEUE_ID_ALPHABET.length]).join("");
}

/** One approvals directory. */
export class ApprovalQueue {
  readonly dir: string;
  /** The profile folder the queue is in (`dir`'s parent), whose keys check its answers. */
  readonly thothHome: string;
  readonly #now: () => number;
  #signingKey: Promise<AnswerMacKey> | undefined;
  readonly #folder: QueueFolder;
  readonly #watch: WaiterWatch;
  readonly #listing: QueueListing;

  constructor(
    dir: string,
    now: () => number = Date.now,
    alive: WaiterCheck = waiterAlive,
    host: HostCheck = probeHostIdentity,
  ) {
    this.dir = dir;
    this.thothHome = parentFolder(dir);
    this.#now = now;
    this.#folder = new QueueFolder(dir);
    this.#watch = new WaiterWatch(this.#folder, now, alive, host);
    this.#listing = new QueueListing(this, this.#folder, this.#watch, now);
  }

  /**
   * The queue of a profile directory. Its answers are signed with the
   * profile's key as `thoth approvals` reads it (see `read_answer_key.ts`).
   */
  static forHome(
    thothHome: string,
    now?: () => number,
    alive?: WaiterCheck,
    host?: HostCheck,
  ): ApprovalQueue {
    return new ApprovalQueue(joinPath(thothHome, "approvals"), now, alive, host);
  }

  /**
   * The waiting thoth read the answer to `id`, acted on it, and wrote the
   * approval record that names it (the channel's `taken`, called by the
   * session's audit once that record is written): `<id>.taken` is made,
   * once, as answers are (a complete 0600 file linked into place in the
   * private queue folder); something already at its path counts as made.
   * Pruning removes a request with a person's answer only once this marker
   * is there (see `prune_queue.ts`), and the listing says of an approval
   * without it, whose thoth is gone, that its call did not run (see
   * `waiter_watch.ts`); nothing else writes it, unlike the request file's
   * time, which {@linkcode refresh} moves while the thoth waits. A marker
   * that cannot be made (a full disk, a folder no longer writable) is tried
   * {@linkcode MARK_TRIES} times, then the failure is thrown: the session
   * does not run a call whose approval it could not mark.
   */
  async markTaken(id: string): Promise<void> {
    if (!QUEUE_ID.test(id)) return;
    for (let attempt = 1;; attempt++) {
      try {
        const marker = { v: 1, id, at: this.#now() };
        await this.#folder.createExclusive(this.#folder.path(id, "taken"), marker);
        return;
      } catch (error) {
        if (attempt >= MARK_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, MARK_RETRY_MS));
      }
    }
  }

  /** The waiting thoth is still there: the request file's time says so (see `waiter_watch.ts`). */
  async refresh(id: string): Promise<void> {
    const at = new Date(this.#now());
    await Deno.utime(this.#folder.path(id, "request"), at, at).catch(() => {});
  }

  /**
   * Why the queue folder cannot be used, when something that is no folder
   * stands in its place (a file, a device, or a file above it); undefined
   * when it is a folder or not there yet.
   */
  folderProblem(): Promise<AppError | undefined> {
    return this.#folder.folderProblem();
  }

  /**
   * The uid that owns request `id`'s file: the user of the thoth that queued
   * it (null where the system has no uids, or the file is gone).
   */
  async requestOwner(id: string): Promise<number | null> {
    try {
      return (await Deno.stat(this.#folder.path(id, "request"))).uid;
    } catch {
      return null;
    }
  }

  /** Adds a request; returns it with its new id. */
  async submit(facts: Omit<QueueEntry, "v" | "id" | "createdAt">): Promise<QueueEntry> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const entry: QueueEntry = {
        v: QUEUE_REQUEST_VERSION,
        id: randomId(),
        createdAt: this.#now(),
        ...facts,
      };
      if (await this.#folder.createExclusive(this.#folder.path(entry.id, "request"), entry)) {
        return entry;
      }
    }
    throw new AppError("approval.queue_write_failed", "cannot find a free approval id");
  }

  /** The request with `id`, or null. */
  async entry(id: string): Promise<QueueEntry | null> {
    if (!QUEUE_ID.test(id)) return null;
    const value = await this.#folder.readJson(this.#folder.path(id, "request"));
    const entry = value === undefined ? null : parseQueueEntry(value);
    return entry !== null && entry.id === id ? entry : null;
  }

  /**
   * Request `id` as a later release queued it (a version this release does
   * not read: see `later_release_request.ts`), or null.
   */
  async laterReleaseEntry(id: string): Promise<LaterReleaseRequest | null> {
    if (!QUEUE_ID.test(id)) return null;
    const value = await this.#folder.readJson(this.#folder.path(id, "request"));
    return value === undefined ? null : laterReleaseRequest(value, id);
  }

  /**
   * The requests of a later release the last {@linkcode list} found: not
   * among its items, since this release cannot read them.
   */
  laterRequests(): readonly LaterReleaseRequest[] {
    return this.#listing.later;
  }

  /** The answer to `id`, if one was written (and is well formed). */
  async answer(id: string): Promise<QueueAnswer | undefined> {
    return (await this.ownedAnswer(id))?.answer;
  }

  /**
   * The answer to `id` with the uid that owns its file: who wrote it, as the
   * system says (its `by` is only what the writer claims). A link, a file
   * that is no valid answer, or (read with `options.key`) a person's answer
   * without its MAC is no answer: it comes back `refused`, `malformed` or
   * `unsigned`, and still settles the request, as a denial (see
   * `read_owned_answer.ts`). `options` also say how often a file with a
   * second link is looked at again.
   */
  ownedAnswer(id: string, options: AnswerReadOptions = {}): Promise<OwnedAnswer | undefined> {
    return readOwnedAnswer(this.#folder, id, options);
  }

  /**
   * The proxy's record of what became of `entry`'s call (see
   * {@linkcode recordOutcome}), when there is a valid one for this request
   * and its arguments. A link, a file with another link (looked at again
   * as `options` say), a file over `QUEUE_FILE_LIMIT`, or anything
   * else that is no such record counts as none: the listing then says only
   * what the answer says.
   */
  async outcome(
    entry: QueueEntry,
    options: OpenAnswerFileOptions = {},
  ): Promise<QueueOutcome | undefined> {
    const path = this.#folder.path(entry.id, "outcome");
    let read: { value: unknown; refused?: string };
    try {
      read = await this.#folder.readOwned(path, answerFileOpener(options));
    } catch {
      return undefined;
    }
    if (read.refused !== undefined || read.value === undefined) return undefined;
    const outcome = parseQueueOutcome(read.value);
    return outcome !== null && outcome.id === entry.id && outcome.digest === entry.digest
      ? outcome
      : undefined;
  }

  /**
   * Records, next to request `id`, that a person's answer did not decide
   * its call: the call was withdrawn first, or (`misbound`) the answer was
   * refused as given for another call (`reason` says how). Written once,
   * as an answer is; a record already there stands.
   */
  async recordOutcome(
    id: string,
    digest: string,
    reason: string,
    kind: QueueOutcomeKind = "withdrawn",
  ): Promise<void> {
    const outcome: QueueOutcome = {
      v: 1,
      id,
      digest,
      outcome: kind,
      reason: reason.slice(0, 500),
      at: this.#now(),
    };
    await this.#folder.createExclusive(this.#folder.path(id, "outcome"), outcome);
  }

  /**
   * Every request in the directory, oldest first (see `queue_listing.ts`);
   * a person's answer is checked by its MAC when the profile's key can be
   * read here.
   */
  async list(): Promise<QueueItem[]> {
    return await this.#listing.list(await this.#signingKeyNow().catch(() => undefined));
  }

  /**
   * Settles `id` as a person (approve, session, deny). Throws
   * `approval.unknown_id`, `approval.later_release` (queued by a later
   * release, whose request this one cannot read: see
   * `later_release_request.ts`), `approval.earlier_release` (a thoth of an
   * earlier release waits on it, and would refuse this release's answer:
   * see `earlier_release_request.ts`), `approval.expired`, `approval.orphaned`,
   * `approval.already_settled` or `approval.answer_refused` (a link stands
   * where its answer goes, see {@linkcode ApprovalQueue.ownedAnswer}).
   */
  async settle(id: string, settlement: Settlement): Promise<QueueAnswer> {
    const problem = await this.#folder.folderProblem();
    if (problem !== undefined) throw problem;
    const entry = await this.entry(id);
    if (entry === null) {
      // Queued by a later release: named as such, not as "no request".
      const later = await this.laterReleaseEntry(id);
      if (later !== null) throw laterReleaseRefusal(later);
      throw unknownRequest(id, this.dir);
    }
    // Its thoth would refuse this answer as malformed and run nothing: no answer, not a pretence.
    if (fromEarlierRelease(entry)) throw earlierReleaseRefusal(entry);
    if (settlement.decision === "session" && !entry.allowSession) {
      throw sessionNotOffered(id);
    }
    const now = this.#now();
    if ((await this.answer(id)) === undefined && await this.#watch.orphaned(entry, true)) {
      throw orphanedRequest(entry);
    }
    if (
      now > entry.expiresAt &&
      (settlement.decision === "approve" || settlement.decision === "session")
    ) {
      throw expiredRequest(id);
    }
    const answer = settledAnswer(entry, settlement, now);
    // Signed before anything is written: a waiting thoth refuses an answer without its MAC.
    const key = await this.#signingKeyNow();
    // The MAC first, then the answer: whoever sees the answer finds its MAC beside it. A MAC
    // left by an answer that lost the race proves nothing of the one that won (pruning clears it).
    await this.#folder.createExclusive(joinPath(this.dir, answerMacName(id, key.mac(answer))), {
      v: 1,
      id,
    });
    if (await this.#folder.createExclusive(this.#folder.path(id, "answer"), answer)) return answer;
    const owned = await this.ownedAnswer(id, { key });
    if (
      owned?.refused !== undefined || owned?.malformed !== undefined ||
      owned?.unsigned !== undefined
    ) {
      throw answerRefused(id, owned.answer.reason);
    }
    throw alreadySettled(id, owned?.answer);
  }

  /**
   * The key answers are signed with (see `read_answer_key.ts`), read once;
   * a failed read is tried again next time.
   */
  #signingKeyNow(): Promise<AnswerMacKey> {
    const reading = this.#signingKey ??= readAnswerKey(this.thothHome);
    reading.catch(() => {
      if (this.#signingKey === reading) this.#signingKey = undefined;
    });
    return reading;
  }

  /**
   * Closes `id` on the proxy's side (it timed out or the call was cancelled).
   * Returns the answer that stands: the proxy's own, or a person's that won.
   */
  async close(id: string, decision: "expired" | "withdrawn", digest: string): Promise<QueueAnswer> {
    const answer: QueueAnswer = {
      v: QUEUE_ANSWER_VERSION,
      id,
      digest,
      decision,
      by: "thoth",
      at: this.#now(),
    };
    if (await this.#folder.createExclusive(this.#folder.path(id, "answer"), answer)) return answer;
    return (await this.answer(id)) ?? answer;
  }
}

/** The folder `dir` is in. */
function parentFolder(dir: string): string {
  const trimmed = dir.replace(/[\\/]+$/, "");
  const at = Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\"));
  return at <= 0 ? trimmed.slice(0, at + 1) || "." : trimmed.slice(0, at);
}
