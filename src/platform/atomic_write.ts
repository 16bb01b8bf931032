/**
 * Replaces a file atomically: the new bytes go to a temp file in the same
 * directory, are flushed, get the requested mode, and are renamed over the
 * target, so a reader sees the old file or the new one, never half of one;
 * the folder is synced after the rename, so a power cut keeps the new name. A
 * symlink is followed: its target is replaced and the link stays a link. The
 * replaced file keeps its owner and group where this process may set them
 * (root rewriting a user's config must not leave it root's).
 *
 * @example
 * ```ts
 * await atomicWrite("/tmp/c.json", new TextEncoder().encode("{}\n"), { mode: 0o600 });
 * ```
 */
import { AppError } from "../errors.ts";
import { syncFolder, writeAllSynced } from "./durable_file.ts";

/** Options for {@linkcode atomicWrite}. */
export interface AtomicWriteOptions {
  /** Permission bits of the result (ignored on Windows). */
  mode?: number;
  /**
   * Runs after the temp file is complete, just before the rename. Throwing
   * aborts the write: the temp file is removed and the target is untouched.
   */
  beforeRename?: (realPath: string) => void | Promise<void>;
}

/** Writes `bytes` to `path` atomically; returns the real path written. */
export async function atomicWrite(
  path: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<string> {
  let target = path;
  try {
    target = await Deno.realPath(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw failure(path, error);
  }
  const cut = Math.max(target.lastIndexOf("/"), target.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : target.slice(0, cut + 1);
  const base = target.slice(cut + 1);
  const suffix = Array.from(
    crypto.getRandomValues(new Uint8Array(6)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const temp = `${dir}.${base}.${suffix}.tmp`;
  const owner = await ownerOf(target);
  let created = false;
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
    created = true;
    await writeAllSynced(file, bytes);
    if (options.mode !== undefined && Deno.build.os !== "windows") {
      await Deno.chmod(temp, options.mode);
    }
    if (owner !== undefined) await keepOwner(temp, owner);
    await options.beforeRename?.(target);
    await Deno.rename(temp, target);
    created = false;
    syncFolder(dir);
    return target;
  } catch (error) {
    if (created) await Deno.remove(temp).catch(() => {});
    if (error instanceof AppError) throw error;
    throw failure(target, error);
  }
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
 * Gives `path` the owner and group `owner` if they differ. Only root may give
 * a file away; anyone else keeps what they made (their own file, as before).
 */
export async function keepOwner(path: string, owner: { uid: number; gid: number }): Promise<void> {
  const now = await ownerOf(path);
  if (now === undefined || (now.uid === owner.uid && now.gid === owner.gid)) return;
  try {
    await Deno.chown(path, owner.uid, owner.gid);
  } catch (error) {
    if (!(error instanceof Deno.errors.PermissionDenied)) throw error;
  }
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
