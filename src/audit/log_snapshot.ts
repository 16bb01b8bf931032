/**
 * One consistent view of where a device's log ends, for `thoth audit verify`:
 * the writer's state file, its intent (`.pending`), each segment's size,
 * the checkpoint notes' names and the public keys file, read together under
 * the writers' lock (`audit/.lock`). A writer writes its intent, a batch's
 * lines, its checkpoint and its count under that lock, so what is read under
 * it never holds a batch half counted by a live writer: records past the count then
 * are a killed writer's (its intent vouches for them) or no writer's.
 * Verification then reads the log up to those sizes only: what writers add
 * afterwards is for the next verification.
 *
 * The lock is held for the few small reads only (writers wait meanwhile,
 * without blocking their sessions), and waited for a short while: a stopped
 * thoth (Ctrl-Z) holds it until it goes on. The lock file is opened only
 * when it is there and is a regular file (verify makes nothing in the audit
 * folder); when it cannot be opened (another account's log, read-only
 * access) or taken in time, the reason is returned instead, and verify
 * reads without it. Thin I/O.
 *
 * @example
 * ```ts
 * const taken = await takeLogSnapshot(auditPaths(thothHome), 2_000);
 * if ("snapshot" in taken) taken.snapshot.segments.get("seg-000000000000-2026-03-01.jsonl");
 * ```
 */
import { FileLock } from "../platform/file_lock.ts";
import { secondsText } from "../platform/take_lock_patiently.ts";
import { listSegments } from "./log_files.ts";
import { type AuditPaths, CHECKPOINT_PATTERN } from "./log_paths.ts";
import { type PendingRead, readPendingIntent } from "./read_pending_intent.ts";
import { type KeysFileRead, readKeysFileOnce } from "./keys_file_read.ts";
import { readStateFile, type StateRead } from "./read_state_file.ts";

/** How long verify waits for the writers' lock by default (they hold it for milliseconds). */
export const SNAPSHOT_LOCK_WAIT_MS = 2_000;

/** Where the log ended: what verification reads of it. */
export interface LogEnd {
  /** Each segment's size in bytes, by file name (regular files only). */
  segments: ReadonlyMap<string, number>;
  /** The checkpoint notes' file names. */
  checkpoints: ReadonlySet<string>;
  /** The public keys file as read with them (a rotation meanwhile is for the next verification). */
  keys?: KeysFileRead;
}

/** What the log's files said, read together under the writers' lock. */
export interface LogSnapshot extends LogEnd {
  state: StateRead;
  pending: PendingRead;
}

/** The snapshot, or why the lock was not taken ("it was held by another process for 2 s"). */
export type SnapshotTaken = { snapshot: LogSnapshot } | { unlocked: string };

/** Takes the snapshot of the log under `paths`, waiting at most `waitMs` for the lock. */
export async function takeLogSnapshot(
  paths: AuditPaths,
  waitMs: number = SNAPSHOT_LOCK_WAIT_MS,
): Promise<SnapshotTaken> {
  try {
    const info = await Deno.lstat(paths.lock);
    if (!info.isFile) return { unlocked: "it is not a regular file" };
  } catch (error) {
    return { unlocked: error instanceof Deno.errors.NotFound ? "there is none" : why(error) };
  }
  let lock: FileLock;
  try {
    lock = await FileLock.open(paths.lock);
  } catch (error) {
    return { unlocked: why(error) };
  }
  try {
    let taken: boolean;
    try {
      taken = await lock.acquireWithin(waitMs);
    } catch (error) {
      return { unlocked: why(error) };
    }
    if (!taken) return { unlocked: `another process held it for ${secondsText(waitMs)}` };
    try {
      return {
        snapshot: {
          state: await readStateFile(paths.state),
          pending: await readPendingIntent(paths),
          segments: await segmentSizes(paths.dir),
          checkpoints: await checkpointNames(paths.checkpoints),
          keys: await readKeysFileOnce(paths.publicKeys),
        },
      };
    } finally {
      await lock.release();
    }
  } finally {
    lock.close();
  }
}

/** The size of each segment in `dir`, by name; one that cannot be looked at is left out. */
async function segmentSizes(dir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const name of await listSegments(dir)) {
    try {
      sizes.set(name, (await Deno.stat(`${dir}/${name}`)).size);
    } catch {
      // Read (and found missing) with the rest of the log.
    }
  }
  return sizes;
}

/** The names of the checkpoint notes in `dir` (regular files); none when there is no folder. */
async function checkpointNames(dir: string): Promise<Set<string>> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && CHECKPOINT_PATTERN.test(entry.name)) names.add(entry.name);
    }
  } catch {
    // None to read.
  }
  return names;
}

/** Why the lock file could not be opened or locked, in words. */
function why(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return "permission denied";
  }
  return error instanceof Error ? error.message : String(error);
}
