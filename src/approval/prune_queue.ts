/**
 * `pruneQueue()`: removes the files of approval requests that expired more
 * than {@linkcode PRUNE_AFTER_MS} ago, so the queue folder holds about ten
 * minutes of requests, not every request ever. `thoth approvals list` and
 * `watch` prune (watch on start and every {@linkcode PRUNE_EVERY_MS}), and a
 * waiting thoth prunes a few (at most {@linkcode PRUNE_PER_REQUEST} looked
 * at) each time it files a request.
 *
 * Nothing is lost from the evidence: a request goes only when the audit log
 * holds its outcome, which is when no answer came (the waiting thoth recorded
 * the timeout, or was gone and recorded nothing the files add to), or the
 * waiting thoth took the answer (it records every answer it takes, as its
 * approval record). It marks an answer taken by setting the request file's
 * time when it reads it ({@linkcode ApprovalQueue.taken}); an answer it wrote
 * itself on closing the request (`by` "thoth", expired or withdrawn) counts
 * as taken too, since a thoth older than the mark leaves none. A person's
 * answer no waiting thoth took (it was gone before it read it) is in these
 * files alone: it is kept, whatever its age. Only files of this user
 * (`ownerUid`) are removed, links by their own name (never what they point
 * at), never a folder; a request's answer and outcome go before its request,
 * so a request whose files could not all go is still listed and tried again.
 *
 * @example
 * ```ts
 * const removed = await pruneQueue(ApprovalQueue.forHome(home), { ownerUid: Deno.uid() });
 * ```
 */
import type { ApprovalQueue } from "./approval_queue.ts";
import { joinPath } from "../platform/join_path.ts";
import { QUEUE_ID } from "./queue_record.ts";

/** Requests are removed this long after they expire. */
export const PRUNE_AFTER_MS = 10 * 60_000;

/** How often `thoth approvals watch` prunes while it runs. */
export const PRUNE_EVERY_MS = 60_000;

/** How many requests a waiting thoth looks at, to prune, each time it files one. */
export const PRUNE_PER_REQUEST = 32;

/** Options of {@linkcode pruneQueue}. */
export interface PruneOptions {
  /**
   * Only files this uid owns are removed (a request with any other file is
   * kept whole); null where the system has no uids.
   */
  ownerUid: number | null;
  /** How long after its expiry a request goes (default {@linkcode PRUNE_AFTER_MS}). */
  graceMs?: number;
  /**
   * The most requests looked at, from a random place in the folder, so that
   * the work is bounded (default: all).
   */
  limit?: number;
  /** The time now, epoch ms (default `Date.now()`). */
  now?: number;
}

const REQUEST_SUFFIX = ".request.json";

/** Removes the requests of `queue` that may go (see the module doc); returns how many went. */
export async function pruneQueue(queue: ApprovalQueue, options: PruneOptions): Promise<number> {
  const ids: string[] = [];
  try {
    for await (const item of Deno.readDir(queue.dir)) {
      if (!item.isFile || !item.name.endsWith(REQUEST_SUFFIX)) continue;
      const id = item.name.slice(0, -REQUEST_SUFFIX.length);
      if (QUEUE_ID.test(id)) ids.push(id);
    }
  } catch {
    // No folder yet, or none that can be read: nothing to prune here.
    return 0;
  }
  ids.sort();
  const count = Math.min(options.limit ?? ids.length, ids.length);
  const start = count < ids.length ? Math.floor(Math.random() * ids.length) : 0;
  const now = options.now ?? Date.now();
  const graceMs = options.graceMs ?? PRUNE_AFTER_MS;
  let removed = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[(start + i) % ids.length]!;
    // A file that cannot be looked at keeps its request: nothing goes unseen.
    const went = await pruneRequest(queue, id, now, graceMs, options.ownerUid).catch(() => false);
    if (went) removed++;
  }
  return removed;
}

/** Removes request `id`'s files when they may go; whether they went. */
async function pruneRequest(
  queue: ApprovalQueue,
  id: string,
  now: number,
  graceMs: number,
  ownerUid: number | null,
): Promise<boolean> {
  const entry = await queue.entry(id).catch(() => null);
  if (entry === null || now - entry.expiresAt <= graceMs) return false;
  const path = (kind: string) => joinPath(queue.dir, `${id}.${kind}.json`);
  const request = await lstat(path("request"));
  const answer = await lstat(path("answer"));
  const outcome = await lstat(path("outcome"));
  if (request === undefined) return false;
  if (answer !== undefined && !(await answerTaken(queue, id, request, answer))) return false;
  const files = [[path("answer"), answer], [path("outcome"), outcome], [
    path("request"),
    request,
  ]] as const;
  if (!files.every(([, info]) => info === undefined || removable(info, ownerUid))) return false;
  for (const [file, info] of files) {
    if (info === undefined) continue;
    try {
      // Unlinks the name: a link goes, never what it points at.
      await Deno.remove(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false;
    }
  }
  return true;
}

/** Whether the waiting thoth took the answer (and so recorded it in the audit log). */
async function answerTaken(
  queue: ApprovalQueue,
  id: string,
  request: Deno.FileInfo,
  answer: Deno.FileInfo,
): Promise<boolean> {
  const markedAt = request.mtime?.getTime();
  const answeredAt = answer.mtime?.getTime();
  if (markedAt !== undefined && answeredAt !== undefined && markedAt >= answeredAt) return true;
  const owned = await queue.ownedAnswer(id).catch(() => undefined);
  if (owned === undefined || owned.refused !== undefined || owned.malformed !== undefined) {
    return false;
  }
  const { by, decision } = owned.answer;
  return by === "thoth" && (decision === "expired" || decision === "withdrawn");
}

/** A file of this user that is no folder (a link is removed by its own name). */
function removable(info: Deno.FileInfo, ownerUid: number | null): boolean {
  if (!info.isFile && !info.isSymlink) return false;
  return ownerUid === null || info.uid === ownerUid;
}

/** What is at `path`, not following a link; undefined when nothing is (any other failure throws). */
async function lstat(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
