/**
 * An exclusive lock on writing one file, kept beside it: the lock file is
 * `.<name>.thoth-lock` in the file's own folder ({@linkcode lockPathFor}),
 * locked with {@linkcode FileLock} (waiting on the runtime's thread pool, not
 * blocking this thread; a note after a second, `io.lock_busy` after 30 s),
 * and removed again, while still locked, when the lock is released. So every thoth process that writes the file takes turns,
 * whichever user runs it and whatever its `THOTH_HOME`; the folder holds no
 * lock file once no write is under way (one a killed writer left is taken
 * and removed by the next). On Windows, where a file still open elsewhere
 * cannot be made again at once, the lock file is left in place.
 *
 * The folder must let files be made in it: a writer that replaces the file
 * makes its new copy there too. When it does not (or the folder is gone),
 * no lock is taken and {@linkcode BesideLock.skipped} says why: the write
 * itself then fails with its own words for it.
 *
 * The lock file is made new (never through a link) before it is opened, and
 * a lock path that is a link or anything but a plain file is refused
 * (`io.unsafe_path`). Made by root in a folder another user owns, the lock
 * file is given to that user, who may then take it in turn.
 *
 * @example
 * ```ts
 * const lock = await lockBeside("/home/ana/.claude.json");
 * try {
 *   // … check the file, rename the new one over it …
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
import { AppError } from "../errors.ts";
import { FileLock } from "./file_lock.ts";
import { setModeNoFollow } from "./handle_mode.ts";
import { effectiveUid } from "./root_safe_path.ts";
import { stderrNote } from "./stderr_note.ts";
import {
  lockHolderCommand,
  type LockPatience,
  secondsText,
  takeLockPatiently,
} from "./take_lock_patiently.ts";

/** What ends the name of a lock file. */
export const LOCK_SUFFIX = ".thoth-lock";

/**
 * How long the lock is waited for. A holder keeps it for one write of one
 * file: under a second, a few seconds for a ~/.claude.json of tens of MiB.
 */
export const BESIDE_LOCK_PATIENCE: LockPatience = { waitMs: 30_000, noteAfterMs: 1_000 };

/** How {@linkcode lockBeside} waits, and where its note goes (tests shorten both). */
export interface LockBesideOptions {
  patience?: LockPatience;
  /** Said once when the wait passes `noteAfterMs` (default: a `thoth: warning:` on stderr). */
  note?: (message: string) => void;
}

/** A held lock (or the reason none could be taken). */
export interface BesideLock {
  /** The lock file. */
  readonly path: string;
  /** Why no lock is held (the folder lets no file be made); undefined when it is. */
  readonly skipped: string | undefined;
  /** Removes the lock file and gives the lock back; a second call does nothing. */
  release(): Promise<void>;
}

/**
 * The lock file of `path`: `.<name>.thoth-lock` in its folder.
 *
 * @example
 * ```ts
 * lockPathFor("/home/ana/.claude.json"); // "/home/ana/..claude.json.thoth-lock"
 * ```
 */
export function lockPathFor(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "./" : path.slice(0, cut + 1);
  return `${dir}.${path.slice(cut + 1)}${LOCK_SUFFIX}`;
}

/**
 * Waits for, and takes, the lock on writing `path` (see the module): without
 * blocking the thread, with one note when the wait passes a second, and
 * `io.lock_busy` once it runs out (a holder that was stopped, say).
 */
export async function lockBeside(
  path: string,
  options: LockBesideOptions = {},
): Promise<BesideLock> {
  const lockPath = lockPathFor(path);
  const skipped = await makeLockFile(lockPath, path);
  if (skipped !== undefined) {
    return { path: lockPath, skipped, release: () => Promise.resolve() };
  }
  let lock: FileLock;
  try {
    lock = await FileLock.open(lockPath);
  } catch (error) {
    throw unusable(lockPath, path, error);
  }
  const patience = options.patience ?? BESIDE_LOCK_PATIENCE;
  const note = options.note ?? stderrNote;
  try {
    const taken = await takeLockPatiently(lock, patience, () =>
      note(
        `warning: waiting for another thoth process writing "${path}" (it holds the lock ` +
          `"${lockPath}"); giving up after ${secondsText(patience.waitMs)}; ` +
          lockHolderCommand(lockPath),
      ));
    if (!taken) throw busy(lockPath, path, patience.waitMs);
    // Taken, and the file at the path is the one locked (FileLock sees to that,
    // following a link): it must still be a plain file, never a link.
    await refuseOddLock(lockPath, path);
  } catch (error) {
    lock.close();
    if (error instanceof AppError) throw error;
    throw unusable(lockPath, path, error);
  }
  let released = false;
  return {
    path: lockPath,
    skipped: undefined,
    release: async () => {
      if (released) return;
      released = true;
      try {
        // Removed while still locked: a writer waiting on it finds it gone and
        // locks a new one, and one that comes later makes that new one.
        if (Deno.build.os !== "windows") await Deno.remove(lockPath).catch(() => {});
      } finally {
        await lock.release();
        lock.close();
      }
    },
  };
}

/**
 * Makes the lock file when it is not there (new, owner-only, never through a
 * link), or checks the one there is a plain file. Returns why no lock can be
 * taken when the folder lets no file be made; undefined otherwise.
 */
async function makeLockFile(lockPath: string, path: string): Promise<string | undefined> {
  // A holder removes the lock file as it lets go: one seen there may be gone a moment later.
  for (let tries = 0;; tries++) {
    try {
      const file = await Deno.open(lockPath, { write: true, createNew: true, mode: 0o600 });
      file.close();
      await giveToFolderOwner(lockPath);
      return undefined;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) return cannotMake(lockPath, error);
    }
    try {
      await refuseOddLock(lockPath, path);
      return undefined;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || tries >= 100) throw error;
    }
  }
}

/** Why the lock file could not be made. */
function cannotMake(lockPath: string, error: unknown): string {
  const why = error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotCapable
    ? "permission denied"
    : error instanceof Deno.errors.NotFound
    ? "the folder does not exist"
    : error instanceof Error
    ? error.message
    : String(error);
  return `cannot make the lock file "${lockPath}": ${why}`;
}

/** Run as root in a folder another user owns: the lock file becomes that user's (best effort). */
async function giveToFolderOwner(lockPath: string): Promise<void> {
  if (effectiveUid() !== 0) return;
  const cut = Math.max(lockPath.lastIndexOf("/"), lockPath.lastIndexOf("\\"));
  const folder = await Deno.stat(lockPath.slice(0, cut + 1)).catch(() => undefined);
  if (folder?.uid === null || folder?.uid === undefined || folder.gid === null) return;
  if (folder.uid === 0) return;
  await setModeNoFollow(lockPath, { kind: "file", owner: { uid: folder.uid, gid: folder.gid } })
    .catch(() => {});
}

/** Refuses (`io.unsafe_path`) a lock path that is a link or anything but a plain file. */
async function refuseOddLock(lockPath: string, path: string): Promise<void> {
  const info = await Deno.lstat(lockPath);
  if (info.isFile) return;
  const what = info.isSymlink ? "a symbolic link" : info.isDirectory ? "a folder" : "not a file";
  throw new AppError(
    "io.unsafe_path",
    `the lock file "${lockPath}" is ${what}: thoth locks a plain file there while it writes ` +
      `"${path}", and never goes through a link; nothing was written`,
    { hints: [`move "${lockPath}" away, then run the command again`] },
  );
}

/** The lock was held by another process for all of `waitMs` (`io.lock_busy`). */
function busy(lockPath: string, path: string, waitMs: number): AppError {
  return new AppError(
    "io.lock_busy",
    `another process held the lock "${lockPath}" on writing "${path}" for ` +
      `${secondsText(waitMs)}; nothing was written`,
    {
      hints: [
        lockHolderCommand(lockPath),
        "a stopped thoth (Ctrl-Z, or SIGSTOP) holds it until it goes on or ends: resume it " +
        '("fg", or "kill -CONT PID") or end it, then run the command again',
      ],
    },
  );
}

/** The lock file is there but cannot be opened or locked (`io.lock_unusable`). */
function unusable(lockPath: string, path: string, error: unknown): AppError {
  const denied = error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable;
  const why = denied ? "permission denied" : error instanceof Error ? error.message : String(error);
  return new AppError(
    "io.lock_unusable",
    `cannot lock "${lockPath}", which keeps two thoth processes from writing "${path}" at ` +
      `once: ${why}; nothing was written`,
    {
      cause: error,
      hints: denied
        ? [
          "another user's thoth may be writing it now: run the command again once it is done; " +
          `if none is, remove "${lockPath}" (it is only a lock), then run the command again`,
        ]
        : [
          `run the command again; if it fails the same way, remove "${lockPath}" (it is only a lock)`,
        ],
    },
  );
}
