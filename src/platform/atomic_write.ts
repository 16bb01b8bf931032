/**
 * Replaces a file atomically: the new bytes go to a temp file in the same
 * directory (made readable by its owner only while it is written: it may
 * hold secrets), are flushed, get the requested mode, and are renamed over
 * the target, so a reader sees the old file or the new one, never half of
 * one; the folder is synced after the rename, so a power cut keeps the new
 * name. A `lastCheck` runs right before the rename with nothing awaited in
 * between, so no other work of this process comes between the two. Temp
 * files of the same target that a killed writer left are removed first
 * ({@linkcode removeStaleTemps}). A
 * symlink is followed (its target is replaced and the link stays a link),
 * unless `refuseLink` is set: a secret is never written through a link
 * someone else may have planted. The replaced file keeps its owner and group
 * where this process may set them (root rewriting a user's config must not
 * leave it root's); a new file made by root in a folder a user owns becomes
 * that user's. Modes and owners are set through the temp file's handle
 * ({@linkcode setModeNoFollow}), never through its name.
 *
 * @example
 * ```ts
 * await atomicWrite("/tmp/c.json", new TextEncoder().encode("{}\n"), { mode: 0o600 });
 * ```
 */
import { AppError } from "../errors.ts";
import { syncFolder, writeAllSynced } from "./durable_file.ts";
import { setModeNoFollow } from "./handle_mode.ts";
import { processUmask } from "./process_umask.ts";
import { removeStaleTemps, tempBeside } from "./temp_beside.ts";

/** The mode of a temp file while it is written, whatever the result's mode. */
const TEMP_MODE = 0o600;

/** Options for {@linkcode atomicWrite}. */
export interface AtomicWriteOptions {
  /** Permission bits of the result (ignored on Windows). */
  mode?: number;
  /**
   * Runs after the temp file is complete, just before the rename. Throwing
   * aborts the write: the temp file is removed and the target is untouched.
   */
  beforeRename?: (realPath: string) => void | Promise<void>;
  /**
   * Runs after `beforeRename`, synchronously, right before the rename: no
   * other work of this process (nothing awaited) comes between the two.
   * Throwing aborts as `beforeRename` does. For the final look at the target.
   */
  lastCheck?: (realPath: string) => void;
  /** Refuse (`io.unsafe_path`) when `path` is a symbolic link, instead of following it. */
  refuseLink?: boolean;
}

/** Writes `bytes` to `path` atomically; returns the real path written. */
export async function atomicWrite(
  path: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<string> {
  let target = path;
  try {
    if (options.refuseLink === true && (await Deno.lstat(path)).isSymlink) {
      throw new AppError(
        "io.unsafe_path",
        `"${path}" is a symbolic link: thoth does not write a secret through a link`,
        { hints: [`remove the link "${path}" and run the command again`] },
      );
    }
    target = await Deno.realPath(path);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (!(error instanceof Deno.errors.NotFound)) throw failure(path, error);
  }
  await removeStaleTemps(target);
  const { dir, temp } = tempBeside(target);
  const owner = (await ownerOf(target)) ?? (await ownerOf(dir));
  let created = false;
  try {
    created = await completeTemp(temp, bytes, options.mode, owner);
    await options.beforeRename?.(target);
    options.lastCheck?.(target);
    Deno.renameSync(temp, target);
    created = false;
    syncFolder(dir);
    return target;
  } catch (error) {
    if (created) await Deno.remove(temp).catch(() => {});
    if (error instanceof AppError) throw error;
    throw failure(target, error);
  }
}

/**
 * Makes the temp file `temp` (never over an existing one) readable by its
 * owner only, writes `bytes` and syncs them, and then gives it `mode` (by
 * default what a new file gets under the umask) and `owner` (see `settle`).
 * Returns true once the file exists, so the caller removes it on any later
 * failure; throws before that when it could not be made.
 */
async function completeTemp(
  temp: string,
  bytes: Uint8Array,
  mode: number | undefined,
  owner: { uid: number; gid: number } | undefined,
): Promise<true> {
  const file = await Deno.open(temp, { write: true, createNew: true, mode: TEMP_MODE });
  try {
    const made = Deno.build.os === "windows" ? undefined : await file.stat().catch(() => undefined);
    await writeAllSynced(file, bytes);
    if (made !== undefined) await settle(temp, made, mode ?? newFileMode(), owner);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  return true;
}

/**
 * The mode a new file gets here when none is asked for (0666 less the umask,
 * read without changing it: {@linkcode processUmask}); undefined if unknown.
 */
function newFileMode(): number | undefined {
  const umask = processUmask();
  return umask === undefined ? undefined : 0o666 & ~umask;
}

/** The owner and group of an existing file (POSIX); undefined otherwise. */
export async function ownerOf(path: string): Promise<{ uid: number; gid: number } | undefined> {
  if (Deno.build.os === "windows") return undefined;
  try {
    const info = await Deno.stat(path);
    return info.uid === null || info.gid === null ? undefined : { uid: info.uid, gid: info.gid };
  } catch {
    return undefined;
  }
}

/**
 * Gives the temp file just made (`made`, its status then) the mode asked for,
 * if the umask narrowed it, and the owner the result should have, if this
 * process may set it (root, seen as the temp file's owner 0, or a group of
 * this user's): the replaced file's owner, or for a new file the folder's.
 */
async function settle(
  temp: string,
  made: Deno.FileInfo,
  mode: number | undefined,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const fixMode = mode !== undefined && made.mode !== null && (made.mode & 0o7777) !== mode;
  // Root may give a file to anyone; others may only change its group to one of theirs.
  const giveAway = owner !== undefined && (made.uid === 0 || owner.uid === made.uid) &&
    (owner.uid !== made.uid || owner.gid !== made.gid);
  if (!fixMode && !giveAway) return;
  await setModeNoFollow(temp, {
    kind: "file",
    ...(fixMode ? { mode } : {}),
    ...(giveAway ? { owner } : {}),
  });
}

function failure(path: string, error: unknown): AppError {
  const why =
    error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable
      ? "permission denied"
      : error instanceof Deno.errors.NotFound
      ? "the directory does not exist"
      : error instanceof Deno.errors.NotADirectory
      ? "a parent of it is not a directory"
      : error instanceof Error
      ? error.message
      : String(error);
  return new AppError("io.write_failed", `cannot write "${path}": ${why}`, { cause: error });
}

/** Options for {@linkcode createExclusive}. */
export interface CreateExclusiveOptions {
  /** Permission bits of the new file (ignored on Windows). */
  mode?: number;
  /**
   * Runs after the temp file is complete, just before it is linked into
   * place (a test places a rival file here). Throwing aborts: the temp file
   * is removed and nothing is created.
   */
  beforeLink?: (path: string) => void | Promise<void>;
}

/**
 * Creates `path` with `bytes` only if nothing is there: the bytes go to a
 * temp file in the same folder (readable by its owner only until complete),
 * are flushed and get their mode and owner as {@linkcode atomicWrite} gives
 * them, and the temp file is then hard-linked
 * to `path`, which fails when any file (or link) already has that name. So
 * an existing file is never replaced, a reader sees no file or the whole new
 * one, and of many processes racing to create the same file exactly one
 * does. The folder is synced after the link. Returns true when this call
 * created the file, false when one was there already (it is left as it is).
 *
 * @example
 * ```ts
 * const made = await createExclusive("/tmp/p.jsonc", new TextEncoder().encode("{}\n"), { mode: 0o600 });
 * ```
 */
export async function createExclusive(
  path: string,
  bytes: Uint8Array,
  options: CreateExclusiveOptions = {},
): Promise<boolean> {
  await removeStaleTemps(path);
  const { dir, temp } = tempBeside(path);
  const owner = await ownerOf(dir);
  let created = false;
  try {
    created = await completeTemp(temp, bytes, options.mode, owner);
    await options.beforeLink?.(path);
    try {
      await Deno.link(temp, path);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw error;
    }
    syncFolder(dir);
    return true;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw failure(path, error);
  } finally {
    if (created) await Deno.remove(temp).catch(() => {});
  }
}
