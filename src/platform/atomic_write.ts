/**
 * Replaces a file atomically: the new bytes go to a temp file in the same
 * directory, are flushed, get the requested mode, and are renamed over the
 * target, so a reader sees the old file or the new one, never half of one. A
 * symlink is followed: its target is replaced and the link stays a link.
 *
 * @example
 * ```ts
 * await atomicWrite("/tmp/c.json", new TextEncoder().encode("{}\n"), { mode: 0o600 });
 * ```
 */
import { AppError } from "../errors.ts";

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
  let created = false;
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
    created = true;
    try {
      let rest = bytes;
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
      await file.sync();
    } finally {
      file.close();
    }
    if (options.mode !== undefined && Deno.build.os !== "windows") {
      await Deno.chmod(temp, options.mode);
    }
    await options.beforeRename?.(target);
    await Deno.rename(temp, target);
    created = false;
    return target;
  } catch (error) {
    if (created) await Deno.remove(temp).catch(() => {});
    if (error instanceof AppError) throw error;
    throw failure(target, error);
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
