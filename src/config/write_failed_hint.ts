/**
 * What to do when a config's new file could not be made beside it or renamed
 * over it: the folder, not the file, must be writable, since thoth writes
 * the new file beside the config and renames it over it. Said by the write
 * (`write_config.ts`) and, in the same words, by the check made before any
 * write or on a dry run (`refuse_unwritable_folder.ts`). No I/O.
 *
 * @example
 * ```ts
 * writeFailedHint("/etc/thoth/c.json", new Deno.errors.PermissionDenied());
 * // 'nothing was changed; thoth writes the new file beside the config and renames it over it,
 * //  so the directory "/etc/thoth" must be writable: make it writable, or pass --output FILE …'
 * ```
 */
import { profileSetupProblem } from "../identity/profile_setup_hint.ts";

/** The hint for a write of `path` that failed with `cause`. */
export function writeFailedHint(path: string, cause: unknown): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? "/" : path.slice(0, cut);
  if (cause instanceof Deno.errors.PermissionDenied || cause instanceof Deno.errors.NotCapable) {
    return `nothing was changed; thoth writes the new file beside the config and renames it ` +
      `over it, so the directory "${dir}" must be writable: make it writable, or pass ` +
      "--output FILE in a writable directory";
  }
  if (cause instanceof Deno.errors.NotFound) {
    return `nothing was changed; the directory "${dir}" does not exist: create it, or pass ` +
      "--output FILE in an existing directory";
  }
  if (cause instanceof Deno.errors.NotADirectory) {
    return `nothing was changed; a parent of "${path}" is a file, not a directory: pass ` +
      "--output FILE in a directory";
  }
  // ENOSPC, a full quota, or Windows' disk-full errors: no permission would help.
  if (profileSetupProblem(cause) === "no_space") {
    return `nothing was changed; free space on the disk holding "${dir}", then run the ` +
      "command again, or pass --output FILE on another disk";
  }
  return "nothing was changed; make the file and its directory writable, or pass --output FILE";
}
