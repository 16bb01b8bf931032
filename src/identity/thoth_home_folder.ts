/**
 * Refuses a profile that is there but is no folder, before a command reads
 * a path inside it: `policy check` would otherwise say "Not a directory
 * (os error 20)" about `policy.jsonc`, and `audit verify` that it cannot read
 * its state file, without naming the cause. A profile that does not exist
 * yet is fine (the commands read defaults, or create it); other failures
 * (permissions) are left to the command's own read, which names the file.
 *
 * @example
 * ```ts
 * await requireProfileFolder(io.thothHome, io.env);
 * // throws io.profile_not_folder: THOTH_HOME "/tmp/home" is not a folder: it is a file
 * ```
 */
import { profileNotFolderError } from "./thoth_home_error.ts";

/** Throws `io.profile_not_folder` when `thothHome` exists and is not a folder (or lies under a file). */
export async function requireProfileFolder(
  thothHome: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(thothHome);
  } catch (error) {
    if (error instanceof Deno.errors.NotADirectory) {
      throw profileNotFolderError(
        thothHome,
        env,
        "a file stands where a folder on its path should",
      );
    }
    return;
  }
  if (info.isDirectory) return;
  throw profileNotFolderError(
    thothHome,
    env,
    info.isFile ? "it is a file" : "it is a special file (a pipe, socket or device)",
  );
}
