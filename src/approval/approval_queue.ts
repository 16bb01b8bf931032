/**
 * The local approval queue under `<thothHome>/approvals/`: one JSON file per
 * request, written atomically, and one answer file per request, created by
 * hard-linking a complete temp file into place. The link fails if an answer
 * exists, so the first settler wins and every later one (another
 * `thoth approvals` process, or the proxy marking its own timeout) learns
 * who did: safe with any number of thoth processes on the machine. An
 * answer file that is a symbolic link or keeps a second link is no answer
 * (see `open_answer_file.ts`): its owner need not have written it. The
 * waiting thoth refreshes its request file's time while it waits
 * ({@linkcode ApprovalQueue.refresh}), and marks an answer it read, acted
 * on and recorded with a file of its own ({@linkcode ApprovalQueue.markTaken},
 * for pruning); a request whose thoth is gone is
 * `orphaned`: listed as such, and refused an answer, since nothing would
 * read it. Gone means: its pid no longer runs or runs a later process (see
 * `waiterAlive`), where the pid can be trusted (the request records the same
 * PID namespace and boot as the reader's, see `host_identity.ts`): at once
 * for a person answering, once the file went quiet for a listing; anywhere
 * else (another namespace, a container that shares the profile, another
 * boot, or either unknown) the pid may name some other process, and the
 * file's quiet time alone decides, over the longer
 * {@linkcode ORPHAN_UNVERIFIED_QUIET_MS}. A person's approval its thoth never
 * took (no taken marker, and that thoth is gone) is listed as such: the call
 * did not run.
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
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";
import { FileOverLimitError, readToEnd } from "../platform/read_regular_file.ts";
import { openAnswerFile, type OpenAnswerFileOptions } from "./open_answer_file.ts";
import { answerFileProblem } from "./answer_file_problem.ts";
import {
  parseQueueAnswer,
  parseQueueEntry,
  parseQueueOutcome,
  QUEUE_FILE_LIMIT,
  QUEUE_ID,
  QUEUE_ID_ALPHABET,
  QUEUE_ID_LENGTH,
  type QueueAnswer,
  type QueueDecision,
  type QueueEntry,
  type QueueOutcome,
  TAKEN_SUFFIX,
} from "./queue_record.ts";
import { type HostIdentity, probeHostIdentity } from "./host_identity.ts";
import { waiterAlive } from "./waiter_alive.ts";
import { toHex } from "../audit/encoding.ts";

/** Whether the process `pid` that queued a request at `createdAt` still runs; undefined: unknown. */
export type WaiterCheck = (
  pid: number,
  createdAt: number,
) => boolean | undefined | Promise<boolean | undefined>;

/** How often a waiting thoth refreshes its request file's time. */
export const REFRESH_MS = 1_000;
/**
 * A request counts as orphaned only once its file went this long without a
 * refresh, as well as its pid being gone: a pid alone can mislead (a thoth in
 * another PID namespace, a container sharing the profile, is invisible here).
 */
export const ORPHAN_QUIET_MS = 3 * REFRESH_MS;
/**
 * Where the request's pid cannot be trusted (see `host_identity.ts`), a
 * request counts as orphaned once its file went this long without a refresh,
 * whatever its pid: a waiting thoth refreshes it every second.
 */
export const ORPHAN_UNVERIFIED_QUIET_MS = 15 * REFRESH_MS;

/** The reader's own PID namespace and boot (see `host_identity.ts`). */
export type HostCheck = () => HostIdentity | Promise<HostIdentity>;

/**
 * A request that expired this long ago no longer changes: its waiting thoth
 * closed it at its expiry (or is gone). {@linkcode ApprovalQueue.list} reads
 * its files once, and then only looks whether they changed (`lstat`, no read).
 */
export const FINAL_AFTER_MS = 60_000;

const encoder = new TextEncoder();

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
   * answer file is malformed: …"): a link, not a regular file, or not a
   * valid answer. The request is settled, refused; `answer` is thoth's
   * placeholder denial.
   */
  answerProblem?: string;
  /** `orphaned`: unanswered, and the thoth that asked is gone (see `waiterAlive`). */
  state: "pending" | "settled" | "expired" | "orphaned";
  /**
   * What became of the call when a person's answer did not decide it:
   * `withdrawn`, the proxy says the call was cancelled (or its session
   * ended) before the answer was used (see {@linkcode ApprovalQueue.recordOutcome});
   * `refused`, the answer is for other arguments than the call's, which
   * thoth refuses; `orphaned`, an approval its thoth never took (no taken
   * marker) because that thoth is gone (its pid, trusted here, no longer
   * runs it). Absent when the answer decided the call.
   */
  callFate?: { outcome: "withdrawn" | "refused" | "orphaned"; reason: string };
}

/** Why an answer for other arguments decided nothing, as the list says it. */
export const MISMATCH_REASON = "the answer does not match the call's arguments, so thoth " +
  "refused the call";

/** Why an approval its thoth never took decided nothing, as the list says it. */
export const WAITER_GONE_REASON = "its thoth was gone";

/**
 * An answer as the waiting thoth reads it: with the uid that owns its file
 * (null: unknown here). `refused` says why the file there is no answer (a
 * symbolic link, a file with more than one link, or a folder, FIFO or
 * device: see `open_answer_file.ts`), never read; `answer` is then a
 * denial by "unknown" and `ownerUid` null, since the file's owner says
 * nothing about who answered.
 * `malformed` says what is wrong with a file that is no valid answer (not
 * JSON, a field missing or wrong: see `answer_file_problem.ts`); `answer`
 * is then a denial by "thoth" that says so, and `ownerUid` null: no one
 * answered.
 */
export interface OwnedAnswer {
  answer: QueueAnswer;
  ownerUid: number | null;
  refused?: string;
  malformed?: string;
}

/**
 * How often a lister looks again at an answer or outcome file with a second
 * link (see `open_answer_file.ts`): a queue writer's second link lasts only
 * between its link and its removal of the temp file, and the list decides
 * nothing (the waiting thoth looks more often before it refuses an answer).
 */
const LIST_LINK_TRIES = 3;

/** Why a queue file over {@linkcode QUEUE_FILE_LIMIT} is no answer. */
const OVER_LIMIT = `it is larger than ${QUEUE_FILE_LIMIT / 1024} KiB, far more than any ` +
  "answer holds, so it was not read";

/** What a settler says. */
export interface Settlement {
  decision: QueueDecision;
  by: string;
  reason?: string;
}

/** Why a folder, FIFO or device where an answer goes is none (worded as a link's refusal is). */
const NOT_REGULAR = "it is not a regular file (a folder, FIFO or device), and an answer must be " +
  "a file of its own in the queue folder";

/**
 * Opens an answer or outcome file as {@linkcode openAnswerFile} does (`options`
 * say how often a file with a second link is looked at again), for
 * `#readOwned`: a file it refuses comes back `refused`, with its reason.
 */
function answerFileOpener(
  options: OpenAnswerFileOptions,
): (path: string) => Promise<Deno.FsFile | { refused: string }> {
  return async (path) => {
    try {
      const opened = await openAnswerFile(path, options);
      return opened.kind === "opened" ? opened.file : { refused: opened.reason };
    } catch (error) {
      // A folder, FIFO or device there was never read: it is no answer, not bad JSON.
      if (error instanceof Deno.errors.InvalidData) return { refused: NOT_REGULAR };
      throw error;
    }
  };
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(QUEUE_ID_LENGTH));
  return Array.from(bytes, (b) => QUEUE_ID_ALPHABET[b % QUEUE_ID_ALPHABET.length]).join("");
}

function randomSuffix(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(6)));
}

/** One approvals directory. */
export class ApprovalQueue {
  readonly dir: string;
  readonly #now: () => number;
  readonly #alive: WaiterCheck;
  readonly #host: HostCheck;
  #ownHost: Promise<HostIdentity> | undefined;
  /**
   * Requests {@linkcode list} found final (see {@linkcode FINAL_AFTER_MS}), by
   * request file name, with what their files were then: listed again from
   * here, unread, while their files stay the same.
   */
  #final = new Map<string, { files: string; item: QueueItem }>();

  constructor(
    dir: string,
    now: () => number = Date.now,
    alive: WaiterCheck = waiterAlive,
    host: HostCheck = probeHostIdentity,
  ) {
    this.dir = dir;
    this.#now = now;
    this.#alive = alive;
    this.#host = host;
  }

  /** The queue of a profile directory. */
  static forHome(
    thothHome: string,
    now?: () => number,
    alive?: WaiterCheck,
    host?: HostCheck,
  ): ApprovalQueue {
    return new ApprovalQueue(joinPath(thothHome, "approvals"), now, alive, host);
  }

  /**
   * Whether the thoth that queued `entry` is known to be gone (see
   * {@linkcode ORPHAN_QUIET_MS} and {@linkcode ORPHAN_UNVERIFIED_QUIET_MS}).
   * `atOnce` (a person is answering it): a pid that can be trusted is asked
   * about whatever the file's quiet time, so an answer to a thoth just
   * killed is refused, not reported as given.
   */
  async #orphaned(entry: QueueEntry, atOnce = false): Promise<boolean> {
    try {
      if (atOnce && await this.#pidTrusted(entry)) return await this.#waiterGone(entry);
      // The file's time first: a live thoth refreshes it, and needs no process lookup.
      const refreshed = (await Deno.stat(this.#path(entry.id, "request"))).mtime?.getTime();
      const quiet = refreshed === undefined ? 0 : this.#now() - refreshed;
      if (quiet <= ORPHAN_QUIET_MS) return false;
      if (!(await this.#pidTrusted(entry))) return quiet > ORPHAN_UNVERIFIED_QUIET_MS;
      return await this.#waiterGone(entry);
    } catch {
      return false;
    }
  }

  /** Whether `entry`'s pid is known to run no longer, or to run a later process. */
  async #waiterGone(entry: QueueEntry): Promise<boolean> {
    return (await this.#alive(entry.pid, entry.createdAt)) === false;
  }

  /**
   * Whether a person's approval of `entry` never reached its call: no
   * `<id>.taken` marker (its thoth makes one once the approval record is
   * written, before the call runs), and its thoth, whose pid can be trusted
   * here, is gone. Where the pid cannot be trusted, nothing is claimed.
   */
  async #approvalUnread(entry: QueueEntry): Promise<boolean> {
    try {
      await Deno.lstat(this.#path(entry.id, "taken"));
      return false;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false;
    }
    return await this.#pidTrusted(entry) && await this.#waiterGone(entry);
  }

  /** Whether `entry.pid` names the same process here: same PID namespace, same boot, both known. */
  async #pidTrusted(entry: QueueEntry): Promise<boolean> {
    const { pidNamespace, bootId } = entry;
    if (pidNamespace == null || bootId == null) return false;
    const own = await (this.#ownHost ??= Promise.resolve(this.#host()));
    return own.pidNamespace === pidNamespace && own.bootId === bootId;
  }

  /**
   * The waiting thoth read the answer to `id`, acted on it, and wrote the
   * approval record that names it (the channel's `taken`, called by the
   * session's audit once that record is written): `<id>.taken` is made,
   * once, as answers are (a complete 0600 file linked into place in the
   * private queue folder).
   * Pruning removes a request with a person's answer only once this marker
   * is there (see `prune_queue.ts`); nothing else writes it, unlike the
   * request file's time, which {@linkcode refresh} moves while the thoth
   * waits. Best effort: a marker that cannot be made keeps the answer on
   * file, which loses nothing.
   */
  async markTaken(id: string): Promise<void> {
    if (!QUEUE_ID.test(id)) return;
    const marker = { v: 1, id, at: this.#now() };
    await this.#createExclusive(this.#path(id, "taken"), marker).catch(() => false);
  }

  /** The waiting thoth is still there: the request file's time says so (see `#orphaned`). */
  async refresh(id: string): Promise<void> {
    const at = new Date(this.#now());
    await Deno.utime(this.#path(id, "request"), at, at).catch(() => {});
  }

  #path(id: string, kind: "request" | "answer" | "outcome" | "taken"): string {
    return joinPath(this.dir, kind === "taken" ? `${id}${TAKEN_SUFFIX}` : `${id}.${kind}.json`);
  }

  /** Writes `value` to `path` only if nothing is there yet; false when something is. */
  async #createExclusive(path: string, value: unknown): Promise<boolean> {
    await this.#ensurePrivateDir();
    const temp = joinPath(this.dir, `.tmp-${randomSuffix()}`);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    } catch (error) {
      // No file can be made in the folder (not writable, immutable, a full or read-only
      // disk): the system's words stand (the model hears them), with a remedy added.
      throw new AppError("approval.queue_unusable", message(error), {
        cause: error,
        hints: [
          `let the user thoth runs as write in the queue folder: chmod 700 "${this.dir}"`,
          queueFolderHint(this.dir),
        ],
      });
    }
    try {
      let rest = encoder.encode(JSON.stringify(value, null, 2) + "\n");
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
      await file.sync();
    } finally {
      file.close();
    }
    try {
      await Deno.link(temp, path);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw new AppError(
        "approval.queue_write_failed",
        `cannot write "${path}": ${message(error)}`,
        {
          cause: error,
        },
      );
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
  }

  /**
   * The queue directory, created 0700, or made 0700 again if it was looser:
   * whoever can write in it can answer a request. A directory this user does
   * not own (and so cannot tighten) is refused.
   */
  async #ensurePrivateDir(): Promise<void> {
    try {
      await Deno.mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw (await this.folderProblem()) ?? new AppError(
        "approval.queue_unusable",
        `cannot create the approval queue folder "${this.dir}": ${message(error)}`,
        { cause: error, hints: [queueFolderHint(this.dir)] },
      );
    }
    if (Deno.build.os === "windows") return;
    const mode = (await Deno.stat(this.dir)).mode;
    if (mode === null || (mode & 0o077) === 0) return;
    try {
      // Through a handle: a link swapped in for the folder is refused, not followed.
      await setModeNoFollow(this.dir, { kind: "directory", mode: 0o700 });
    } catch (error) {
      throw new AppError(
        "approval.queue_unsafe",
        `the approval queue "${this.dir}" is open to other users (mode ${
          (mode & 0o777).toString(8)
        }) and cannot be made private: ${message(error)}`,
        {
          cause: error,
          hints: [
            `make it yours and private: chown "$USER" "${this.dir}" && chmod 700 "${this.dir}"`,
          ],
        },
      );
    }
  }

  /**
   * Why the queue folder cannot be used, when something that is no folder
   * stands in its place (a file, a device, or a file above it); undefined
   * when it is a folder or not there yet.
   */
  async folderProblem(): Promise<AppError | undefined> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(this.dir);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      if (!(error instanceof Deno.errors.NotADirectory)) return undefined;
      return new AppError(
        "approval.queue_not_folder",
        `the approval queue "${this.dir}" cannot be a folder: a file stands in its path`,
        { cause: error, hints: [queueFolderHint(this.dir)] },
      );
    }
    if (info.isDirectory) return undefined;
    return new AppError(
      "approval.queue_not_folder",
      `the approval queue "${this.dir}" is a ${
        info.isFile ? "file" : "special file"
      }, not a folder, so no request can wait there`,
      { hints: [queueFolderHint(this.dir)] },
    );
  }

  async #readJson(path: string): Promise<unknown> {
    return (await this.#readOwned(path, openRegularFile)).value;
  }

  /**
   * A queue file's JSON (undefined: none; null: not JSON, not a regular
   * file, or over {@linkcode QUEUE_FILE_LIMIT}, then with `overLimit` set),
   * with the uid that owns it; `refused` instead when `open` refuses the
   * file (an answer file that is a link, or not a regular file).
   */
  async #readOwned(
    path: string,
    open: (path: string) => Promise<Deno.FsFile | { refused: string }>,
  ): Promise<{ value: unknown; ownerUid: number | null; refused?: string; overLimit?: true }> {
    let file: Deno.FsFile;
    try {
      // Only a regular file: a FIFO dropped in the queue would hold the reader for ever.
      const opened = await open(path);
      if (!(opened instanceof Deno.FsFile)) {
        return { value: undefined, ownerUid: null, refused: opened.refused };
      }
      file = opened;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { value: undefined, ownerUid: null };
      if (error instanceof Deno.errors.InvalidData) return { value: null, ownerUid: null };
      throw (await this.folderProblem()) ??
        new AppError("approval.queue_read_failed", `cannot read "${path}": ${message(error)}`, {
          cause: error,
        });
    }
    try {
      // The owner through the handle that is read: the file cannot be swapped in between.
      const info = await file.stat();
      const ownerUid = info.uid;
      // Too large (a sparse file costs nothing to make): refused unread, or once past the limit.
      if (info.size > QUEUE_FILE_LIMIT) return { value: null, ownerUid, overLimit: true };
      let bytes: Uint8Array;
      try {
        bytes = await readToEnd(file, { limit: QUEUE_FILE_LIMIT });
      } catch (error) {
        if (error instanceof FileOverLimitError) return { value: null, ownerUid, overLimit: true };
        throw error;
      }
      try {
        return { value: JSON.parse(new TextDecoder().decode(bytes)), ownerUid };
      } catch {
        return { value: null, ownerUid };
      }
    } catch (error) {
      throw new AppError("approval.queue_read_failed", `cannot read "${path}": ${message(error)}`, {
        cause: error,
      });
    } finally {
      file.close();
    }
  }

  /**
   * The uid that owns request `id`'s file: the user of the thoth that queued
   * it (null where the system has no uids, or the file is gone).
   */
  async requestOwner(id: string): Promise<number | null> {
    try {
      return (await Deno.stat(this.#path(id, "request"))).uid;
    } catch {
      return null;
    }
  }

  /** Adds a request; returns it with its new id. */
  async submit(facts: Omit<QueueEntry, "v" | "id" | "createdAt">): Promise<QueueEntry> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const entry: QueueEntry = { v: 1, id: randomId(), createdAt: this.#now(), ...facts };
      if (await this.#createExclusive(this.#path(entry.id, "request"), entry)) return entry;
    }
    throw new AppError("approval.queue_write_failed", "cannot find a free approval id");
  }

  /** The request with `id`, or null. */
  async entry(id: string): Promise<QueueEntry | null> {
    if (!QUEUE_ID.test(id)) return null;
    const value = await this.#readJson(this.#path(id, "request"));
    const entry = value === undefined ? null : parseQueueEntry(value);
    return entry !== null && entry.id === id ? entry : null;
  }

  /** The answer to `id`, if one was written (and is well formed). */
  async answer(id: string): Promise<QueueAnswer | undefined> {
    return (await this.ownedAnswer(id))?.answer;
  }

  /**
   * The answer to `id` with the uid that owns its file: who wrote it, as the
   * system says (its `by` is only what the writer claims). A file there that
   * is a link is no answer: it comes back `refused`, and still settles the
   * request (nothing else can be written in its place), as a denial; a file
   * over {@linkcode QUEUE_FILE_LIMIT} comes back `malformed`, unread.
   * `options` say how often a file with a second link is looked at again.
   */
  async ownedAnswer(
    id: string,
    options: OpenAnswerFileOptions = {},
  ): Promise<OwnedAnswer | undefined> {
    if (!QUEUE_ID.test(id)) return undefined;
    const path = this.#path(id, "answer");
    const { value, ownerUid, refused, overLimit } = await this.#readOwned(
      path,
      answerFileOpener(options),
    );
    if (refused !== undefined) {
      return {
        answer: {
          v: 1,
          id,
          digest: "0".repeat(64),
          decision: "deny",
          by: "unknown",
          reason: `the answer file "${path}" is not an answer: ${refused}`,
          at: 0,
        },
        ownerUid: null,
        refused,
      };
    }
    if (value === undefined) return undefined;
    const malformed = overLimit ? OVER_LIMIT : answerFileProblem(value, id);
    if (malformed !== undefined) {
      // Present but no answer: it still settled the request, refused. No one
      // answered, so no one (not the file's owner) is named as the approver.
      return {
        answer: {
          v: 1,
          id,
          digest: "0".repeat(64),
          decision: "deny",
          by: "thoth",
          reason: `the answer file "${path}" is malformed: ${malformed}`,
          at: 0,
        },
        ownerUid: null,
        malformed,
      };
    }
    return { answer: parseQueueAnswer(value)!, ownerUid };
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
    if (answer.digest !== entry.digest) return { outcome: "refused", reason: MISMATCH_REASON };
    const outcome = await this.outcome(entry, options);
    if (outcome !== undefined) return { outcome: outcome.outcome, reason: outcome.reason };
    const approved = answer.decision === "approve" || answer.decision === "session";
    return approved && await this.#approvalUnread(entry)
      ? { outcome: "orphaned", reason: WAITER_GONE_REASON }
      : undefined;
  }

  /**
   * The proxy's record of what became of `entry`'s call (see
   * {@linkcode recordOutcome}), when there is a valid one for this request
   * and its arguments. A link, a file with another link (looked at again
   * as `options` say), a file over {@linkcode QUEUE_FILE_LIMIT}, or anything
   * else that is no such record counts as none: the listing then says only
   * what the answer says.
   */
  async outcome(
    entry: QueueEntry,
    options: OpenAnswerFileOptions = {},
  ): Promise<QueueOutcome | undefined> {
    const path = this.#path(entry.id, "outcome");
    let read: { value: unknown; refused?: string };
    try {
      read = await this.#readOwned(path, answerFileOpener(options));
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
   * its call: the call was withdrawn first (`reason` says how). Written once,
   * as an answer is; a record already there stands.
   */
  async recordOutcome(id: string, digest: string, reason: string): Promise<void> {
    const outcome: QueueOutcome = {
      v: 1,
      id,
      digest,
      outcome: "withdrawn",
      reason: reason.slice(0, 500),
      at: this.#now(),
    };
    await this.#createExclusive(this.#path(id, "outcome"), outcome);
  }

  /** Every request in the directory, oldest first. */
  async list(): Promise<QueueItem[]> {
    const items: QueueItem[] = [];
    let names: string[] = [];
    try {
      for await (const item of Deno.readDir(this.dir)) {
        if (item.isFile && item.name.endsWith(".request.json")) names.push(item.name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw (await this.folderProblem()) ?? new AppError(
        "approval.queue_read_failed",
        `cannot read "${this.dir}": ${message(error)}`,
        { cause: error, hints: [queueFolderHint(this.dir)] },
      );
    }
    names = names.sort();
    const now = this.#now();
    const final = new Map<string, { files: string; item: QueueItem }>();
    for (const name of names) {
      const id = name.slice(0, -".request.json".length);
      // What the request's files are now, before any is read: a change after it shows next time.
      const files = await this.#filesNow(id);
      const known = this.#final.get(name);
      if (known !== undefined && files !== undefined && known.files === files) {
        final.set(name, known);
        items.push(known.item);
        continue;
      }
      const entry = await this.entry(id);
      if (entry === null) continue;
      const item = await this.#listed(entry, now);
      if (files !== undefined && now - entry.expiresAt > FINAL_AFTER_MS) {
        final.set(name, { files, item });
      }
      items.push(item);
    }
    this.#final = final;
    return items.sort((a, b) => a.entry.createdAt - b.entry.createdAt);
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
          const info = await Deno.lstat(this.#path(id, kind));
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
  async #listed(entry: QueueEntry, now: number): Promise<QueueItem> {
    const owned = await this.ownedAnswer(entry.id, { tries: LIST_LINK_TRIES });
    const answer = owned?.answer;
    const state = answer !== undefined
      ? "settled"
      : now > entry.expiresAt
      ? "expired"
      : await this.#orphaned(entry)
      ? "orphaned"
      : "pending";
    const answerProblem = owned?.refused !== undefined
      ? `the answer file is not an answer: ${owned.refused}`
      : owned?.malformed !== undefined
      ? `the answer file is malformed: ${owned.malformed}`
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
   * Settles `id` as a person (approve, session, deny). Throws
   * `approval.unknown_id`, `approval.expired`, `approval.orphaned`,
   * `approval.already_settled` or `approval.answer_refused` (a link stands
   * where its answer goes, see {@linkcode ApprovalQueue.ownedAnswer}).
   */
  async settle(id: string, settlement: Settlement): Promise<QueueAnswer> {
    const problem = await this.folderProblem();
    if (problem !== undefined) throw problem;
    const entry = await this.entry(id);
    if (entry === null) {
      throw new AppError(
        "approval.unknown_id",
        `no approval request with id "${id}" in the queue folder "${this.dir}"`,
        { hints: ['run "thoth approvals list" to see the requests waiting'] },
      );
    }
    if (settlement.decision === "session" && !entry.allowSession) {
      throw new AppError(
        "approval.session_not_offered",
        `request "${id}" cannot be allowed for the session`,
        {
          hints: [
            "the session choice is not offered in progressive mode (every repeat counts " +
            "toward the block rung) or for arguments holding a number too large to compare exactly",
            `approve it once with "thoth approvals approve ${id}"`,
          ],
        },
      );
    }
    const now = this.#now();
    if ((await this.answer(id)) === undefined && await this.#orphaned(entry, true)) {
      throw new AppError(
        "approval.orphaned",
        `request "${id}" was left by a thoth (pid ${entry.pid}) that is no longer running ` +
          "(or stopped refreshing it), so nothing waits for this answer and the call will not run",
        { hints: ["ask the model to make the call again, then answer the new request"] },
      );
    }
    if (
      now > entry.expiresAt &&
      (settlement.decision === "approve" || settlement.decision === "session")
    ) {
      throw new AppError("approval.expired", `request "${id}" expired before it was approved`, {
        hints: ["ask the model to make the call again, then approve the new request"],
      });
    }
    const answer: QueueAnswer = {
      v: 1,
      id,
      digest: entry.digest,
      decision: settlement.decision,
      by: settlement.by.slice(0, 200),
      ...(settlement.reason === undefined ? {} : { reason: settlement.reason.slice(0, 500) }),
      at: now,
    };
    if (await this.#createExclusive(this.#path(id, "answer"), answer)) return answer;
    const owned = await this.ownedAnswer(id);
    if (owned?.refused !== undefined || owned?.malformed !== undefined) {
      throw new AppError(
        "approval.answer_refused",
        `request "${id}" cannot be answered: ${owned.answer.reason}`,
        {
          hints: [
            "the call it asked about was refused; ask the model to make the call again, then " +
            "answer the new request",
          ],
        },
      );
    }
    const existing = owned?.answer;
    throw new AppError(
      "approval.already_settled",
      `request "${id}" was already ${describeAnswer(existing)}`,
      {
        hints: ['run "thoth approvals list" to see the requests still waiting'],
      },
    );
  }

  /**
   * Closes `id` on the proxy's side (it timed out or the call was cancelled).
   * Returns the answer that stands: the proxy's own, or a person's that won.
   */
  async close(id: string, decision: "expired" | "withdrawn", digest: string): Promise<QueueAnswer> {
    const answer: QueueAnswer = { v: 1, id, digest, decision, by: "thoth", at: this.#now() };
    if (await this.#createExclusive(this.#path(id, "answer"), answer)) return answer;
    return (await this.answer(id)) ?? answer;
  }
}

/** "approved by ana", "denied by ana", "expired", "withdrawn by the proxy". */
export function describeAnswer(answer: QueueAnswer | undefined): string {
  if (answer === undefined) return "settled";
  switch (answer.decision) {
    case "approve":
      return `approved by ${answer.by}`;
    case "session":
      return `approved for the session by ${answer.by}`;
    case "deny":
      return `denied by ${answer.by}`;
    case "expired":
      return "expired (no one answered in time)";
    case "withdrawn":
      return "withdrawn (the client cancelled the call, or its session ended)";
  }
}

/** Why an orphaned request waits for no one, for a listing. */
export function describeOrphan(entry: QueueEntry): string {
  return `orphaned: the thoth that asked (pid ${entry.pid}) is gone`;
}

/** The remedy for a queue folder `dir` that cannot be used. */
function queueFolderHint(dir: string): string {
  return `move what is there aside, and thoth makes a new private queue folder on its next ` +
    `request: mv "${dir}" "${dir}.broken"`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
