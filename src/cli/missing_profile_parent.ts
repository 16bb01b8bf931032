/**
 * What `thoth doctor` and `thoth health` say of a profile whose folder
 * cannot be made where it is named: its parent folder does not exist. They
 * set up a missing profile the first time (`~/.thoth`, as the first run of
 * any thoth command does), but a poller run by a management tool with a
 * `THOTH_HOME` naming a folder under one that is not there (a mistyped path,
 * a volume not mounted) must not build that tree where it looks: the profile
 * is reported as missing, with its parent named, and nothing is created.
 *
 * @example
 * ```ts
 * const problem = await missingParentProblem("/nonexistent-dir/sub");
 * // { message: 'its folder "/nonexistent-dir" does not exist …', hint: "…" }
 * ```
 */
import type { ProfileSetupProblem } from "../doctor/doctor_context.ts";
import { folderOf } from "../platform/durable_file.ts";

/** Why the profile at `thothHome` is not set up here, or undefined when its parent folder is there. */
export async function missingParentProblem(
  thothHome: string,
): Promise<ProfileSetupProblem | undefined> {
  const parent = folderOf(thothHome);
  try {
    await Deno.stat(parent);
    return undefined;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return undefined;
  }
  return {
    message: `the profile does not exist, and neither does its folder "${parent}": doctor and ` +
      "health set up a missing profile, but make no folder above it",
    hint: `check THOTH_HOME ("${thothHome}"): create "${parent}" if it is right (a volume not ` +
      "mounted?), or set THOTH_HOME to the folder that holds the profile",
  };
}
