/**
 * One `thoth update` at a time per installed binary: an exclusive advisory
 * lock on `.<binary name>.update-lock`, a file beside the binary, held from
 * the first download until the backup is cleaned up. A second update that
 * finds the lock held does not wait: it fails at once with
 * `release.update_in_progress`, since the first one may be replacing the very
 * binary the second would back up. The lock dies with its process, so a
 * crashed update never leaves it stuck.
 *
 * The lock file stays (empty) after the update: removing it would let a
 * later update lock a new file while an earlier one still holds the old one.
 *
 * @example
 * ```ts
 * const lock = await UpdateLock.take(
 *   "/usr/local/bin/.thoth.update-lock",
 *   "/usr/local/bin/thoth",
 *   "thoth",
 * );
 * try {
 *   // … replace /usr/local/bin/thoth …
 * } finally {
 *   lock.release();
 * }
 * ```
 */
import { AppError } from "../errors.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";

/** A held update lock. */
export class UpdateLock {
  /** The lock file. */
  readonly path: string;
  readonly #file: Deno.FsFile;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  /**
   * Takes the lock at `lockPath` for replacing `binaryPath`, creating the
   * file (mode 0644) if needed. Throws `release.update_in_progress` when
   * another process holds it, `release.install_failed` when the file cannot
   * be opened.
   */
  static async take(lockPath: string, binaryPath: string, binary: string): Promise<UpdateLock> {
    const file = await openLockFile(lockPath, binaryPath);
    let held = false;
    try {
      held = await file.tryLock(true);
    } catch (error) {
      file.close();
      throw new AppError(
        "release.install_failed",
        `cannot lock "${lockPath}" to update "${binaryPath}": ${(error as Error).message}`,
        { cause: error, hints: ["nothing was changed"] },
      );
    }
    if (!held) {
      file.close();
      throw new AppError(
        "release.update_in_progress",
        `another ${binary} update is replacing "${binaryPath}" (it holds "${lockPath}")`,
        {
          hints: [
            `wait for it to finish, then run "${binary} update" again; nothing was changed`,
          ],
        },
      );
    }
    return new UpdateLock(lockPath, file);
  }

  /** Gives the lock back (closing the file drops it). */
  release(): void {
    try {
      this.#file.close();
    } catch { /* closed already */ }
  }
}

async function openLockFile(lockPath: string, binaryPath: string): Promise<Deno.FsFile> {
  try {
    let file: Deno.FsFile;
    try {
      // A new lock file: `createNew` never follows a link planted under its name.
      file = await Deno.open(lockPath, { read: true, write: true, createNew: true, mode: 0o644 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      // An existing one is opened without creating anything, and must be a plain
      // file: root must not lock, or create, whatever a link there points to.
      if (!(await Deno.lstat(lockPath)).isFile) throw notAFile(lockPath);
      file = await Deno.open(lockPath, { read: true, write: true });
      const [opened, named] = [await file.stat(), await Deno.lstat(lockPath)];
      if (!named.isFile || opened.ino !== named.ino || opened.dev !== named.dev) {
        file.close();
        throw notAFile(lockPath);
      }
    }
    // The umask may have taken the others' read bit: the binary's owner must be
    // able to open a lock file root left behind, or every later update fails.
    // Through a handle: a link swapped in for the lock file is left alone.
    await setModeNoFollow(lockPath, { kind: "file", mode: 0o644 }).catch(() => {});
    return file;
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A lock file another user created (root's, say) still locks when opened for reading.
    if (error instanceof Deno.errors.PermissionDenied) {
      try {
        if ((await Deno.lstat(lockPath)).isFile) return await Deno.open(lockPath, { read: true });
      } catch { /* report the first failure */ }
    }
    throw new AppError(
      "release.install_failed",
      `cannot create the update lock "${lockPath}" beside "${binaryPath}": ${
        (error as Error).message
      }`,
      {
        cause: error,
        hints: [
          "run the update as the user that owns the installed binary; nothing was changed",
          `a lock file another user left behind and you cannot read may be removed: "${lockPath}" (only while no update runs)`,
        ],
      },
    );
  }
}

function notAFile(lockPath: string): AppError {
  return new AppError(
    "release.install_failed",
    `the update lock "${lockPath}" is not a plain file (a link or something else is in its place)`,
    {
      hints: [
        `remove "${lockPath}" (only while no update runs) and run the update again; nothing was changed`,
      ],
    },
  );
}
