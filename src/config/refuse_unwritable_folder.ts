/**
 * Refuses, without writing anything, a config write that surely fails in
 * its folder: thoth makes the new file (and the backup) beside the config
 * and renames it over it, so that folder must exist and let this user make
 * a file in it. Told in the words and with the code the write itself fails
 * with (`io.write_failed`, `cannot write "FILE": permission denied`, and the
 * hint to make the directory writable or pass `--output`), so a dry run, and
 * a command that writes several files before its first write, say what the
 * write would. Whether the folder may be written is judged from its mode and
 * owner ({@linkcode folderDeniesWrite}: only a sure "no"); what that cannot
 * settle (groups, ACLs, a read-only mount, Windows) is left to the write.
 *
 * @example
 * ```ts
 * await refuseUnwritableFolder("/etc/thoth/claude_desktop_config.json");
 * // as uid 501, in root's 0755 folder: AppError io.write_failed, 'cannot write "…": permission denied'
 * ```
 */
import { AppError } from "../errors.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import { folderDeniesWrite } from "./folder_denies_write.ts";
import { writeFailedHint } from "./write_failed_hint.ts";

/** Throws `io.write_failed` when the folder `path`'s new file is made in surely refuses it. */
export async function refuseUnwritableFolder(path: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  // The file written is a link's target, in the target's folder (see atomicWrite).
  let target = path;
  try {
    target = await Deno.realPath(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      if (isSure(error)) throw writeFailed(path, error);
      return;
    }
  }
  const cut = target.lastIndexOf("/");
  const folder = cut < 0 ? "." : cut === 0 ? "/" : target.slice(0, cut);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(folder);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || isSure(error)) throw writeFailed(target, error);
    return;
  }
  if (!info.isDirectory) {
    throw writeFailed(target, new Deno.errors.NotADirectory(`"${folder}" is not a directory`));
  }
  if (folderDeniesWrite(info, effectiveUid())) {
    throw writeFailed(
      target,
      new Deno.errors.PermissionDenied(`"${folder}" does not let this user make a file in it`),
    );
  }
}

/** Whether `error` is one the write would fail with too, as surely. */
function isSure(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotADirectory;
}

/** The error the write of `path` fails with for `cause`, as `atomicWrite` and `writeConfig` word it. */
function writeFailed(path: string, cause: unknown): AppError {
  const why = cause instanceof Deno.errors.PermissionDenied
    ? "permission denied"
    : cause instanceof Deno.errors.NotFound
    ? "the directory does not exist"
    : "a parent of it is not a directory";
  return new AppError("io.write_failed", `cannot write "${path}": ${why}`, {
    cause,
    hints: [writeFailedHint(path, cause)],
  });
}
