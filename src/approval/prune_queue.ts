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
 * waiting thoth took the answer and recorded it. It marks an answer taken by
 * making `<id>.taken` ({@linkcode ApprovalQueue.markTaken}), a file nothing
 * else writes, only once the approval record that names the answer is
 * written (in the spool, which a later session takes into the log if this
 * one is killed; on the disk with `--audit-sync always`): a thoth killed
 * between reading the answer and writing that record leaves no marker, and
 * the answer stays. The request file's time says only that its thoth still
 * waits. The marker counts when it is a regular file of its own (no link,
 * one name) owned by the request's owner. An answer the thoth wrote itself
 * on closing the request (`by` "thoth", expired or withdrawn) counts as
 * taken too, since a thoth of an earlier release leaves no marker. A
 * person's answer with no marker (its thoth was gone before it read or
 * recorded it, or was of an earlier release) is in these files alone: it is
 * kept, whatever its age. Only files
 * of this user (`ownerUid`) are removed, links by their own name (never what
 * they point at), never a folder; a request's answer, its answers' MAC
 * files (`<id>.<mac>.answer-mac`, see `answer_mac.ts`), outcome and marker
 * go before its request, so a request whose files could not all go is still
 * listed and tried again. A marker or MAC file whose request is gone (an
 * earlier release's pruning left it) goes once it is older than the grace.
 *
 * @example
 * ```ts
 * const removed = await pruneQueue(ApprovalQueue.forHome(home), { ownerUid: Deno.uid() });
 * ```
 */
import type { ApprovalQueue } from "./approval_queue.ts";
import { joinPath } from "../platform/join_path.ts";
import { QUEUE_ID, TAKEN_SUFFIX } from "./queue_record.ts";
import { ANSWER_MAC_SUFFIX } from "./answer_mac.ts";

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
  const markers = new Set<string>();
  /** The names of the MAC files in the folder, by request id. */
  const macs = new Map<string, string[]>();
  try {
    for await (const item of Deno.readDir(queue.dir)) {
      if (!item.isFile) continue;
      const id = idOf(item.name, REQUEST_SUFFIX);
      if (id !== undefined) ids.push(id);
      const marked = idOf(item.name, TAKEN_SUFFIX);
      if (marked !== undefined) markers.add(marked);
      const signed = macIdOf(item.name);
      if (signed !== undefined) macs.set(signed, [...(macs.get(signed) ?? []), item.name]);
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
    const went = await pruneRequest(queue, id, now, graceMs, options.ownerUid, macs.get(id) ?? [])
      .catch(() => false);
    if (went) removed++;
  }
  for (const id of ids) {
    markers.delete(id);
    macs.delete(id);
  }
  const lone = [
    ...[...markers].map((id) => [id, `${id}${TAKEN_SUFFIX}`] as const),
    ...[...macs].flatMap(([id, names]) => names.map((name) => [id, name] as const)),
  ].sort(([, a], [, b]) => a < b ? -1 : a > b ? 1 : 0).slice(0, options.limit);
  for (const [id, name] of lone) {
    await pruneLoneFile(queue, id, name, now, graceMs, options.ownerUid).catch(() => {});
  }
  return removed;
}

/** The MAC file names of answers to a request: `<id>.<64 hex>.answer-mac`. */
const MAC_FILE = new RegExp(`^([^.]+)\\.[0-9a-f]{64}${ANSWER_MAC_SUFFIX.replace(".", "\\.")}$`);

/** The request id whose answer `name` is a MAC file of, if it is one. */
function macIdOf(name: string): string | undefined {
  const id = MAC_FILE.exec(name)?.[1];
  return id !== undefined && QUEUE_ID.test(id) ? id : undefined;
}

/** The request id that `name` is a file of, when it ends with `suffix`. */
function idOf(name: string, suffix: string): string | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const id = name.slice(0, -suffix.length);
  return QUEUE_ID.test(id) ? id : undefined;
}

/** Removes request `id`'s files when they may go; whether they went. */
async function pruneRequest(
  queue: ApprovalQueue,
  id: string,
  now: number,
  graceMs: number,
  ownerUid: number | null,
  macNames: readonly string[],
): Promise<boolean> {
  const entry = await queue.entry(id).catch(() => null);
  if (entry === null || now - entry.expiresAt <= graceMs) return false;
  const path = (kind: string) => joinPath(queue.dir, `${id}.${kind}.json`);
  const markerPath = joinPath(queue.dir, `${id}${TAKEN_SUFFIX}`);
  const request = await lstat(path("request"));
  const answer = await lstat(path("answer"));
  const outcome = await lstat(path("outcome"));
  const marker = await lstat(markerPath);
  if (request === undefined) return false;
  if (answer !== undefined && !(await answerTaken(queue, id, request, marker))) return false;
  const macFiles: [string, Deno.FileInfo | undefined][] = [];
  for (const name of macNames) {
    const macPath = joinPath(queue.dir, name);
    macFiles.push([macPath, await lstat(macPath)]);
  }
  const files: (readonly [string, Deno.FileInfo | undefined])[] = [
    [path("answer"), answer],
    ...macFiles,
    [path("outcome"), outcome],
    [markerPath, marker],
    [path("request"), request],
  ];
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

/**
 * Whether the waiting thoth took the answer (and so recorded it in the audit
 * log): its marker is there, or the answer is the thoth's own close.
 */
async function answerTaken(
  queue: ApprovalQueue,
  id: string,
  request: Deno.FileInfo,
  marker: Deno.FileInfo | undefined,
): Promise<boolean> {
  if (marker !== undefined && soundMarker(marker, request)) return true;
  const owned = await queue.ownedAnswer(id).catch(() => undefined);
  if (owned === undefined || owned.refused !== undefined || owned.malformed !== undefined) {
    return false;
  }
  const { by, decision } = owned.answer;
  return by === "thoth" && (decision === "expired" || decision === "withdrawn");
}

/**
 * Whether `marker` can be the waiting thoth's: a regular file with one name
 * (not a link, not another file linked in), owned by whoever owns the
 * request (the thoth that waited made both). One with a second link is
 * looked at again on a later prune: a marker has one for a moment as it is
 * made.
 */
function soundMarker(marker: Deno.FileInfo, request: Deno.FileInfo): boolean {
  if (!marker.isFile || marker.isSymlink) return false;
  if (marker.nlink !== null && marker.nlink > 1) return false;
  return marker.uid === request.uid;
}

/**
 * Removes `name`, a marker or MAC file of request `id` that has no request,
 * once older than the grace.
 */
async function pruneLoneFile(
  queue: ApprovalQueue,
  id: string,
  name: string,
  now: number,
  graceMs: number,
  ownerUid: number | null,
): Promise<void> {
  const filePath = joinPath(queue.dir, name);
  const file = await lstat(filePath);
  // Its request may have been made a moment ago: only an old file goes.
  const at = file?.mtime?.getTime();
  if (file === undefined || at === undefined || now - at <= graceMs) return;
  if (!removable(file, ownerUid)) return;
  // Looked at last: a request that came meanwhile keeps it.
  if ((await lstat(joinPath(queue.dir, `${id}${REQUEST_SUFFIX}`))) !== undefined) return;
  await Deno.remove(filePath);
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
