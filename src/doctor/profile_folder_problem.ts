/**
 * The profile that is there but is no folder (a file, or a path through a
 * file), as every command that reads the profile names it
 * (`io.profile_not_folder`). The doctor's profile check and the health
 * report's `profile` say so once; the checks of what lives inside the
 * profile (credentials, policy, intent map, audit) say they were not checked
 * rather than report an OS error about a path inside it.
 *
 * @example
 * ```ts
 * (await profileFolderProblem(context))?.message;
 * // 'THOTH_HOME "/tmp/home" is not a folder: it is a file'
 * ```
 */
import { type AppError, isAppError } from "../errors.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import type { DoctorCheck, DoctorCheckId } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** The `io.profile_not_folder` error for `context`'s profile, or null when it is a folder or absent. */
export async function profileFolderProblem(
  context: Pick<DoctorContext, "thothHome" | "env">,
): Promise<AppError | null> {
  try {
    await requireProfileFolder(context.thothHome, context.env);
    return null;
  } catch (error) {
    if (isAppError(error, "io.profile_not_folder")) return error;
    throw error;
  }
}

/** What a check of something inside the profile says when the profile is not a folder. */
export const NOT_CHECKED_PROFILE =
  "not checked: the profile is not a folder (see the profile check)";

/** The check `id` not run because the profile is not a folder. */
export function notCheckedForProfile(id: DoctorCheckId): DoctorCheck {
  return {
    id,
    status: "warn",
    message: NOT_CHECKED_PROFILE,
    hint: 'fix the "profile" check first',
  };
}
